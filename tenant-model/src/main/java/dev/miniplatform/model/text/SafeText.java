package dev.miniplatform.model.text;

import dev.miniplatform.model.validation.InvalidInputException;

import java.text.Normalizer;
import java.util.function.IntPredicate;

/**
 * The one text-safety rule for every piece of free text a person types and another person reads: names,
 * taglines, descriptions, reasons. Text that passes is in Unicode NFC, so it is measured and stored in one form
 * however it was typed ("é" as one code point or as e + U+0301 is the same name, and the same length).
 * <p>
 * Refused anywhere in the text, with the code {@value #CODE}:
 * <ul>
 *     <li>unpaired UTF-16 surrogates (JSON can carry them as {@code \ud800}; PostgreSQL would store {@code ?});</li>
 *     <li>control characters (C0, DEL, C1) and the line and paragraph separators U+2028/2029, except those the
 *     field allows (a description allows the line feed);</li>
 *     <li>format characters (Unicode category Cf): bidirectional overrides, embeddings, isolates and marks
 *     (U+202A–202E, U+2066–2069, U+200E/200F, U+061C), which make text read differently from how it is stored;
 *     the byte order mark U+FEFF; zero-width space U+200B, word joiner U+2060, soft hyphen and the rest. Only the
 *     joiners U+200C/U+200D (needed by Persian, Indic scripts and emoji sequences) and the emoji tag characters
 *     U+E0020–E007F (subdivision flags) are kept;</li>
 *     <li>noncharacters (U+FDD0–FDEF, U+xxFFFE/xxFFFF) and U+FFFD, the mark of text already damaged in transit;</li>
 *     <li>the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, blank letters used to fake an empty name.</li>
 * </ul>
 * And the text must contain at least one visible character (a letter, digit, punctuation mark or symbol), so a
 * name made only of joiners, combining marks or no-break spaces is refused too.
 */
public final class SafeText {

    public static final String CODE = "characters";

    private SafeText() {
    }

    /**
     * Checks {@code value} and returns it in NFC, or throws with one error on {@code field}.
     *
     * @param allowedControl the control characters this field tolerates, e.g. {@code c -> c == '\n'}
     */
    public static String check(String field, String value, IntPredicate allowedControl) {
        String problem = problem(value, allowedControl);
        if (problem != null) {
            throw InvalidInputException.of(field, CODE, problem);
        }
        return Normalizer.normalize(value, Normalizer.Form.NFC);
    }

    /** Why the text is refused, for a message; {@code null} if it is fine. */
    static String problem(String value, IntPredicate allowedControl) {
        boolean visible = false;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            String problem = problem(codePoint, allowedControl);
            if (problem != null) {
                return problem + " (U+%04X at position %d)".formatted(codePoint, i);
            }
            visible |= isVisible(codePoint);
            i += Character.charCount(codePoint);
        }
        return visible ? null : "must contain at least one visible character";
    }

    private static String problem(int codePoint, IntPredicate allowedControl) {
        int type = Character.getType(codePoint);
        if (type == Character.SURROGATE) {
            return "must not contain an unpaired surrogate";
        }
        if (isControl(type) && !allowedControl.test(codePoint)) {
            return "must not contain control characters";
        }
        if (isBidiControl(codePoint)) {
            return "must not contain bidirectional control characters";
        }
        if (type == Character.FORMAT && !isKeptFormat(codePoint)) {
            return "must not contain invisible format characters";
        }
        if (isNoncharacter(codePoint) || codePoint == 0xFFFD || isHangulFiller(codePoint)) {
            return "must not contain noncharacters, replacement characters or blank fillers";
        }
        return null;
    }

    private static boolean isControl(int type) {
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isBidiControl(int codePoint) {
        return codePoint == 0x061C || codePoint == 0x200E || codePoint == 0x200F
                || within(codePoint, 0x202A, 0x202E) || within(codePoint, 0x2066, 0x2069);
    }

    private static boolean isKeptFormat(int codePoint) {
        return codePoint == 0x200C || codePoint == 0x200D || within(codePoint, 0xE0020, 0xE007F);
    }

    private static boolean isNoncharacter(int codePoint) {
        return within(codePoint, 0xFDD0, 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    private static boolean isHangulFiller(int codePoint) {
        return codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x3164 || codePoint == 0xFFA0;
    }

    private static boolean isVisible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
                    codePoint != 0x2800; // braille blank: a symbol that draws nothing
            default -> false;
        };
    }

    private static boolean within(int codePoint, int first, int last) {
        return codePoint >= first && codePoint <= last;
    }
}
