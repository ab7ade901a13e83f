package dev.miniplatform.model.isv;

/** A platform admin may suspend an ISV: its Keycloak client is disabled and all its tokens are refused. */
public enum IsvStatus {
    ACTIVE,
    SUSPENDED
}
