package dev.miniplatform.api.change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Publishes a {@link MiniProgramChanged} to every {@link MiniProgramChangeListener} bean. A publisher calls
 * {@link #inTransaction} inside its tenant transaction and {@link #committed} after that transaction's
 * {@code Mono} completed, so a change and what its listeners write share one fate, and every node's caches
 * forget the old state before the caller hears "done".
 */
@Component
public class MiniProgramChanges {

    private static final Logger log = LoggerFactory.getLogger(MiniProgramChanges.class);

    private final List<MiniProgramChangeListener> listeners;

    MiniProgramChanges(List<MiniProgramChangeListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Inside the transaction: listeners in turn; a failure fails (and rolls back) the change. */
    public Mono<Void> inTransaction(MiniProgramChanged change) {
        return Flux.fromIterable(listeners)
                .concatMap(listener -> listener.inTransaction(change))
                .then();
    }

    /** After the commit: every listener, each failing soft (the change stands; followers catch up). */
    public Mono<Void> committed(MiniProgramChanged change) {
        return Flux.fromIterable(listeners)
                .flatMap(listener -> listener.committed(change)
                        .onErrorResume(failure -> forgiven(listener, change, failure)))
                .then();
    }

    private static Mono<Void> forgiven(MiniProgramChangeListener listener, MiniProgramChanged change,
                                       Throwable failure) {
        log.warn("{} failed after the commit of {}: {}", listener.getClass().getSimpleName(), change,
                failure.toString());
        return Mono.empty();
    }
}
