package dev.miniplatform.infra.effects;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private static Backoff withRandom(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> random);
    }

    @Test
    void doublesWithEachFailureFromTheFirstWait() {
        Backoff middle = withRandom(0.5);

        assertThat(middle.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(middle.after(8)).isEqualTo(Duration.ofSeconds(128));
    }

    @Test
    void neverWaitsLongerThanTheCapPlusJitterHoweverManyFailures() {
        assertThat(withRandom(0.5).after(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(withRandom(0.5).after(11)).isEqualTo(Duration.ofMinutes(10));
        assertThat(withRandom(0.5).after(1_000)).isEqualTo(Duration.ofMinutes(10));
        assertThat(withRandom(0.999).after(1_000)).isLessThanOrEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void jitterSpreadsEachWaitByAtMostTwentyPercent() {
        assertThat(withRandom(0.0).after(3)).isEqualTo(Duration.ofMillis(3200));
        assertThat(withRandom(1.0).after(3)).isEqualTo(Duration.ofMillis(4800));
    }

    @Test
    void aNonsenseAttemptNumberCountsAsTheFirst() {
        assertThat(withRandom(0.5).after(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(withRandom(0.5).after(-3)).isEqualTo(Duration.ofSeconds(1));
    }
}
