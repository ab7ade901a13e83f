package dev.miniplatform.model.tenancy;

/**
 * A CLOSED workspace keeps its data and audit log, but no one can enter it.
 */
public enum TenantStatus {
    ACTIVE,
    CLOSED
}
