package dev.miniplatform.model.isv;

/** What can happen to an authorization. */
public enum AuthorizationAction {
    /** The ISV used a token the merchant user consented to after the request: the grant takes effect. */
    CONSENT,
    /** The merchant takes the grant back (or withdraws a pending request). */
    REVOKE,
    /** A newer request for the same service was consented; this older pending one is moot. */
    SUPERSEDE
}
