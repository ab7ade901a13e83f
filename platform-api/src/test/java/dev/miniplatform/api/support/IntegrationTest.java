package dev.miniplatform.api.support;

import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;

/**
 * Full stack: the real server on a random port, real PostgreSQL, Redis and Keycloak (one per test JVM, see
 * dev services), real tokens, and BlockHound watching every event-loop thread. All subclasses share one
 * Spring context, so keep their configuration identical. The only stand-in is DNS for a few test names
 * ({@link TestHosts}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(TestHosts.class)
public abstract class IntegrationTest {

    static {
        NonBlockingGuard.install();
    }

    @Autowired
    protected WebTestClient api;

    @Autowired
    private KeycloakAdmin keycloakAdmin;

    @Autowired
    private KeycloakProperties keycloakProperties;

    protected KeycloakUsers keycloak;

    @BeforeEach
    void setUpKeycloakUsers() {
        keycloak = new KeycloakUsers(keycloakAdmin, keycloakProperties);
        api = api.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    protected KeycloakAdmin keycloakAdmin() {
        return keycloakAdmin;
    }
}
