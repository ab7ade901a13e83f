package dev.miniplatform.api.hostile;

import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.SwitchableProxy.Mode;
import dev.miniplatform.api.support.TestHosts;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/**
 * Issue 16, item 4: an ISV aims its webhooks at the platform's own network. Registration refuses every address
 * inside it in every spelling, with the local-development exception switched off as in production
 * ({@link ProductionDefaults}); a public-looking name that resolves inside the network at delivery time (DNS
 * rebinding, {@link TestHosts}) is refused before any connection; no redirect is followed; the response body is not
 * read; and the delivery log tells the ISV its endpoint's HTTP status, never a connect error that would tell a closed
 * port from a filtered one.
 */
class WebhookSsrfAttackIntegrationTest extends IntegrationTest {

    static final Duration ATTEMPT_WAIT = Duration.ofSeconds(30);
    static final String ADDRESS_REFUSED = "not sent: the webhook host does not resolve to a public address";
    static final String NO_RESPONSE = "no HTTP response from the webhook endpoint (connection, TLS or timeout)";

    static WebhookReceiver receiver;
    static String merchantId;

    @Autowired
    Outbox outbox;

    @Autowired
    TenantTransactions transactions;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /**
     * The name passes registration (nothing about it is private), then resolves to loopback, the metadata service or
     * 10/8. The receiver sits behind a proxy on the port the URL names, so any connection at all would be counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {TestHosts.LOOPBACK, TestHosts.METADATA, TestHosts.PRIVATE})
    void aNameThatResolvesInsideTheNetworkAtDeliveryIsRefusedBeforeAnyConnection(String host) {
        try (SwitchableProxy door = SwitchableProxy.toLater()) {
            door.target(URI.create(receiver.url("/")).getPort());
            Isv isv = onboardIsv("https://" + host + ":" + door.port() + "/hooks");

            String marker = sendEvent(isv);
            JsonNode delivery = awaitFirstAttempt(isv);

            assertThat(door.accepted()).as("connections to the address the name resolved to").isZero();
            assertThat(receiver.received()).noneMatch(each -> each.body().contains(marker));
            assertThat(delivery.get("lastError").asString()).isEqualTo(ADDRESS_REFUSED);
            assertThat(delivery.get("lastStatus").isNull()).isTrue();
        }
    }

    @Test
    void aRedirectIsNotFollowed() {
        Isv isv = onboardIsv(receiver.url("/redirect"));

        String marker = sendEvent(isv);
        JsonNode delivery = awaitFirstAttempt(isv);

        assertThat(delivery.get("lastStatus").asInt()).isEqualTo(307);
        assertThat(delivery.get("lastError").asString()).isEqualTo("HTTP 307");
        assertThat(delivery.get("state").asString()).isNotEqualTo("DELIVERED");
        // the redirect's target, /hooks, never got this event
        assertThat(receiver.received()).noneMatch(each -> each.body().contains(marker));
    }

    /** The endpoint answers 200 and then streams forever: the status is all the platform reads. */
    @Test
    void theResponseBodyIsNotRead() {
        Isv isv = onboardIsv(receiver.url("/endless"));

        sendEvent(isv);
        JsonNode delivery = awaitFirstAttempt(isv);

        assertThat(delivery.get("state").asString()).isEqualTo("DELIVERED");
        assertThat(delivery.get("lastStatus").asInt()).isEqualTo(200);
    }

    /**
     * A closed port and a port that accepts and never answers (a filtered one looks like either) read the same in the
     * delivery log: no exception name, no address, no port.
     */
    @Test
    void aClosedPortAndAHangingOneReadTheSameInTheDeliveryLog() throws IOException {
        try (SwitchableProxy hanging = SwitchableProxy.toLater()) {
            hanging.set(Mode.HANG);
            int closedPort = closedPort();
            Isv closed = onboardIsv("http://127.0.0.1:" + closedPort + "/hooks");
            Isv silent = onboardIsv("http://127.0.0.1:" + hanging.port() + "/hooks");

            sendEvent(closed);
            sendEvent(silent);
            JsonNode refused = awaitFirstAttempt(closed);
            JsonNode timedOut = awaitFirstAttempt(silent);

            assertThat(hanging.accepted()).as("the hanging port was really tried").isPositive();
            assertThat(refused.get("lastError").asString()).isEqualTo(NO_RESPONSE)
                    .doesNotContain(Integer.toString(closedPort)).doesNotContainIgnoringCase("refused");
            assertThat(timedOut.get("lastError").asString()).isEqualTo(NO_RESPONSE);
            assertThat(refused.get("lastStatus").isNull()).isTrue();
            assertThat(timedOut.get("lastStatus").isNull()).isTrue();
        }
    }

    /** Production settings: no loopback exception; this context sends nothing (the other contexts' relays do). */
    @Nested
    @TestPropertySource(properties = {"platform.isv.webhook-allow-loopback-http=false", "platform.isv.relay-enabled=false"})
    class ProductionDefaults {

