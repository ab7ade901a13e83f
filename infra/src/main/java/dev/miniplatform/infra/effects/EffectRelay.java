package dev.miniplatform.infra.effects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Polls the queue of side effects on every node: each tick claims a batch of due effects and performs them, and
 * the next tick waits for the previous one (no overlapping rounds on a node; several nodes share the work through
 * {@code FOR UPDATE SKIP LOCKED}). A failed round is logged and the polling goes on.
 */
@Component
class EffectRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EffectRelay.class);

    private final PendingEffects effects;
    private final EffectsProperties properties;
    private volatile Disposable polling;

    EffectRelay(PendingEffects effects, EffectsProperties properties) {
        this.effects = effects;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (!properties.relayEnabled()) {
            return;
        }
        polling = Flux.interval(properties.pollInterval(), properties.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> round(), 1)
                .subscribe();
    }

    private Mono<Integer> round() {
        return effects.runDue()
                .onErrorResume(failure -> {
                    log.warn("Side-effect relay round failed, trying again next tick: {}", failure.toString());
                    return Mono.just(0);
                });
    }

    @Override
    public void stop() {
        Disposable running = polling;
        if (running != null) {
            running.dispose();
        }
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }
}
