package dev.miniplatform.model.tenancy;

public enum MembershipStatus {
    ACTIVE,
    BLOCKED
}
