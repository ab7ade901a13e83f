package dev.miniplatform.api.isv;

/** {@code POST /api/v1/tenants/{merchantId}/authorizations}. */
record AuthorizationRequest(String serviceId) {
}
