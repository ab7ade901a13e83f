package dev.miniplatform.infra.transaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Work registered inside a transaction to run once it has committed and its connection is back in the pool,
 * e.g. a first attempt at a queued side effect. Never runs for a transaction that rolls back. Failures are logged
 * and swallowed: what runs here must be safe to lose (the durable queue retries it).
 */
final class AfterCommit {

    static final Object KEY = AfterCommit.class;

    private static final Logger log = LoggerFactory.getLogger(AfterCommit.class);

    private final List<Mono<Void>> actions = new CopyOnWriteArrayList<>();
    private final Set<UUID> tenants = ConcurrentHashMap.newKeySet();

    void add(Mono<Void> action) {
        actions.add(action);
    }

    /** The transaction acted in this tenant (its settings named it, or it entered it). */
    void actedIn(UUID tenantId) {
        tenants.add(tenantId);
    }

    Set<UUID> tenants() {
        return Set.copyOf(tenants);
    }

    Mono<Void> run() {
        return Flux.fromIterable(actions)
                .concatMap(action -> action.onErrorResume(AfterCommit::logged))
                .then();
    }

    private static Mono<Void> logged(Throwable failure) {
        log.warn("After-commit action failed; its queued work is retried later: {}", failure.toString());
        return Mono.empty();
    }
}
