package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.IllformedLocaleException;
import java.util.Locale;

/**
 * A BCP 47 language tag naming one localization of the listing, such as {@code zh-CN}, {@code en-US}, {@code id}
 * or {@code zh-Hant-TW}.
 * <p>
 * Parsing goes through {@link Locale.Builder} rather than {@link Locale#forLanguageTag}, because the latter
 * silently turns anything it cannot read (e.g. {@code zh_CN}) into the empty locale, and a typo would then become
 * a localization for "no language". The stored value is the canonical form ({@code ZH-cn} becomes {@code zh-CN}),
 * so two spellings of one tag cannot become two localizations.
 */
public record LanguageTag(String value) {

    public static final String FIELD = "language";

    public LanguageTag {
        value = check(FIELD, value);
    }

    public static LanguageTag of(String field, String raw) {
        return new LanguageTag(check(field, raw));
    }

    /** Chinese listings are the ones the Alipay China naming rules apply to. */
    public boolean isChinese() {
        return "zh".equals(Locale.forLanguageTag(value).getLanguage());
    }

    private static String check(String field, String raw) {
        String tag = raw == null ? "" : raw.strip();
        if (tag.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        Locale locale = parse(field, tag);
        if (locale.getLanguage().isEmpty()) {
            throw formatError(field);
        }
        return locale.toLanguageTag();
    }

    private static Locale parse(String field, String tag) {
        try {
            return new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            throw formatError(field);
        }
    }

    private static RuntimeException formatError(String field) {
        return InvalidInputException.of(field, "format", "must be a BCP 47 language tag such as zh-CN or en-US");
    }
}
