package dev.miniplatform.walletsdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter (a random wait between half and all of the exponential step), so that
 * many SDK instances that failed together do not come back together.
 */
record Backoff(Duration first, Duration max) {

    Duration delay(int failures) {
        long firstMillis = Math.max(1, first.toMillis());
        int shift = Math.min(Math.max(failures - 1, 0), 20);
        long step = Math.min(max.toMillis(), firstMillis << shift);
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
