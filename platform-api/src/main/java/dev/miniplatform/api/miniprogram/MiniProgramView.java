package dev.miniplatform.api.miniprogram;

import dev.miniplatform.model.miniprogram.MiniProgram;
import dev.miniplatform.model.miniprogram.MiniProgramLocalization;
import dev.miniplatform.model.miniprogram.ReleaseRegion;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A mini program as the console shows it. {@code revision} goes back in the next modify.
 */
public record MiniProgramView(
        String appId,
        String defaultLanguage,
        List<ReleaseRegion> releaseTo,
        String industry,
        Map<String, MiniProgramRequest.Texts> localizations,
        String servicePhone,
        String serviceEmail,
        LogoView logo,
        long revision,
        Instant createdAt,
        Instant updatedAt) {

    public record LogoView(String sha256, String url) {
    }

    static MiniProgramView of(MiniProgram program, List<MiniProgramLocalization> texts) {
        Map<String, MiniProgramRequest.Texts> localizations = new LinkedHashMap<>();
        texts.forEach(text -> localizations.put(text.language(),
                new MiniProgramRequest.Texts(text.name(), text.tagline(), text.description())));
        LogoView logo = program.logoSha256() == null ? null : new LogoView(program.logoSha256(),
                "/api/v1/tenants/%s/mini-programs/%s/logo".formatted(program.tenantId(), program.appId()));
        return new MiniProgramView(program.appId(), program.defaultLanguage(), RegionCodes.parse(program.releaseTo()),
                program.industry(), localizations, program.servicePhone(), program.serviceEmail(), logo,
                revisionOf(program), program.createdAt(), program.updatedAt());
    }

    /** Revisions count from 1; the optimistic-locking version column counts from 0. */
    static long revisionOf(MiniProgram program) {
        return program.version() + 1;
    }

    /** The before/after summary kept in the audit log. */
    Map<String, Object> auditSummary() {
        return Map.of("defaultLanguage", defaultLanguage, "releaseTo", releaseTo, "industry", industry,
                "names", localizations.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())),
                "servicePhone", servicePhone, "serviceEmail", serviceEmail, "revision", revision);
    }
}
