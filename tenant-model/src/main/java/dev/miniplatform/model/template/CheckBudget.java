package dev.miniplatform.model.template;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The CPU time that checking ext configs against a schema may take: one check, or every item of one batch request
 * (calls add up). Measured on the checking thread's CPU clock, so a check is not cut short because the machine is
 * busy with other work, only because it costs too much itself. One budget serves one request, one call at a time.
 */
public final class CheckBudget {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_CLOCK = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    /**
     * The budget of the check running on this thread, for the matcher deep inside the validator (the library
     * gives it no context). Set and cleared around one synchronous call, never across a reactive boundary.
     */
    private static final ThreadLocal<CheckBudget> CURRENT = new ThreadLocal<>();

    private final long limitNanos;
    private long spentNanos;
    private long callStartedAt;
    private boolean exhausted;

    private CheckBudget(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    public static CheckBudget of(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a check budget is a positive duration");
        }
        return new CheckBudget(limit);
    }

    public Duration limit() {
        return Duration.ofNanos(limitNanos);
    }

    /** True once the budget ran out: later calls with it end at once. */
    public boolean exhausted() {
        return exhausted;
    }

    /** Thrown where the validator can be left (it restores its own state in finally blocks). */
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("check budget exhausted", null, false, false);
        }
    }

    static CheckBudget current() {
        return CURRENT.get();
    }

    /** Runs one check on this thread, its CPU time added to what earlier calls spent. */
    <T> T run(java.util.function.Supplier<T> check) {
        CheckBudget outer = CURRENT.get();
        CURRENT.set(this);
        callStartedAt = clock();
        try {
            return check.get();
        } finally {
            spentNanos += clock() - callStartedAt;
            if (spentNanos > limitNanos) {
                exhausted = true;
            }
            CURRENT.set(outer);
        }
    }

    /** Looks at the clock during a call; past the limit, marks the budget exhausted and throws. */
    void spend() {
        if (exhausted || spentNanos + clock() - callStartedAt > limitNanos) {
            exhausted = true;
            throw new Exhausted();
        }
    }

    private static long clock() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
