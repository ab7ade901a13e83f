package dev.miniplatform.auth.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeycloakPropertiesTest {

    /** Bound as production binds it: only the required secret set, every other value its default. */
    private static KeycloakProperties defaults() {
        return new Binder(new MapConfigurationPropertySource(Map.of("platform.keycloak.admin-client-secret", "secret")))
                .bind("platform.keycloak", KeycloakProperties.class)
                .get();
    }

    @Test
    void theConsoleAndTheDeviceGrantCliAreTheClientsWhoseTokensArePeopleByDefault() {
        KeycloakProperties properties = defaults();

        assertThat(properties.isPersonClient("platform-console")).isTrue();
        assertThat(properties.isPersonClient("platform-cli-device")).isTrue();
    }

    @Test
    void thePasswordGrantClientAndEveryOtherClientAreNoPersonByDefault() {
        KeycloakProperties properties = defaults();

        assertThat(properties.isPersonClient("platform-cli")).isFalse();
        assertThat(properties.isPersonClient("platform-backend")).isFalse();
        assertThat(properties.isPersonClient("isv-123")).isFalse();
        assertThat(properties.isPersonClient("wallet-123")).isFalse();
    }
}
