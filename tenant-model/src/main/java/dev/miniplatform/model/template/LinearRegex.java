package dev.miniplatform.model.template;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * The only regular expression engine schemas get: RE2/J, whose matching time is linear in the input (no
 * backtracking, so {@code ^((a+)\2?)+$} cannot take minutes). What it cannot express (back-references, look-around)
 * is refused, never handed to {@code java.util.regex}. JSON Schema patterns are ECMA-262; the few ECMA spellings
 * RE2 lacks (&#92;u00e9, &#92;u{1F600}) are rewritten, everything else is RE2 syntax as written.
 * <p>
 * A pattern compiles to a program whose size times the input length is the matching cost. The program size is
 * bounded ({@link #MAX_PROGRAM_SIZE}), estimated before compiling so that nested counted repetitions such as
 * {@code ((a{1000}){1000}){1000}} are refused without building them; matching checks the caller's
 * {@link CheckBudget} as it goes.
 */
final class LinearRegex {

    /** RE2 instructions of all the patterns of one schema together; an e-mail-like pattern is about 800. */
    static final int MAX_PROGRAM_SIZE = 10_000;

    /** How many characters are read between two looks at the budget. */
    private static final int BUDGET_STRIDE = 64;

    private LinearRegex() {
    }

    /** The networknt hook: every {@code pattern}, {@code patternProperties} key and {@code format: regex} ends here. */
    static final RegularExpressionFactory FACTORY = regex -> matcher(compile(regex));

    /** Why a pattern is refused, for a 400 that names it. */
    static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /**
     * @throws Refused if RE2 cannot express the pattern or its program would exceed {@link #MAX_PROGRAM_SIZE}
     */
    static Pattern compile(String ecmaPattern) {
        String re2 = toRe2(ecmaPattern);
        if (estimatedSize(re2) > 2L * MAX_PROGRAM_SIZE) {
            throw tooLarge();
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(re2);
        } catch (PatternSyntaxException e) {
            throw new Refused("pattern", "not supported by the platform's linear-time matcher (RE2 syntax; "
                    + "back-references and look-around are not): " + e.getDescription());
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            throw tooLarge();
        }
        return pattern;
    }

    static Refused tooLarge() {
        return new Refused("pattern-size", "the schema's patterns compile to more than %d instructions; use fewer or "
                .formatted(MAX_PROGRAM_SIZE) + "smaller counted repetitions ({n,m}), or minLength/maxLength");
    }

    private static RegularExpression matcher(Pattern pattern) {
        return value -> {
            CheckBudget budget = CheckBudget.current();
            if (budget == null) {
                return pattern.matcher(value).find();
            }
            if (budget.exhausted()) {
                return true; // the check is over; it reports the budget, not this value
            }
            try {
                return pattern.matcher(new Metered(value, budget)).find();
            } catch (CheckBudget.Exhausted e) {
                // not thrown through the library (it would log every one as an error): the next keyword ends the check
                return true;
            }
        };
    }

    /** The input as RE2/J reads it, one {@code charAt} per step: every {@link #BUDGET_STRIDE} steps, a look at the budget. */
    private record Metered(String text, CheckBudget budget) implements CharSequence {

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (index % BUDGET_STRIDE == 0) {
                budget.spend();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Metered(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** ECMA-262 escapes RE2 spells differently; a backslash always takes the next character with it. */
    static String toRe2(String ecma) {
        StringBuilder re2 = new StringBuilder(ecma.length());
        int i = 0;
        while (i < ecma.length()) {
            char c = ecma.charAt(i);
            if (c != '\\' || i + 1 >= ecma.length()) {
                re2.append(c);
                i++;
                continue;
            }
            char next = ecma.charAt(i + 1);
            int braced = next == 'u' && i + 2 < ecma.length() && ecma.charAt(i + 2) == '{' ? ecma.indexOf('}', i + 3) : -1;
            if (braced > 0 && isHex(ecma, i + 3, braced)) {
                re2.append("\\x{").append(ecma, i + 3, braced).append('}');
                i = braced + 1;
            } else if (next == 'u' && i + 6 <= ecma.length() && isHex(ecma, i + 2, i + 6)) {
                re2.append("\\x{").append(ecma, i + 2, i + 6).append('}');
                i += 6;
            } else {
                re2.append(c).append(next);
                i += 2;
            }
        }
        return re2.toString();
    }

    private static boolean isHex(String text, int from, int to) {
        if (to <= from || to - from > 6) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * An upper estimate of RE2's program size, cheap and without compiling: {@code x{n,m}} is m copies of x, an
     * alternation is all its branches. Only to refuse blow-ups before RE2 builds them; the bound itself is checked
     * on the compiled program.
     */
    static long estimatedSize(String re2) {
        return new Estimate(re2).alternation() + PROGRAM_OVERHEAD;
    }

    /** Instructions every program has: the whole match's capture and the match itself. */
    private static final int PROGRAM_OVERHEAD = 4;

    private static final class Estimate {
        private static final long CAP = Long.MAX_VALUE / 4;
        private final String text;
        private int at;

        Estimate(String text) {
            this.text = text;
        }

        long alternation() {
            long size = concatenation();
            while (at < text.length() && text.charAt(at) == '|') {
                at++;
                size = add(size, add(concatenation(), 1));
            }
            return size;
        }

        private long concatenation() {
            long size = 0;
            while (at < text.length() && text.charAt(at) != '|' && text.charAt(at) != ')') {
                size = add(size, quantified(atom()));
            }
            return size;
        }

        private long atom() {
            char c = text.charAt(at++);
            return switch (c) {
                case '(' -> {
                    long inner = alternation();
                    if (at < text.length()) {
                        at++; // ')'
                    }
                    yield add(inner, 2);
                }
                case '[' -> {
                    skipClass();
                    yield 1;
                }
                case '\\' -> {
                    skipEscape();
                    yield 1;
                }
                default -> 1;
            };
        }

        private long quantified(long size) {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '*' || c == '+' || c == '?') {
                    at++;
                    size = add(size, 1);
                } else if (c == '{' && repeat() instanceof long[] bounds) {
                    long min = bounds[0];
                    long max = bounds[1];
                    size = add(mul(size, min), mul(add(size, 1), max - min));
                } else {
                    return size;
                }
            }
            return size;
        }

        /** {@code {n}}, {@code {n,}} or {@code {n,m}} at the cursor, consumed; anything else is a literal brace. */
        private long[] repeat() {
            int close = text.indexOf('}', at);
            if (close < 0) {
                return null;
            }
            String[] parts = text.substring(at + 1, close).split(",", -1);
            try {
                long min = Long.parseLong(parts[0]);
                long max = parts.length == 1 ? min : parts[1].isEmpty() ? min + 1 : Long.parseLong(parts[1]);
                if (parts.length > 2 || min < 0 || max < min) {
                    return null;
                }
                at = close + 1;
                return new long[] {min, max};
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private void skipClass() {
            if (at < text.length() && text.charAt(at) == '^') {
                at++;
            }
            if (at < text.length() && text.charAt(at) == ']') {
                at++;
            }
            while (at < text.length() && text.charAt(at) != ']') {
                if (text.charAt(at) == '\\') {
                    at++;
                    skipEscape();
                } else if (text.startsWith("[:", at) && text.indexOf(":]", at + 2) > 0) {
                    at = text.indexOf(":]", at + 2) + 2;
                } else {
                    at++;
                }
            }
            at++;
        }

        private void skipEscape() {
            if (at >= text.length()) {
                return;
            }
            char c = text.charAt(at++);
            if ((c == 'x' || c == 'p' || c == 'P') && at < text.length() && text.charAt(at) == '{') {
                int close = text.indexOf('}', at);
                at = close < 0 ? text.length() : close + 1;
            } else if (c == 'p' || c == 'P') {
                at = Math.min(text.length(), at + 1);
            }
        }

        private static long add(long a, long b) {
            return Math.min(CAP, a + b);
        }

        private static long mul(long a, long b) {
            return b == 0 ? 0 : a > CAP / b ? CAP : a * b;
        }
    }
}
