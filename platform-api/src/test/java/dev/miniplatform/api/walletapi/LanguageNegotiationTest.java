package dev.miniplatform.api.walletapi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LanguageNegotiationTest {

    private static final List<String> TEA = List.of("zh-CN", "en-US", "zh-Hant-HK", "fr");

    private static String choose(String header) {
        return LanguageNegotiation.choose(header, TEA, "zh-CN");
    }

    @Test
    void noHeaderOrNoMatchServesTheDefaultLanguage() {
        assertThat(choose(null)).isEqualTo("zh-CN");
        assertThat(choose("")).isEqualTo("zh-CN");
        assertThat(choose("de-DE, ja;q=0.5")).isEqualTo("zh-CN");
        assertThat(choose("*")).isEqualTo("zh-CN");
    }

    @Test
    void exactMatchesIgnoreCase() {
        assertThat(choose("EN-us")).isEqualTo("en-US");
        assertThat(choose("fr")).isEqualTo("fr");
    }

    @Test
    void higherQualityWinsWhateverTheOrder() {
        assertThat(choose("fr;q=0.4, en-US;q=0.9")).isEqualTo("en-US");
        assertThat(choose("fr, en-US")).isEqualTo("fr");
        assertThat(choose("en-US;q=0.5, fr;q=0.5")).isEqualTo("en-US");
    }

    @Test
    void zeroQualityAndMalformedRangesAreNotAcceptable() {
        assertThat(choose("en-US;q=0, de")).isEqualTo("zh-CN");
        assertThat(choose("en-US;q=2, fr;q=0.1")).isEqualTo("fr");
        assertThat(choose("en_US!, fr;q=0.1")).isEqualTo("fr");
    }

    @Test
    void subtagsAreDroppedFromTheRightAndAPrefixServesTheRest() {
        assertThat(choose("zh-Hant-TW")).isEqualTo("zh-Hant-HK");
        assertThat(LanguageNegotiation.choose("zh-Hant-TW", List.of("en-US", "zh-Hant", "zh-CN"), "en-US"))
                .isEqualTo("zh-Hant");
        assertThat(LanguageNegotiation.choose("zh-Hant-TW", List.of("en-US", "zh"), "en-US")).isEqualTo("zh");
        assertThat(LanguageNegotiation.choose("zh-TW", List.of("en-US", "zh-CN"), "en-US")).isEqualTo("zh-CN");
        assertThat(choose("en-GB")).isEqualTo("en-US");
    }

    @Test
    void aHugeHeaderIsReadOnlyUpToItsBound() {
        String header = "xx, ".repeat(10_000) + "en-US";
        assertThat(choose(header)).isEqualTo("zh-CN");
    }
}
