package dev.miniplatform.walletsdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class WalletClientTest {

    @Test
    void languagesAreSentInOrderOfPreference() {
        assertThat(WalletClient.acceptLanguage()).isNull();
        assertThat(WalletClient.acceptLanguage(Locale.forLanguageTag("en-US"))).isEqualTo("en-US");
        assertThat(WalletClient.acceptLanguage(Locale.forLanguageTag("zh-Hant-TW"), Locale.forLanguageTag("en")))
                .isEqualTo("zh-Hant-TW, en;q=0.9");
    }

    @Test
    void tokensAreRenewedAt80PercentOfTheirLifeAndAtTheLatest30SecondsBeforeExpiry() {
        assertThat(TokenSource.renewAfter(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(4));
        assertThat(TokenSource.renewAfter(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(48));
        assertThat(TokenSource.renewAfter(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
        assertThat(TokenSource.renewAfter(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(15));
        assertThat(TokenSource.renewAfter(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void backoffGrowsToItsMaximumWithJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(backoff.delay(30)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        }
    }

    @Test
    void theEtagCacheKeepsTheMostRecentlyUsedWithinItsBound() {
        EtagCache cache = new EtagCache(2);
        cache.put("a", new EtagCache.Cached("\"a\"", null));
        cache.put("b", new EtagCache.Cached("\"b\"", null));
        cache.get("a");
        cache.put("c", new EtagCache.Cached("\"c\"", null));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(new EtagCache(0).get("a")).isNull();
    }
}
