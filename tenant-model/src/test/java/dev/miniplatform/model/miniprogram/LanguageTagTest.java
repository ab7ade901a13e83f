package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class LanguageTagTest {

    private static final String FIELD = "localizations";

    @ParameterizedTest
    @CsvSource({
            "zh-CN, zh-CN", "en-US, en-US", "id, id", "zh-Hant-TW, zh-Hant-TW",
            "ZH-cn, zh-CN", "en-us, en-US", "' ms-MY ', ms-MY"})
    void keepsTheCanonicalForm(String raw, String canonical) {
        assertThat(LanguageTag.of(FIELD, raw).value()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zh_CN", "123", "en-", "chinese-simplified", "und", "x-private"})
    void rejectsWhatIsNotALanguageTag(String raw) {
        assertRejected(() -> LanguageTag.of(FIELD, raw), FIELD, "format");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void requiresATag(String raw) {
        assertRejected(() -> LanguageTag.of(FIELD, raw), FIELD, "required");
    }

    @ParameterizedTest
    @CsvSource({"zh-CN, true", "zh-Hant-TW, true", "zh, true", "en-US, false", "id, false"})
    void knowsWhetherItIsChinese(String raw, boolean chinese) {
        assertThat(LanguageTag.of(FIELD, raw).isChinese()).isEqualTo(chinese);
    }

    @Test
    void equalSpellingsAreEqualTags() {
        assertThat(new LanguageTag("zh-cn")).isEqualTo(new LanguageTag("ZH-CN"));
        assertRejected(() -> new LanguageTag("zh_CN"), "language", "format");
    }
}
