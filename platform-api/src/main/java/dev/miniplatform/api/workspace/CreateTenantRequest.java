package dev.miniplatform.api.workspace;

/**
 * Sign-up body. Fields are strings so that a wrong value is reported as a field error, not a parse failure.
 */
public record CreateTenantRequest(String kind, String name) {
}
