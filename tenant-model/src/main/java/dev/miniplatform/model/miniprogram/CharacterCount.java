package dev.miniplatform.model.miniprogram;

/**
 * Characters as a person counts them: code points, leaving out combining marks, the zero-width joiner and
 * variation selectors, so that "é" is one character however it was typed and "☕️" is one cup.
 * <p>
 * Used for the tagline and description, where the Alipay+ quickstart gives lengths but no CJK weighting; counting
 * a Chinese character as one there is the reading that does not silently halve what a Chinese merchant may write.
 */
final class CharacterCount {

    private CharacterCount() {
    }

    static int of(String text) {
        return (int) text.codePoints().filter(codePoint -> !DisplayWidth.isZeroWidth(codePoint)).count();
    }
}
