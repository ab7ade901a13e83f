package dev.miniplatform.infra.effects;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter: {@code first × 2^(attempt−1)}, capped at {@code max}, then spread by ± 20 % so
 * that effects which failed together (Keycloak went down) do not all retry in the same instant.
 */
record Backoff(Duration first, Duration max, DoubleSupplier random) {

    /** Wait after the {@code attempt}-th failed attempt (1-based). */
    Duration after(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        double base = Math.min(first.toMillis() * Math.pow(2, doublings), max.toMillis());
        double jittered = base * (0.8 + 0.4 * random.getAsDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
