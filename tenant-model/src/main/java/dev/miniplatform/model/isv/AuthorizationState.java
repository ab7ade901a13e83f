package dev.miniplatform.model.isv;

/** A merchant's authorization of an ISV service. Only ACTIVE lets the ISV in. */
public enum AuthorizationState {
    /** Requested by the merchant; the merchant user has not consented in Keycloak yet. */
    PENDING_CONSENT,
    /** Consented: the ISV's tokens for this merchant are honoured within the scopes. */
    ACTIVE,
    /** Revoked by the merchant: terminal; re-authorizing creates a new record. */
    REVOKED,
    /** A pending request withdrawn by the merchant or superseded by a newer one that was consented. */
    CANCELED
}
