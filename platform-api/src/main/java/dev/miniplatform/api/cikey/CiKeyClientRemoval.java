package dev.miniplatform.api.cikey;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.infra.effects.ClaimedEffect;
import dev.miniplatform.infra.effects.Effect;
import dev.miniplatform.infra.effects.EffectHandler;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.UUID;

/**
 * Deletes a revoked key's Keycloak client, after the revocation committed (queued, so a Keycloak outage only delays
 * it: the key is refused from the revocation on, whatever Keycloak still issues for it).
 */
@Component
class CiKeyClientRemoval implements EffectHandler {

    static final String KIND = "ci-key.client-removal";

    private final KeycloakAdmin keycloak;

    CiKeyClientRemoval(KeycloakAdmin keycloak) {
        this.keycloak = keycloak;
    }

    static Effect of(UUID tenantId, String clientId) {
        return new Effect(tenantId, "ci-key-client:" + clientId, KIND, Map.of("clientId", clientId));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Mono<Void> perform(ClaimedEffect effect) {
        return keycloak.removeClient(effect.text("clientId"));
    }
}
