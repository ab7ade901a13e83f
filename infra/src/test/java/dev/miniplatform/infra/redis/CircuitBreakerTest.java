package dev.miniplatform.infra.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-22T00:00:00Z"));

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
        clock.advance(Duration.ofSeconds(3));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(3));
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
        clock.advance(Duration.ofSeconds(3));
        assertThat(breaker.tryAcquire()).isTrue();
        // its request was cancelled: neither onSuccess nor onFailure comes
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aCancelledProbeIsLetGoAtOnce() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();
        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();

        breaker.onCancel();

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void aCancelWhileClosedChangesNothing() {
        breaker.onCancel();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }
}
