package dev.miniplatform.infra.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the request path away from a Redis that is failing: after {@code threshold} consecutive failures the
 * breaker opens and callers skip Redis for {@code openFor}; then exactly one caller at a time may probe
 * (half-open), and its success closes the breaker. Lock-free, so it can sit on the event loop.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(null);
    private final AtomicReference<Boolean> probing = new AtomicReference<>(false);

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        if (threshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("threshold must be at least 1 and openFor not negative");
        }
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Whether this call may use Redis; a {@code true} in half-open state must be followed by success or failure. */
    public boolean tryAcquire() {
        Instant until = openUntil.get();
        if (until == null) {
            return true;
        }
        if (clock.instant().isBefore(until)) {
            return false;
        }
        return probing.compareAndSet(false, true);
    }

    public void onSuccess() {
        failures.set(0);
        openUntil.set(null);
        probing.set(false);
    }

    public void onFailure() {
        if (openUntil.get() != null || failures.incrementAndGet() >= threshold) {
            openUntil.set(clock.instant().plus(openFor));
        }
        probing.set(false);
    }

    public State state() {
        Instant until = openUntil.get();
        if (until == null) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(until) ? State.OPEN : State.HALF_OPEN;
    }
}
