package dev.miniplatform.api.authorization;

/** {@code POST /api/v1/tenants/{merchantId}/authorizations}. */
record AuthorizationRequest(String serviceId) {
}
