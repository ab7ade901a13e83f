package dev.miniplatform.infra.polling;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PollingLoopTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Test
    void aFailingRoundIsReportedAndTheNextTickRunsAgain() {
        AtomicInteger rounds = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();

        StepVerifier.withVirtualTime(() -> PollingLoop.every(INTERVAL, () -> rounds.incrementAndGet() == 1
                        ? Mono.<Integer>error(new IllegalStateException("database away"))
                        : Mono.just(rounds.get()), failures::add))
                .expectSubscription()
                .thenAwait(INTERVAL.multipliedBy(2))
                .assertNext(round -> {
                    assertThat(round).isEqualTo(2);
                    assertThat(failures).hasSize(1);
                })
                .thenAwait(INTERVAL)
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void roundsNeverOverlapAndTicksDuringARoundAreDroppedButOne() {
        AtomicInteger rounds = new AtomicInteger();

        StepVerifier.withVirtualTime(() -> PollingLoop.every(INTERVAL,
                        () -> Mono.just(rounds.incrementAndGet()).delayElement(Duration.ofMillis(4500)), failure -> { }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(5500))
                .expectNext(1)
                // the first tick during a round runs as soon as it ends (at 5.5 s, at 10 s); the others were dropped
                .thenAwait(Duration.ofMillis(4500))
                .expectNext(2)
                .thenAwait(Duration.ofMillis(4500))
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void runsFromStartToStopAndMayStartAgain() {
        AtomicInteger rounds = new AtomicInteger();
        Loop loop = new Loop(true, PollingLoop.every(Duration.ofMillis(10), () -> Mono.just(rounds.incrementAndGet()),
                failure -> { }));

        loop.start();
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 3);
        loop.stop();

        assertThat(loop.isRunning()).isFalse();
        int stoppedAt = rounds.get();
        await().during(Duration.ofMillis(100)).until(() -> rounds.get() == stoppedAt);

        loop.start();
        assertThat(loop.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() > stoppedAt);
        loop.stop();
    }

    @Test
    void aDisabledLoopNeverStarts() {
        Loop loop = new Loop(false, Flux.never());

        loop.start();

        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.subscriptions).hasValue(0);
    }

    @Test
    void workThatEndsIsNotRunningAnyMore() {
        Loop loop = new Loop(true, Flux.error(new IllegalStateException("bug")));

        loop.start();

        assertThat(loop.isRunning()).isFalse();
    }

    private static final class Loop extends PollingLoop {

        private final boolean enabled;
        private final Flux<?> work;
        private final AtomicInteger subscriptions = new AtomicInteger();

        Loop(boolean enabled, Flux<?> work) {
            this.enabled = enabled;
            this.work = work;
        }

        @Override
        protected boolean enabled() {
            return enabled;
        }

        @Override
        protected Flux<?> work() {
            return work.doOnSubscribe(subscription -> subscriptions.incrementAndGet());
        }
    }
}
