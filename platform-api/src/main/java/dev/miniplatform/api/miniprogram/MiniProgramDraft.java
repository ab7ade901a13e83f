package dev.miniplatform.api.miniprogram;

import dev.miniplatform.model.miniprogram.Description;
import dev.miniplatform.model.miniprogram.LanguageTag;
import dev.miniplatform.model.miniprogram.MiniProgramName;
import dev.miniplatform.model.miniprogram.ReleaseRegion;
import dev.miniplatform.model.miniprogram.ServiceEmail;
import dev.miniplatform.model.miniprogram.ServicePhone;
import dev.miniplatform.model.miniprogram.Tagline;
import dev.miniplatform.model.validation.Validation;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A create or modify request checked field by field with the domain's value objects. Parsing never stops at the
 * first problem: every failing field lands in the {@link Validation}, which the service completes with the
 * checks that need the database before failing once.
 */
record MiniProgramDraft(
        LanguageTag defaultLanguage,
        Set<ReleaseRegion> releaseTo,
        String industry,
        Map<LanguageTag, Localized> localizations,
        ServicePhone servicePhone,
        ServiceEmail serviceEmail) {

    record Localized(MiniProgramName name, Tagline tagline, Description description) {
    }

    static MiniProgramDraft parse(MiniProgramRequest request, Validation validation) {
        LanguageTag defaultLanguage = validation.attempt(() -> LanguageTag.of("defaultLanguage", request.defaultLanguage()));
        Set<ReleaseRegion> releaseTo = releaseTo(request.releaseTo(), validation);
        String industry = request.industry();
        if (industry == null || industry.isBlank()) {
            validation.reject("industry", "required", "choose an industry from GET /api/v1/industries");
        }
        Map<LanguageTag, Localized> localizations = localizations(request.localizations(), validation);
        ServicePhone phone = validation.attempt(() -> ServicePhone.of("servicePhone", request.servicePhone()));
        ServiceEmail email = validation.attempt(() -> ServiceEmail.of("serviceEmail", request.serviceEmail()));
        MiniProgramDraft draft = new MiniProgramDraft(defaultLanguage, releaseTo, industry, localizations, phone, email);
        draft.checkLanguages(validation);
        return draft;
    }

    private static Set<ReleaseRegion> releaseTo(List<String> raw, Validation validation) {
        if (raw == null) {
            validation.reject("releaseTo", "required", "list the regions to release to, e.g. [\"CN\"], or []");
            return Set.of();
        }
        Set<ReleaseRegion> regions = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "releaseTo[" + i + "]";
            String value = raw.get(i);
            ReleaseRegion region = validation.attempt(() -> ReleaseRegion.of(field, value));
            if (region != null) {
                regions.add(region);
            }
        }
        return regions;
    }

    private static Map<LanguageTag, Localized> localizations(Map<String, MiniProgramRequest.Texts> raw, Validation validation) {
        if (raw == null || raw.isEmpty()) {
            validation.reject("localizations", "required", "give name, tagline and description for the default language");
            return Map.of();
        }
        Map<LanguageTag, Localized> parsed = new LinkedHashMap<>();
        raw.forEach((language, texts) -> {
            String prefix = "localizations." + language;
            LanguageTag tag = validation.attempt(() -> LanguageTag.of(prefix, language));
            Localized localized = localized(prefix, texts, validation);
            if (tag != null && parsed.containsKey(tag)) {
                validation.reject(prefix, "duplicate", "the same language is given twice as " + tag.value());
            } else if (tag != null && localized != null) {
                parsed.put(tag, localized);
            }
        });
        return parsed;
    }

    private static Localized localized(String prefix, MiniProgramRequest.Texts texts, Validation validation) {
        if (texts == null) {
            validation.reject(prefix, "required", "give name, tagline and description");
            return null;
        }
        MiniProgramName name = validation.attempt(() -> MiniProgramName.of(prefix + ".name", texts.name()));
        Tagline tagline = validation.attempt(() -> Tagline.of(prefix + ".tagline", texts.tagline()));
        Description description = validation.attempt(() -> Description.of(prefix + ".description", texts.description()));
        return name == null || tagline == null || description == null ? null : new Localized(name, tagline, description);
    }

    private void checkLanguages(Validation validation) {
        if (defaultLanguage == null) {
            return;
        }
        if (releaseTo.contains(ReleaseRegion.CN) && !defaultLanguage.isChinese()) {
            validation.reject("defaultLanguage", "cn-requires-chinese",
                    "a mini program released to Alipay China (CN) has Chinese as its default language");
        }
        boolean described = localizations.keySet().stream().anyMatch(defaultLanguage::equals);
        if (!localizations.isEmpty() && !described) {
            validation.reject("localizations", "missing-default-language",
                    "give name, tagline and description for the default language " + defaultLanguage.value());
        }
    }

    /** Released to Alipay China, the default language cannot change (Alipay+ quickstart). */
    void checkUnchangedChineseDefault(String currentDefault, String currentReleaseTo, Validation validation) {
        boolean wasCn = RegionCodes.parse(currentReleaseTo).contains(ReleaseRegion.CN);
        if (wasCn && defaultLanguage != null && !Objects.equals(defaultLanguage.value(), currentDefault)) {
            validation.reject("defaultLanguage", "immutable",
                    "the default language of a mini program released to Alipay China cannot be changed");
        }
    }
}