        @Autowired
        WebTestClient productionApi;

        static Stream<String> addressesInsideTheNetwork() {
            return Stream.of(
                    // as reported in issue 16
                    "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", "https://127.0.0.1:8180/admin",
                    "https://[::1]/", "https://192.168.1.1/", "https://0x7f000001/", "https://2130706433/",
                    "https://localhost/", "https://metadata.google.internal/",
                    // the same places spelled otherwise
                    "https://0177.0.0.1/", "https://017700000001/", "https://0xa9fea9fe/", "https://0/",
                    "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://[::127.0.0.1]/",
                    "https://[64:ff9b::a00:1]/", "https://[2002:7f00:1::]/", "https://[fe80::1%25eth0]/",
                    "https://[fd00::1]/", "https://100.64.0.1/", "https://localhost./", "https://api.localhost/",
                    "https://metadata.google.internal./", "https://jenkins/", "https://hooks.isv.example@127.0.0.1/",
                    "https://hooks.isv.example:22/", "http://127.0.0.1:8180/admin", receiver.url("/hooks"));
        }

        /** One ISV workspace tries them all; a refusal writes nothing, so each try starts from the same place. */
        static Isv scanner;

        @ParameterizedTest
        @MethodSource("addressesInsideTheNetwork")
        void registrationRefusesEveryAddressInsideTheNetwork(String webhookUrl) {
            if (scanner == null) {
                TestUser owner = keycloak.newUser("isv-owner");
                scanner = new Isv(owner, createTenant(productionApi, owner, "ISV", "Scanner ISV " + UUID.randomUUID().toString().substring(0, 8)));
            }

            putApplication(productionApi, scanner.owner(), scanner.tenantId(), webhookUrl)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[*].field").value(hasItem("webhookUrl"));
            // nothing was registered
            productionApi.get().uri("/api/v1/tenants/" + scanner.tenantId() + "/isv-application")
                    .headers(h -> h.setBearerAuth(scanner.owner().accessToken()))
                    .exchange()
                    .expectStatus().isNotFound();
        }

        @Test
        void aPublicHttpsUrlIsAccepted() {
            TestUser owner = keycloak.newUser("isv-owner");
            String isvId = createTenant(productionApi, owner, "ISV", "Honest ISV " + UUID.randomUUID().toString().substring(0, 8));

            putApplication(productionApi, owner, isvId, "https://hooks.isv.example/webhooks")
                    .expectStatus().isOk();
        }
    }

    // ----------------------------------------------------------------------------------------------------------

    record Isv(TestUser owner, String tenantId) {
    }

    private Isv onboardIsv(String webhookUrl) {
        TestUser owner = keycloak.newUser("isv-owner");
        String tenantId = createTenant(api, owner, "ISV", "Hostile ISV " + UUID.randomUUID().toString().substring(0, 8));
        putApplication(api, owner, tenantId, webhookUrl)
                .expectStatus().isOk();
        return new Isv(owner, tenantId);
    }

    /** An event addressed to the ISV, as a merchant's change would write it; returns its marker. */
    private String sendEvent(Isv isv) {
        UUID merchant = UUID.fromString(merchant());
        String marker = "marker-" + UUID.randomUUID();
        StepVerifier.create(transactions.inTransaction(outbox.append(merchant, "authorization.granted",
                                Map.of("isvTenantId", isv.tenantId(), "marker", marker)))
                        .contextWrite(TenantContext.forTenant(merchant, null)))
                .verifyComplete();
        return marker;
    }

    private String merchant() {
        if (merchantId == null) {
            merchantId = Workspace.create(api, keycloak).tenantId;
        }
        return merchantId;
    }

    /** The ISV's own delivery log, once the outcome of an attempt is recorded (a claim alone counts the attempt). */
    private JsonNode awaitFirstAttempt(Isv isv) {
        return await().atMost(ATTEMPT_WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> deliveries(isv).stream()
                                .filter(each -> !each.path("lastStatus").isNull() || !each.path("lastError").isNull())
                                .findFirst()
                                .orElse(null),
                        delivery -> delivery != null);
    }

    private List<JsonNode> deliveries(Isv isv) {
        JsonNode page = api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/webhook-deliveries")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        return page.get("items").valueStream().toList();
    }

    private static String createTenant(WebTestClient client, TestUser owner, String kind, String name) {
        return client.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", kind, "name", name))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("id").asString();
    }

    private static WebTestClient.ResponseSpec putApplication(WebTestClient client, TestUser owner, String isvId,
                                                             String webhookUrl) {
        return client.put().uri("/api/v1/tenants/" + isvId + "/isv-application")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Hostile ISV", "redirectUris", List.of("https://isv.example/callback"),
                        "webhookUrl", webhookUrl))
                .exchange();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
