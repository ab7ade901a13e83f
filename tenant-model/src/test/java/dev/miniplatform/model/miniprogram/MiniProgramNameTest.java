package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniProgramNameTest {

    private static final String FIELD = "localizations.zh-CN.name";

    @ParameterizedTest
    @ValueSource(strings = {"abc", "茶馆", "Tea茶馆", "ＡＢ", "Tea ☕"})
    void acceptsNamesWithinTheDisplayWidth(String name) {
        assertThat(MiniProgramName.of(FIELD, name).value()).isEqualTo(name);
    }

    @Test
    void acceptsTheUpperBoundsInLettersAndInChineseCharacters() {
        assertThat(MiniProgramName.of(FIELD, "x".repeat(30)).value()).hasSize(30);
        assertThat(MiniProgramName.of(FIELD, "茶".repeat(15)).value()).hasSize(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "茶", "é", "e\u0301\u0301\u0301"})
    void rejectsNamesNarrowerThanThree(String name) {
        assertRejected(() -> MiniProgramName.of(FIELD, name), FIELD, "length");
    }

    @Test
    void rejectsNamesWiderThanThirty() {
        assertRejected(() -> MiniProgramName.of(FIELD, "x".repeat(31)), FIELD, "length");
        assertRejected(() -> MiniProgramName.of(FIELD, "茶".repeat(16)), FIELD, "length");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\n"})
    void requiresAName(String name) {
        assertRejected(() -> MiniProgramName.of(FIELD, name), FIELD, "required");
    }

    @Test
    void rejectsControlCharacters() {
        assertRejected(() -> MiniProgramName.of(FIELD, "Tea\u0000House"), FIELD, "characters");
    }

    @Test
    void stripsSurroundingWhitespaceBeforeMeasuring() {
        assertThat(MiniProgramName.of(FIELD, "  茶馆  ").value()).isEqualTo("茶馆");
    }

    @Test
    void theConstructorReportsOnTheDefaultField() {
        assertRejected(() -> new MiniProgramName("ab"), "name", "length");
        assertThat(new MiniProgramName("Tea茶馆")).isEqualTo(MiniProgramName.of(FIELD, " Tea茶馆 "));
    }

    @Test
    void explainsTheCountingRuleInTheMessage() {
        assertThatThrownBy(() -> MiniProgramName.of(FIELD, "茶"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().message())
                        .contains("a Chinese character as 2", "a letter or digit as 1", "but is 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "\u202E", "\u2066", "\uFEFF", "\u200B", "\u0000", "\u0085"})
    void rejectsBrokenInvisibleAndBidiCharactersThroughTheSharedRule(String bad) {
        assertRejected(() -> MiniProgramName.of(FIELD, "Tea House".replaceFirst(" ", " " + bad)), FIELD, "characters");
    }

    @Test
    void rejectsATextOfOnlyInvisibleCharacters() {
        assertRejected(() -> MiniProgramName.of(FIELD, "\u200D".repeat(40)), FIELD, "characters");
    }
}
