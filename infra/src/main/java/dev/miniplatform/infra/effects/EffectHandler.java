package dev.miniplatform.infra.effects;

import reactor.core.publisher.Mono;

/**
 * Performs one kind of effect. Must be idempotent (it may run again after a crash or a lost lease) and must not
 * hold a database transaction open while it calls out.
 */
public interface EffectHandler {

    String kind();

    Mono<Void> perform(ClaimedEffect effect);
}
