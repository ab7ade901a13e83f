package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class DescriptionTest {

    private static final String FIELD = "localizations.zh-CN.description";

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void acceptsTheBoundaryLengths(int length) {
        assertThat(Description.of(FIELD, "茶".repeat(length)).value()).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {19, 201})
    void rejectsLengthsJustOutside(int length) {
        assertRejected(() -> Description.of(FIELD, "x".repeat(length)), FIELD, "length");
    }

    @Test
    void allowsLineFeedsBetweenParagraphs() {
        String text = "First paragraph here.\nSecond paragraph.";
        assertThat(Description.of(FIELD, text).value()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"First paragraph here.\r\nSecond paragraph.", "First paragraph\there and there."})
    void rejectsOtherControlCharacters(String text) {
        assertRejected(() -> Description.of(FIELD, text), FIELD, "characters");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "\n\n"})
    void requiresADescription(String text) {
        assertRejected(() -> Description.of(FIELD, text), FIELD, "required");
    }

    @Test
    void theConstructorReportsOnTheDefaultField() {
        assertRejected(() -> new Description("too short"), "description", "length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "\u202E", "\u2066", "\uFEFF", "\u200B", "\u0000", "\u0085"})
    void rejectsBrokenInvisibleAndBidiCharactersThroughTheSharedRule(String bad) {
        assertRejected(() -> Description.of(FIELD, "A century-old tea house by the West Lake serving fine tea.".replaceFirst(" ", " " + bad)), FIELD, "characters");
    }

    @Test
    void rejectsATextOfOnlyInvisibleCharacters() {
        assertRejected(() -> Description.of(FIELD, "\u200D".repeat(40)), FIELD, "characters");
    }
}
