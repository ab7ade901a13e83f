package dev.miniplatform.api.sample;

import dev.miniplatform.api.miniprogram.MiniProgramRequest;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/tenants/{tenantId}/mini-programs:fromSample}: the create body of a mini program (every field
 * required, as on create) plus the sample, and optionally the ext config (the sample's defaults when absent).
 */
record StartRequest(SampleRef sample, JsonNode extConfig, String defaultLanguage, List<String> releaseTo,
                    String industry, Map<String, MiniProgramRequest.Texts> localizations, String servicePhone,
                    String serviceEmail) {

    /** Which sample version to start from. */
    record SampleRef(String id, String version) {
    }

    MiniProgramRequest miniProgram() {
        return new MiniProgramRequest(defaultLanguage, releaseTo, industry, localizations, servicePhone, serviceEmail, null);
    }
}
