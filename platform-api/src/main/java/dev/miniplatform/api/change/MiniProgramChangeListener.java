package dev.miniplatform.api.change;

import reactor.core.publisher.Mono;

/**
 * Learns of every {@link MiniProgramChanged}, in two phases. A port, not a Spring {@code @EventListener}: the
 * transaction lives in the Reactor Context of the publisher's chain, so only a listener whose {@code Mono} is part
 * of that chain can write in it (decision in docs/decisions.md, "one mini-program-changed event").
 */
public interface MiniProgramChangeListener {

    /**
     * Inside the transaction of the change, on its connection: what is written here commits or rolls back with the
     * change. Listeners run one after another (one connection runs one statement at a time).
     */
    default Mono<Void> inTransaction(MiniProgramChanged change) {
        return Mono.empty();
    }

    /**
     * After the transaction committed, before the request that made the change is answered. Should not fail (the
     * change has committed); a failure is logged and dropped by {@link MiniProgramChanges}.
     */
    default Mono<Void> committed(MiniProgramChanged change) {
        return Mono.empty();
    }
}
