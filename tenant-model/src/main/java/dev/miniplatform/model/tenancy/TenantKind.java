package dev.miniplatform.model.tenancy;

/**
 * The account type chosen at sign-up: a merchant develops its own mini programs, an ISV develops them for merchants.
 */
public enum TenantKind {
    MERCHANT,
    ISV
}
