package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayWidthTest {

    /** Invisible code points are spelled as Unicode escapes, which the compiler resolves inside the text block. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            abc                    | 3  | letters count one
            A1b2                   | 4  | letters and digits count one
            茶馆                   | 4  | Chinese characters count two
            Tea茶馆                | 7  | mixed
            ＡＢ                   | 4  | full-width letters count two
            ☕                     | 2  | an emoji counts two
            😀                     | 2  | an emoji outside the BMP counts two
            \u2615\uFE0F           | 2  | a variation selector counts zero
            e\u0301                | 1  | a combining accent counts zero
            \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 | 6  | a ZWJ family counts each person
            ひらがな               | 8  | Hiragana counts two
            カタカナー             | 10 | Katakana and the prolonged sound mark count two
            ｶﾀｶﾅ                   | 4  | half-width Katakana counts one
            한국                   | 4  | Hangul counts two
            ㄅㄆ                   | 4  | Bopomofo counts two
            「茶」。               | 8  | CJK punctuation counts two
            𠀀                     | 2  | a CJK extension B ideograph counts two
            """)
    void measuresByHowWideTheTextIsDrawn(String text, int width, String description) {
        assertThat(DisplayWidth.of(text)).isEqualTo(width);
    }
}
