package dev.miniplatform.api.ops;

import dev.miniplatform.auth.config.KeycloakProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Keycloak is UP when the platform realm's JWK set (what token validation needs) answers within two seconds.
 */
@Component("keycloak")
class KeycloakHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final WebClient webClient;
    private final KeycloakProperties keycloak;

    public KeycloakHealthIndicator(KeycloakProperties keycloak) {
        this.webClient = WebClient.create();
        this.keycloak = keycloak;
    }

    @Override
    public Mono<Health> health() {
        return webClient.get()
                .uri(keycloak.jwkSetUri())
                .retrieve()
                .toBodilessEntity()
                .timeout(TIMEOUT)
                .map(response -> Health.up().withDetail("issuer", keycloak.issuer()).build())
                .onErrorResume(e -> Mono.just(Health.down().withDetail("issuer", keycloak.issuer())
                        .withDetail("error", e.getClass().getSimpleName()).build()));
    }
}
