package dev.miniplatform.infra.polling;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Background work that runs on every node from the application's start to its stop: the webhook and side-effect
 * relays, the batch runner, the wallet cache's invalidation. A subclass says whether this node runs it
 * ({@link #enabled()}) and what the work is ({@link #work()}, usually rounds built with {@link #every}); this class
 * starts it once, stops it (an unfinished round is cancelled: what it claimed is leased, and the lease runs out), and
 * logs the work ending by itself, which it should never do.
 */
public abstract class PollingLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollingLoop.class);

    private volatile Disposable running;

    /**
     * Rounds every {@code interval}, the first one interval after subscribing, on the parallel scheduler. Rounds never
     * overlap: a tick that comes during a round waits for it, later ones are dropped. A round that fails is handed to
     * {@code onFailure} (to log) and the next tick tries again: a failure never ends the loop.
     */
    public static <T> Flux<T> every(Duration interval, Supplier<? extends Publisher<T>> round,
                                    Consumer<Throwable> onFailure) {
        return Flux.interval(interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Flux.<T>defer(round)
                        .onErrorResume(failure -> {
                            onFailure.accept(failure);
                            return Flux.empty();
                        }), 1);
    }

    /** Whether this node runs the work at all (a property; tests that drive rounds themselves turn it off). */
    protected abstract boolean enabled();

    /** The work, subscribed on start and disposed on stop; it should never end by itself. */
    protected abstract Flux<?> work();

    @Override
    public final void start() {
        if (!enabled() || isRunning()) {
            return;
        }
        String name = getClass().getSimpleName();
        running = work().subscribe(
                null,
                failure -> log.error("{} stopped unexpectedly", name, failure),
                () -> log.error("{} stopped unexpectedly: its work ended", name));
    }

    @Override
    public final void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
            running = null;
        }
    }

    @Override
    public final boolean isRunning() {
        Disposable current = running;
        return current != null && !current.isDisposed();
    }
}
