package dev.miniplatform.model.tenancy;

/**
 * A member's role inside one tenant, as in the Alipay+ console.
 */
public enum MemberRole {
    OWNER,
    MASTER,
    DEVELOPER
}
