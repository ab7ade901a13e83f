package dev.miniplatform.api.template;

/** {@code POST /api/v1/tenants/{isvId}/templates}: all three required. */
record TemplateRequest(String name, String description, String industry) {
}
