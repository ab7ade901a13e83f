package dev.miniplatform.api.template;

/**
 * {@code POST /api/v1/tenants/{isvId}/templates}: name, description and industry required. With {@code fromSample},
 * the template gets its first version from that sample of the platform's gallery in the same call: the sample's
 * package and ext config schema, at the sample's version number.
 */
record TemplateRequest(String name, String description, String industry, SampleRef fromSample) {

    /** A sample version of {@code GET /api/v1/samples}. */
    record SampleRef(String id, String version) {
    }
}
