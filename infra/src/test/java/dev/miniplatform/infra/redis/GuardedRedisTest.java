package dev.miniplatform.infra.redis;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GuardedRedisTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(2);

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-05T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(2, OPEN_FOR, clock);
    private final AtomicInteger failures = new AtomicInteger();
    private final GuardedRedis guard = new GuardedRedis("test", breaker, failures::incrementAndGet);

    @Test
    void aFailedCallFallsBackAndIsCounted() {
        StepVerifier.create(guard.call(() -> Mono.error(new IllegalStateException("down")), () -> Mono.just("fallback")))
                .expectNext("fallback")
                .verifyComplete();

        assertThat(failures).hasValue(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anOpenBreakerSkipsRedisWithoutCountingAFailure() {
        openTheBreaker();
        AtomicInteger calls = new AtomicInteger();

        StepVerifier.create(guard.call(() -> Mono.fromCallable(calls::incrementAndGet).map(String::valueOf),
                        () -> Mono.just("fallback")))
                .expectNext("fallback")
                .verifyComplete();

        assertThat(calls).hasValue(0);
        assertThat(failures).hasValue(2);
    }

    @Test
    void aSucceedingCallClosesTheBreakerAgain() {
        openTheBreaker();
        clock.advance(OPEN_FOR);

        StepVerifier.create(guard.call(() -> Mono.just("value"), () -> Mono.just("fallback")))
                .expectNext("value")
                .verifyComplete();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aCancelledProbeLetsTheNextCallerProbeAtOnce() {
        openTheBreaker();
        clock.advance(OPEN_FOR);

        guard.call(Mono::<String>never, () -> Mono.just("fallback")).subscribe().dispose();

        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void reportReturnsEmptyOnFailure() {
        assertThat(guard.tryAcquire()).isTrue();

        StepVerifier.create(guard.report(Mono.error(new IllegalStateException("down"))))
                .verifyComplete();

        assertThat(failures).hasValue(1);
    }

    @Test
    void aReplayThatFinishesClosesTheBreaker() {
        openTheBreaker();
        clock.advance(OPEN_FOR);
        assertThat(guard.tryAcquire()).isTrue();

        StepVerifier.create(guard.replay(Mono.empty(), Duration.ofSeconds(1)))
                .expectNext(true)
                .verifyComplete();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aReplayThatTimesOutIsAFailure() {
        StepVerifier.withVirtualTime(() -> guard.replay(Mono.never(), Duration.ofSeconds(1)))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(false)
                .verifyComplete();

        assertThat(failures).hasValue(1);
    }

    private void openTheBreaker() {
        guard.call(() -> Mono.error(new IllegalStateException("down")), Mono::empty).block();
        guard.call(() -> Mono.error(new IllegalStateException("down")), Mono::empty).block();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
