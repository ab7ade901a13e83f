package dev.miniplatform.api.miniprogram;

import java.util.List;
import java.util.Map;

/**
 * Create and modify body. Every field is required on both (as in the Alipay+ console); {@code revision} only on
 * modify, where it must equal the current revision. Strings throughout, so bad values become field errors.
 */
public record MiniProgramRequest(
        String defaultLanguage,
        List<String> releaseTo,
        String industry,
        Map<String, Texts> localizations,
        String servicePhone,
        String serviceEmail,
        Long revision) {

    public record Texts(String name, String tagline, String description) {
    }
}
