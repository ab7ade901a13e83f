package dev.miniplatform.infra.redis;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    private Instant now = Instant.parse("2026-11-22T00:00:00Z");

    private final Clock clock = new Clock() {
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
    };

    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(2), clock);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void afterTheOpenPeriodExactlyOneProbeGoesAndItsResultDecides() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now = now.plusSeconds(3);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        now = now.plusSeconds(3);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    /** The probe of a cancelled request reports nothing: the breaker must not stay open for the node's lifetime. */
    @Test
    void aProbeThatNeverReportsIsGivenUpAfterTheOpenPeriod() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now = now.plusSeconds(3);
        assertThat(breaker.tryAcquire()).isTrue();
        // its request was cancelled: neither onSuccess nor onFailure comes
        now = now.plusSeconds(1);
        assertThat(breaker.tryAcquire()).isFalse();
        now = now.plusSeconds(2);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }
}
