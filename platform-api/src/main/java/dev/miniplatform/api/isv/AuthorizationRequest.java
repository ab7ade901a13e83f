package dev.miniplatform.api.isv;

/** {@code POST /api/v1/tenants/{merchantId}/authorizations}. */
public record AuthorizationRequest(String serviceId) {
}
