package dev.miniplatform.infra.effects;

import dev.miniplatform.infra.polling.PollingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Polls the queue of side effects on every node: each tick claims a batch of due effects and performs them, and
 * the next tick waits for the previous one (no overlapping rounds on a node; several nodes share the work through
 * {@code FOR UPDATE SKIP LOCKED}). A failed round is logged and the polling goes on.
 */
@Component
class EffectRelay extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(EffectRelay.class);

    private final PendingEffects effects;
    private final EffectsProperties properties;

    EffectRelay(PendingEffects effects, EffectsProperties properties) {
        this.effects = effects;
        this.properties = properties;
    }

    @Override
    protected boolean enabled() {
        return properties.relayEnabled();
    }

    @Override
    protected Flux<Integer> work() {
        return every(properties.pollInterval(), effects::runDue, failure ->
                log.warn("Side-effect relay round failed, trying again next tick: {}", failure.toString()));
    }
}
