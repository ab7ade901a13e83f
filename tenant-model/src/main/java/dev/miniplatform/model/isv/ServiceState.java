package dev.miniplatform.model.isv;

/** Where an ISV service stands in platform approval; only APPROVED services are in the marketplace. */
public enum ServiceState {
    PENDING_APPROVAL,
    APPROVED,
    REJECTED
}
