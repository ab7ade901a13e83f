package dev.miniplatform.model.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

    private static final String FIELD = "localizations.en-US.name";

    @ParameterizedTest
    @ValueSource(strings = {
            "Tea\uD800House",          // lone high surrogate, as JSON "\ud800" delivers it
            "Tea\uDC00House",          // lone low surrogate
            "\uDFFFTea",               // low surrogate first
            "Tea\uD83D",               // high surrogate cut off at the end
            "Tea\u0000House",          // NUL
            "Tea\u0007House",          // C0 bell
            "Tea\u007FHouse",          // DEL
            "Tea\u0085House",          // C1 next line
            "Tea\u009BHouse",          // C1 control sequence introducer
            "Tea\nHouse",              // line feed where the field allows none
            "Tea\rHouse",
            "Tea\u2028House",          // line separator
            "Tea\u2029House",          // paragraph separator
            "\u202EesuoH aeT",         // right-to-left override
            "Tea\u202AHouse",          // left-to-right embedding
            "Tea\u202BHouse",          // right-to-left embedding
            "Tea\u202CHouse",          // pop directional formatting
            "Tea\u202DHouse",          // left-to-right override
            "Tea\u2066House\u2069",    // left-to-right isolate … pop isolate
            "Tea\u2067House",          // right-to-left isolate
            "Tea\u2068House",          // first strong isolate
            "Tea\u200EHouse",          // left-to-right mark
            "Tea\u200FHouse",          // right-to-left mark
            "Tea\u061CHouse",          // Arabic letter mark
            "\uFEFFTea House",         // byte order mark
            "Tea\uFEFFHouse",          // zero-width no-break space
            "Tea\u200BHouse",          // zero-width space
            "Tea\u2060House",          // word joiner
            "Tea\u00ADHouse",          // soft hyphen
            "Tea\uFFF9House",          // interlinear annotation anchor
            "Tea\uFFFDHouse",          // replacement character: already damaged
            "Tea\uFFFEHouse",          // noncharacter
            "Tea\uFDD0House",          // noncharacter
            "Tea\u3164House",          // Hangul filler
    })
    void refusesBrokenControlAndFormatCharactersAnywhere(String text) {
        assertRejected(() -> SafeText.check(FIELD, text, codePoint -> false), FIELD, "characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\u200B\u200B\u200B",      // zero-width spaces only
            "\u200C\u200D\u200C",      // joiners only (each one allowed, but nothing to see)
            "\u0301\u0301\u0301",      // combining marks only
            "\u00A0\u00A0\u00A0",      // no-break spaces only
            "\u2800\u2800\u2800",      // braille blanks
            "\uFE0F\uFE0F\uFE0F",      // variation selectors only
    })
    void refusesTextWithNothingVisible(String text) {
        assertRejected(() -> SafeText.check(FIELD, text, codePoint -> false), FIELD, "characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Tea House", "西湖茶馆", "茶 ☕", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", // ZWJ family emoji
            "می\u200Cخواهم",           // Persian with a zero-width non-joiner
            "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F", // flag of Scotland (tags)
            "שלום Tea",                 // right-to-left script without overrides
            "\uD83D\uDE00 happy",      // a correctly paired surrogate
    })
    void keepsOrdinaryTextInEveryScript(String text) {
        assertThat(SafeText.check(FIELD, text, codePoint -> false)).isEqualTo(text);
    }

    @Test
    void allowsOnlyTheControlCharactersTheFieldAllows() {
        assertThat(SafeText.check("description", "line one\nline two", codePoint -> codePoint == '\n'))
                .isEqualTo("line one\nline two");
        assertRejected(() -> SafeText.check("description", "line one\r\nline two", codePoint -> codePoint == '\n'),
                "description", "characters");
    }

    @Test
    void normalizesToNfcSoThatOneTextHasOneForm() {
        String decomposed = "Cafe\u0301";
        String precomposed = "Caf\u00E9";

        assertThat(SafeText.check(FIELD, decomposed, codePoint -> false)).isEqualTo(precomposed);
        assertThat(SafeText.check(FIELD, precomposed, codePoint -> false)).isEqualTo(precomposed);
    }

    @Test
    void keepsFullWidthLettersAsTyped() {
        // NFC, not NFKC: compatibility folding would turn ＡＢ into AB and change the name's display width
        assertThat(SafeText.check(FIELD, "ＡＢ", codePoint -> false)).isEqualTo("ＡＢ");
    }
}
