package dev.miniplatform.model.template;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LinearRegexTest {

    /** Wide: each case takes milliseconds; java.util.regex takes minutes to days on the same input. */
    private static final Duration FAST = Duration.ofSeconds(5);

    @Test
    void backReferencesAndLookAroundAreRefusedNotHandedToAnotherEngine() {
        for (String pattern : new String[] {"^((a+)\\2?)+$", "(a)\\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "(?<n>a)\\k<n>"}) {
            assertThatThrownBy(() -> LinearRegex.compile(pattern))
                    .as(pattern)
                    .isInstanceOfSatisfying(LinearRegex.Refused.class, refused -> {
                        assertThat(refused.code()).isEqualTo("pattern");
                        assertThat(refused.getMessage()).contains("linear-time");
                    });
        }
    }

    @Test
    void nestedQuantifiersRe2CanExpressMatchInLinearTime() {
        var matcher = LinearRegex.FACTORY.getRegularExpression("^(a+)+$");
        String attack = "a".repeat(16_000) + "!";

        boolean matched = assertTimeoutPreemptively(FAST, () -> matcher.matches(attack));

        assertThat(matched).isFalse();
        assertThat(matcher.matches("aaaa")).isTrue();
    }

    @Test
    void patternsAreEcmaSearchesNotWholeMatches() {
        assertThat(LinearRegex.FACTORY.getRegularExpression("b").matches("abc")).isTrue();
        assertThat(LinearRegex.FACTORY.getRegularExpression("^#[0-9a-f]{6}$").matches("#00aa11")).isTrue();
        assertThat(LinearRegex.FACTORY.getRegularExpression("^a$").matches("a\n")).isFalse();
    }

    @Test
    void ecmaUnicodeEscapesAreRewrittenForRe2() {
        assertThat(LinearRegex.toRe2("^caf\\u00e9$")).isEqualTo("^caf\\x{00e9}$");
        assertThat(LinearRegex.toRe2("\\u{1F600}")).isEqualTo("\\x{1F600}");
        assertThat(LinearRegex.toRe2("\\\\u00e9")).as("an escaped backslash stays one").isEqualTo("\\\\u00e9");
        assertThat(LinearRegex.FACTORY.getRegularExpression("^caf\\u00e9$").matches("café")).isTrue();
        assertThat(LinearRegex.FACTORY.getRegularExpression("^\\u{1F600}$").matches("\uD83D\uDE00")).isTrue();
    }

    @Test
    void nestedCountedRepetitionsAreRefusedBeforeTheyAreBuilt() {
        for (String pattern : new String[] {"(a{1000}){1000}", "((a{100}){100}){100}", "((((a{1000}){1000}){1000}){1000})"}) {
            assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> LinearRegex.compile(pattern))
                    .as(pattern)
                    .isInstanceOfSatisfying(LinearRegex.Refused.class, refused -> assertThat(refused.code()).isEqualTo("pattern-size")));
        }
        assertThat(LinearRegex.compile("^[a-zA-Z0-9._%+-]{1,64}@[a-zA-Z0-9.-]{1,255}\\.[a-zA-Z]{2,63}$").programSize())
                .isLessThan(LinearRegex.MAX_PROGRAM_SIZE);
    }

    @Test
    void theEstimateIsAnUpperBoundOfTheCompiledProgram() {
        for (String pattern : new String[] {"^#[0-9a-f]{6}$", "[a-z]{1,1000}x", "(a|bc){2,5}", "(abc)*", "\\p{L}+",
                "a{3,}", "[]a]{2}", "(?i)ab|cd", "\\x{41}{10}"}) {
            assertThat(LinearRegex.estimatedSize(pattern)).as(pattern).isGreaterThanOrEqualTo(Pattern.compile(pattern).programSize());
        }
    }

    @Test
    void matchingStopsWhenTheBudgetRunsOut() {
        var matcher = LinearRegex.FACTORY.getRegularExpression("(\\w|[a-z]|[^b]|.){0,100}$");
        String long16k = "b".repeat(16_000);
        CheckBudget budget = CheckBudget.of(Duration.ofMillis(5));

        long started = System.nanoTime();
        boolean matched = budget.run(() -> {
            boolean result = true;
            for (int i = 0; i < 50; i++) {
                result &= matcher.matches(long16k);
            }
            return result;
        });

        // fifty matches of about 0.3 s each without a budget; with it, the first one ends after ~5 ms and the rest at once
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(budget.exhausted()).isTrue();
        assertThat(matched).as("an interrupted match reports no failure; the check reports the budget").isTrue();
    }
}
