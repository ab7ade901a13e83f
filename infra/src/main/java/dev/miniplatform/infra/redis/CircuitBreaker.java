package dev.miniplatform.infra.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the request path away from a Redis that is failing: after {@code threshold} consecutive failures the
 * breaker opens and callers skip Redis for {@code openFor}; then exactly one caller at a time may probe
 * (half-open), and its success closes the breaker. A probe that never reports (its request was cancelled: the client
 * went away, a timeout upstream) is given up after another {@code openFor}, and the next caller probes: otherwise one
 * lost probe kept the breaker open for good, and every read of the node bypassed Redis until it restarted.
 * Lock-free, so it can sit on the event loop.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(null);
    /** When the probe under way was let through; null when none is. */
    private final AtomicReference<Instant> probing = new AtomicReference<>(null);

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        if (threshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("threshold must be at least 1 and openFor not negative");
        }
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /**
     * Whether this call may use Redis; a {@code true} in half-open state should be followed by success or failure
     * (one that is not is taken as lost after {@code openFor}).
     */
    public boolean tryAcquire() {
        Instant until = openUntil.get();
        if (until == null) {
            return true;
        }
        Instant now = clock.instant();
        if (now.isBefore(until)) {
            return false;
        }
        Instant probe = probing.get();
        if (probe != null && now.isBefore(probe.plus(openFor))) {
            return false;
        }
        return probing.compareAndSet(probe, now);
    }

    public void onSuccess() {
        failures.set(0);
        openUntil.set(null);
        probing.set(null);
    }

    /**
     * A call it let through was cancelled before it reported. While the breaker is half-open that call was the probe
     * (the one call let through), which is let go now, so that the next caller probes at once instead of after
     * {@code openFor}. At worst (a call admitted while closed and cancelled after another probe started) two probes
     * run at once; both report.
     */
    public void onCancel() {
        if (openUntil.get() != null) {
            probing.set(null);
        }
    }

    public void onFailure() {
        if (openUntil.get() != null || failures.incrementAndGet() >= threshold) {
            openUntil.set(clock.instant().plus(openFor));
        }
        probing.set(null);
    }

    public State state() {
        Instant until = openUntil.get();
        if (until == null) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(until) ? State.OPEN : State.HALF_OPEN;
    }
}
