package dev.miniplatform.auth.config;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop answers exactly as Spring Security's regular expressions, for every character and for mixtures. */
class FirewallCharactersTest {

    private static final Predicate<String> SPRING_NAMES = StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES;
    private static final Predicate<String> SPRING_VALUES = StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES;

    @Test
    void everyCodePointAloneIsJudgedAsSpringJudgesIt() {
        List<String> disagreements = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            if (FirewallCharacters.isAssignedAndNotControl(text) != SPRING_NAMES.test(text)
                    || FirewallCharacters.isHeaderValue(text) != SPRING_VALUES.test(text)) {
                disagreements.add(Integer.toHexString(codePoint));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void loneSurrogatesTabsAndEmptyTextAreJudgedAsSpringJudgesThem() {
        for (String text : List.of("", "\t", "a\tb", "\uD800", "a\uDC00", "\uDC00\uD800", "\uD83D\uDE00", "\u0085",
                "\u007F", "\u00A0", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "zh-CN,en;q=0.8", "\r\n")) {
            assertThat(FirewallCharacters.isAssignedAndNotControl(text)).as(text).isEqualTo(SPRING_NAMES.test(text));
            assertThat(FirewallCharacters.isHeaderValue(text)).as(text).isEqualTo(SPRING_VALUES.test(text));
        }
        assertThat(FirewallCharacters.isHeaderValue(null)).isEqualTo(SPRING_VALUES.test(null)).isTrue();
        assertThat(FirewallCharacters.isAssignedAndNotControl(null)).isEqualTo(SPRING_NAMES.test(null)).isTrue();
    }

    @Test
    void randomMixturesAreJudgedAsSpringJudgesThem() {
        Random random = new Random(42);
        int[] interesting = {'\t', '\n', 0, 0x7F, 0x85, 0x378, 0xD800, 0xDFFF, 0xFFFF, 0xE000, 0x1F600, 0x10FFFF};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                int pick = random.nextInt(4);
                if (pick == 0) {
                    text.appendCodePoint(interesting[random.nextInt(interesting.length)]);
                } else if (pick == 1) {
                    text.append((char) random.nextInt(0x10000));
                } else {
                    text.append((char) (0x20 + random.nextInt(0x5F)));
                }
            }
            String value = text.toString();
            assertThat(FirewallCharacters.isAssignedAndNotControl(value)).as(value).isEqualTo(SPRING_NAMES.test(value));
            assertThat(FirewallCharacters.isHeaderValue(value)).as(value).isEqualTo(SPRING_VALUES.test(value));
        }
    }
}
