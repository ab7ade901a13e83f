package dev.miniplatform.model.miniprogram;

import java.lang.Character.UnicodeScript;
import java.util.Set;

/**
 * How wide a text looks, for the Alipay+ naming rule "one Chinese character counts as two, one letter or number
 * counts as one".
 * <p>
 * The rule only speaks of Chinese and Latin text, but a merchant may type Japanese, Korean, full-width letters or
 * emoji, and the reviewer judges those by how much room they take on screen. So the rule is generalized along the
 * lines of Unicode's East Asian Width, code point by code point:
 * <ul>
 *     <li><b>0</b> for what never stands alone on screen: combining marks (non-spacing, enclosing and spacing
 *     combining), the zero-width joiner U+200D and variation selectors (U+FE00–FE0F, U+E0100–E01EF). Otherwise
 *     "é" typed as e + U+0301 would count twice what the precomposed "é" counts.</li>
 *     <li><b>2</b> for wide and full-width characters: Han ideographs including all extensions, Hiragana,
 *     Katakana, Hangul, Bopomofo, CJK Symbols and Punctuation (U+3000–303F), full-width forms (U+FF01–FF60,
 *     U+FFE0–FFE6) and emoji / pictographs (U+2600–27BF, U+1F300–1FAFF). Half-width Katakana and Hangul
 *     (U+FF61–FFDC) stay at 1, as their name says.</li>
 *     <li><b>1</b> for everything else.</li>
 * </ul>
 * Emoji sequences are not recognized as one picture: a ZWJ family such as 👨‍👩‍👧 counts 2 + 0 + 2 + 0 + 2 = 6,
 * and a skin-tone modifier adds 2. That over-counts a little, which only ever errs towards the shorter names
 * that review prefers, and keeps the rule explainable without a grapheme-cluster table.
 */
public final class DisplayWidth {

    private static final Set<UnicodeScript> WIDE_SCRIPTS = Set.of(
            UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA,
            UnicodeScript.HANGUL, UnicodeScript.BOPOMOFO);

    /** Blocks whose punctuation and marks belong to the "common" script but are drawn wide all the same. */
    private static final int[][] WIDE_RANGES = {
            {0x3000, 0x303F},   // CJK Symbols and Punctuation
            {0x3040, 0x30FF},   // Hiragana and Katakana blocks, e.g. the prolonged sound mark ー
            {0xFF01, 0xFF60},   // full-width ASCII variants
            {0xFFE0, 0xFFE6},   // full-width signs such as ￥
            {0x2600, 0x27BF},   // miscellaneous symbols and dingbats, e.g. ☕
            {0x1F300, 0x1FAFF}, // emoji and pictographs
    };

    private DisplayWidth() {
    }

    public static int of(String text) {
        return text.codePoints().map(DisplayWidth::widthOf).sum();
    }

    static int widthOf(int codePoint) {
        if (isZeroWidth(codePoint)) {
            return 0;
        }
        return isWide(codePoint) ? 2 : 1;
    }

    /** Shared with the plain character count, so both rules agree on what is "no character at all". */
    static boolean isZeroWidth(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || codePoint == 0x200D
                || within(codePoint, 0xFE00, 0xFE0F)
                || within(codePoint, 0xE0100, 0xE01EF);
    }

    private static boolean isWide(int codePoint) {
        if (isHalfWidthForm(codePoint)) {
            return false;
        }
        if (WIDE_SCRIPTS.contains(UnicodeScript.of(codePoint))) {
            return true;
        }
        for (int[] range : WIDE_RANGES) {
            if (within(codePoint, range[0], range[1])) {
                return true;
            }
        }
        return false;
    }

    /** Half-width Katakana and Hangul carry a wide script but are drawn narrow. */
    private static boolean isHalfWidthForm(int codePoint) {
        return within(codePoint, 0xFF61, 0xFFDC);
    }

    private static boolean within(int codePoint, int first, int last) {
        return codePoint >= first && codePoint <= last;
    }
}
