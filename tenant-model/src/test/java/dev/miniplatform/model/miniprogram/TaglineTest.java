package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class TaglineTest {

    private static final String FIELD = "localizations.en-US.tagline";

    @ParameterizedTest
    @ValueSource(ints = {10, 30})
    void acceptsTheBoundaryLengths(int length) {
        assertThat(Tagline.of(FIELD, "x".repeat(length)).value()).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 31})
    void rejectsLengthsJustOutside(int length) {
        assertRejected(() -> Tagline.of(FIELD, "x".repeat(length)), FIELD, "length");
    }

    @Test
    void countsAChineseCharacterAsOne() {
        assertThat(Tagline.of(FIELD, "茶".repeat(30)).value()).hasSize(30);
        assertRejected(() -> Tagline.of(FIELD, "茶".repeat(9)), FIELD, "length");
    }

    @Test
    void doesNotCountCombiningMarks() {
        assertRejected(() -> Tagline.of(FIELD, "e\u0301".repeat(9)), FIELD, "length");
        // stored in NFC: e + U+0301 becomes the precomposed é; x + U+0301 has no precomposed form and stays two
        assertThat(Tagline.of(FIELD, "e\u0301".repeat(30)).value()).isEqualTo("\u00E9".repeat(30));
        assertThat(Tagline.of(FIELD, "x\u0301".repeat(30)).value()).hasSize(60);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void requiresATagline(String tagline) {
        assertRejected(() -> Tagline.of(FIELD, tagline), FIELD, "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fresh tea\nevery day", "Fresh tea\u0007every day"})
    void rejectsControlCharactersIncludingLineBreaks(String tagline) {
        assertRejected(() -> Tagline.of(FIELD, tagline), FIELD, "characters");
    }

    @Test
    void theConstructorReportsOnTheDefaultField() {
        assertRejected(() -> new Tagline("short"), "tagline", "length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "\u202E", "\u2066", "\uFEFF", "\u200B", "\u0000", "\u0085"})
    void rejectsBrokenInvisibleAndBidiCharactersThroughTheSharedRule(String bad) {
        assertRejected(() -> Tagline.of(FIELD, "Fine tea by the West Lake".replaceFirst(" ", " " + bad)), FIELD, "characters");
    }

    @Test
    void rejectsATextOfOnlyInvisibleCharacters() {
        assertRejected(() -> Tagline.of(FIELD, "\u200D".repeat(40)), FIELD, "characters");
    }
}
