package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.StandingProperties;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An insider whom a Keycloak admin cut off — account disabled or deleted, sessions signed out — still holds an access
 * token that verifies for up to 5 minutes. Each test holds the platform to refusing that token, on both nodes, within
 * {@code platform.keycloak.standing.max-age} (plus room for a saturated machine), with the 401 an expired token gets;
 * without the check, the token keeps working until it expires and each test fails at its deadline.
 */
class CutOffAccountIntegrationTest extends IntegrationTest {

    /** Room for a saturated 2-core machine on top of max-age; the unprotected platform answers 200 for 5 minutes. */
    private static final Duration SLACK = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Node second;

    @Autowired
    StandingProperties standing;

    @BeforeAll
    static void secondNode() {
        second = Node.start();
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aUserDisabledInKeycloakIsRefusedOnEveryNodeAndWorksAgainAfterReEnablingAndLoggingIn() {
        Workspace workspace = Workspace.create(api, keycloak);
        String path = workspace.path("/mini-programs/" + workspace.createMiniProgram(workspace.owner, "Disabled Tea"));
        TestUser owner = workspace.owner;
        readOnBothNodes(path, owner.accessToken());

        setEnabled(owner, false);
        long cutOffAt = System.nanoTime();
        awaitRefused(api, path, owner.accessToken(), cutOffAt);
        awaitRefused(second.api(), path, owner.accessToken(), cutOffAt);
        assertThat(status(api, path, owner.accessToken())).as("and stays refused").isEqualTo(401);

        setEnabled(owner, true);
        readOnBothNodes(path, keycloak.login(owner).accessToken());
    }

    @Test
    void aUserDeletedInKeycloakIsRefusedOnEveryNode() {
        Workspace workspace = Workspace.create(api, keycloak);
        String path = workspace.path("/mini-programs/" + workspace.createMiniProgram(workspace.owner, "Deleted Tea"));
        TestUser owner = workspace.owner;
        readOnBothNodes(path, owner.accessToken());

        keycloakAdmin().call(realm -> {
            try (Response deleted = realm.users().delete(owner.id())) {
                return deleted.getStatus();
            }
        }).block(Duration.ofSeconds(30));
        long cutOffAt = System.nanoTime();
        awaitRefused(api, path, owner.accessToken(), cutOffAt);
        awaitRefused(second.api(), path, owner.accessToken(), cutOffAt);
    }

    @Test
    void anAdminSigningTheUserOutEndsTheirTokenOnEveryNodeAndANewLoginWorksAtOnce() {
        Workspace workspace = Workspace.create(api, keycloak);
        String path = workspace.path("/mini-programs/" + workspace.createMiniProgram(workspace.owner, "Signed Out Tea"));
        TestUser owner = workspace.owner;
        readOnBothNodes(path, owner.accessToken());

        keycloakAdmin().call(realm -> {
            realm.users().get(owner.id()).logout();
            return owner.id();
        }).block(Duration.ofSeconds(30));
        long cutOffAt = System.nanoTime();
        awaitRefused(api, path, owner.accessToken(), cutOffAt);
        awaitRefused(second.api(), path, owner.accessToken(), cutOffAt);

        readOnBothNodes(path, keycloak.login(owner).accessToken());
    }

    @Test
    void anAdminSigningOutOneSessionEndsThatSessionsTokenAndNotTheUsersOtherSession() {
        Workspace workspace = Workspace.create(api, keycloak);
        String path = workspace.path("/mini-programs/" + workspace.createMiniProgram(workspace.owner, "Two Sessions Tea"));
        TestUser laptop = workspace.owner;
        TestUser phone = keycloak.login(laptop);
        assertThat(sessionOf(phone)).isNotEqualTo(sessionOf(laptop));
        readOnBothNodes(path, laptop.accessToken());
        readOnBothNodes(path, phone.accessToken());

        keycloakAdmin().call(realm -> {
            realm.deleteSession(sessionOf(laptop), false);
            return laptop.id();
        }).block(Duration.ofSeconds(30));
        long cutOffAt = System.nanoTime();
        awaitRefused(api, path, laptop.accessToken(), cutOffAt);
        awaitRefused(second.api(), path, laptop.accessToken(), cutOffAt);

        readOnBothNodes(path, phone.accessToken());
    }

    private void readOnBothNodes(String path, String token) {
        assertThat(List.of(status(api, path, token), status(second.api(), path, token))).containsOnly(200);
    }

    private void setEnabled(TestUser user, boolean enabled) {
        keycloakAdmin().call(realm -> {
            UserRepresentation representation = realm.users().get(user.id()).toRepresentation();
            representation.setEnabled(enabled);
            realm.users().get(user.id()).update(representation);
            return enabled;
        }).block(Duration.ofSeconds(30));
    }

    /**
     * Reads until the answer is 401, which must come within max-age (plus slack) of the cut-off, and be the problem
     * an expired token gets.
     */
    private void awaitRefused(WebTestClient client, String path, String token, long cutOffAt) {
        Duration bound = standing.maxAge().plus(SLACK);
        EntityExchangeResult<String> last = read(client, path, token);
        while (last.getStatus().value() != 401 && System.nanoTime() - cutOffAt < bound.toNanos()) {
            sleep(200);
            last = read(client, path, token);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - cutOffAt);
        assertThat(last.getStatus().value())
                .as("refused within %s of the cut-off (answer after %d ms: %s)", bound, took.toMillis(), last.getResponseBody())
                .isEqualTo(401);
        assertThat(String.valueOf(last.getResponseHeaders().getContentType())).startsWith("application/problem+json");
        assertThat(JSON.readTree(last.getResponseBody()).get("type").asString())
                .isEqualTo("urn:mini-program-platform:problem:unauthenticated");
        assertThat(last.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("error=\"invalid_token\"");
    }

    private static int status(WebTestClient client, String path, String token) {
        return read(client, path, token).getStatus().value();
    }

    private static EntityExchangeResult<String> read(WebTestClient client, String path, String token) {
        return client.get().uri(path)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectBody(String.class)
                .returnResult();
    }

    private static String sessionOf(TestUser user) {
        String payload = new String(Base64.getUrlDecoder().decode(user.accessToken().split("\\.")[1]));
        JsonNode claims = JSON.readTree(payload);
        return claims.get("sid").asString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
