package dev.miniplatform.auth.config;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger verifications = new AtomicInteger();

    @Test
    void aVerifiedTokenIsVerifiedOnceUntilItExpires() {
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderExpiringIn(Duration.ofMinutes(5)), 100, clock);

        StepVerifier.create(cache.decode("token-a")).expectNextCount(1).verifyComplete();
        StepVerifier.create(cache.decode("token-a")).expectNextCount(1).verifyComplete();

        assertThat(verifications).hasValue(1);
    }

    @Test
    void anExpiredEntryIsVerifiedAgainSoTheDelegateDecides() {
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderExpiringIn(Duration.ofMinutes(5)), 100, clock);
        StepVerifier.create(cache.decode("token-a")).expectNextCount(1).verifyComplete();

        clock.now = NOW.plus(Duration.ofMinutes(5));
        StepVerifier.create(cache.decode("token-a")).expectNextCount(1).verifyComplete();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void failuresAreNeverCached() {
        ReactiveJwtDecoder failing = token -> {
            verifications.incrementAndGet();
            return Mono.error(new BadJwtException("bad signature"));
        };
        VerifiedTokenCache cache = new VerifiedTokenCache(failing, 100, clock);

        StepVerifier.create(cache.decode("token-a")).expectError(BadJwtException.class).verify();
        StepVerifier.create(cache.decode("token-a")).expectError(BadJwtException.class).verify();

        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void differentTokensAreDifferentEntriesAndTheCacheIsBounded() {
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderExpiringIn(Duration.ofMinutes(5)), 10, clock);

        for (int i = 0; i < 100; i++) {
            StepVerifier.create(cache.decode("token-" + i)).expectNextCount(1).verifyComplete();
        }

        assertThat(verifications).hasValue(100);
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void aTokenWithoutExpiryIsNotCached() {
        ReactiveJwtDecoder noExp = token -> {
            verifications.incrementAndGet();
            return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("u").build());
        };
        VerifiedTokenCache cache = new VerifiedTokenCache(noExp, 100, clock);

        cache.decode("token-a").block();
        cache.decode("token-a").block();

        assertThat(verifications).hasValue(2);
    }

    private ReactiveJwtDecoder decoderExpiringIn(Duration lifetime) {
        return token -> {
            verifications.incrementAndGet();
            return Mono.just(Jwt.withTokenValue(token)
                    .header("alg", "RS256")
                    .subject("user-1")
                    .issuedAt(NOW)
                    .expiresAt(NOW.plus(lifetime))
                    .build());
        };
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
