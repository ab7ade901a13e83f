package dev.miniplatform.infra.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Redis calls behind a {@link CircuitBreaker}, failing soft: a call the breaker refuses, or one that fails, gets the
 * caller's fallback (a cache miss, an unmetered request), never an error. Every admitted call reports to the breaker:
 * success closes it, a failure is counted, logged and counts towards opening it, and a cancelled call lets its probe
 * go ({@link CircuitBreaker#onCancel}), so a client that goes away does not hold the breaker half-open.
 * <p>
 * The one place where that bookkeeping is written; the wallet cache, the console read cache and the rate limiter
 * each hold one, with a breaker of their own.
 */
public final class GuardedRedis {

    private static final Logger log = LoggerFactory.getLogger(GuardedRedis.class);

    private final String user;
    private final CircuitBreaker breaker;
    private final Runnable countFailure;

    /**
     * @param user         who calls Redis, and what happens instead when it fails (for the log)
     * @param countFailure counts a failed call (a metric of the caller's)
     */
    public GuardedRedis(String user, CircuitBreaker breaker, Runnable countFailure) {
        this.user = user;
        this.breaker = breaker;
        this.countFailure = countFailure;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Whether Redis may be used now; a {@code true} must be followed by {@link #report} or {@link #replay}. */
    public boolean tryAcquire() {
        return breaker.tryAcquire();
    }

    /** The whole call: the breaker's leave, the command, and the fallback when the breaker refuses or the command fails. */
    public <T> Mono<T> call(Supplier<Mono<T>> command, Supplier<Mono<T>> fallback) {
        if (!breaker.tryAcquire()) {
            return fallback.get();
        }
        return reported(Mono.defer(command), fallback);
    }

    /** A command the breaker already admitted ({@link #tryAcquire}); empty when it fails. */
    public <T> Mono<T> report(Mono<T> command) {
        return reported(command, Mono::empty);
    }

    /**
     * Replays what this node could not write while Redis was away, as the breaker's probe: {@code true} once it is
     * done (the breaker closes), {@code false} if it fails or takes longer than {@code timeout}.
     */
    public Mono<Boolean> replay(Mono<?> missed, Duration timeout) {
        return reported(missed.then(Mono.just(true)).timeout(timeout), () -> Mono.just(false));
    }

    private <T> Mono<T> reported(Mono<T> command, Supplier<Mono<T>> fallback) {
        return command
                .doOnSuccess(value -> breaker.onSuccess())
                .onErrorResume(failure -> {
                    failed(failure);
                    return fallback.get();
                })
                .doOnCancel(breaker::onCancel);
    }

    private void failed(Throwable failure) {
        countFailure.run();
        breaker.onFailure();
        log.debug("{}: Redis failed: {}", user, failure.toString());
    }
}
