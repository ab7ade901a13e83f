package dev.miniplatform.api.authorization;

import dev.miniplatform.api.isv.IsvClientChange;
import dev.miniplatform.infra.effects.ClaimedEffect;
import dev.miniplatform.infra.effects.Effect;
import dev.miniplatform.infra.effects.EffectHandler;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.UUID;

/**
 * Dropping cached grants after a revocation or a suspension, as a queued side effect: asked for in the change's own
 * transaction, tried right after its commit and retried by the relay until Redis takes it ({@link GrantCache}). A
 * Redis that does not answer at revocation time delays the drop; it can no longer lose it.
 */
@Component
class GrantDrop implements EffectHandler {

    /** One kind for both drops: the ISV module queues the whole-client one ({@link IsvClientChange}). */
    static final String KIND = IsvClientChange.kind();

    private final GrantCache cache;

    GrantDrop(GrantCache cache) {
        this.cache = cache;
    }

    /** The client's grant at this merchant (a revocation, in the merchant's tenant). */
    static Effect ofMerchant(UUID merchantId, String clientId) {
        return new Effect(merchantId, "grant-drop:" + clientId, KIND, Map.of("clientId", clientId,
                "merchantId", merchantId.toString()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Mono<Void> perform(ClaimedEffect effect) {
        String merchant = effect.text("merchantId");
        return merchant == null
                ? cache.invalidateClient(effect.text("clientId"))
                : cache.invalidate(effect.text("clientId"), UUID.fromString(merchant));
    }
}
