package dev.miniplatform.api.ops;

import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.OtlpReceiver;
import dev.miniplatform.api.support.OtlpReceiver.ReceivedSpan;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two API nodes in one JVM export their spans over OTLP/HTTP to a receiver in the test. A caller's trace
 * ({@code traceparent}) is continued by node A, and continued again on node B when the caller passes on node A's span,
 * as a client or a gateway that propagates W3C trace context does; each node's part of the trace holds its PostgreSQL
 * (r2dbc-proxy) and Redis (Lettuce) calls as children of its server span, and the problem bodies and log lines name
 * the trace.
 */
class TracingAcrossNodesIntegrationTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration EXPORTED_WITHIN = Duration.ofSeconds(20);

    static OtlpReceiver receiver;
    static Node nodeA;
    static Node nodeB;
    static KeycloakUsers keycloak;
    static TestUser admin;
    static String walletToken;

    @BeforeAll
    static void twoTracedNodes() throws Exception {
        receiver = OtlpReceiver.start();
        nodeA = Node.start(traced("node-a"));
        nodeB = Node.start(traced("node-b"));
        keycloak = new KeycloakUsers(nodeA.bean(KeycloakAdmin.class), nodeA.bean(KeycloakProperties.class));
        admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        Map<?, ?> wallet = registerWallet("Traced Wallet " + UUID.randomUUID().toString().substring(0, 8), null);
        walletToken = keycloak.clientCredentialsToken(wallet.get("clientId").toString(), wallet.get("clientSecret").toString());
    }

    private static String[] traced(String node) {
        return new String[]{
                "management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.endpoint(),
                "management.opentelemetry.tracing.export.schedule-delay=100ms",
                "management.opentelemetry.resource-attributes.service.instance.id=" + node,
                "management.tracing.sampling.probability=1.0"};
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aWalletReadsTraceContinuesFromNodeAToNodeBWithDatabaseAndRedisSpansOnEach() throws Exception {
        String traceId = HexFormat.of().formatHex(bytes(16));
        String callerSpan = HexFormat.of().formatHex(bytes(8));

        Map<?, ?> problemA = missingMiniProgram(nodeA, traceparent(traceId, callerSpan));
        assertThat(problemA.get("status")).isEqualTo(404);
        assertThat(problemA.get("traceId")).isEqualTo(traceId);
        ReceivedSpan serverA = serverSpan("node-a", traceId, callerSpan);

        // the caller passes on node A's span, as the next hop of the same trace
        Map<?, ?> problemB = missingMiniProgram(nodeB, traceparent(traceId, serverA.spanId()));
        assertThat(problemB.get("traceId")).isEqualTo(traceId);
        ReceivedSpan serverB = serverSpan("node-b", traceId, serverA.spanId());

        for (ReceivedSpan server : List.of(serverA, serverB)) {
            receiver.awaitSpan(span -> isDatabaseCall(span) && isChildOf(span, server), EXPORTED_WITHIN);
            List<ReceivedSpan> spans = receiver.awaitSpan(span -> isRedisCall(span) && isChildOf(span, server),
                    EXPORTED_WITHIN);
            List<ReceivedSpan> calls = spans.stream()
                    .filter(span -> isChildOf(span, server) && span.kind().equals("CLIENT"))
                    .toList();
            assertThat(calls).as("calls made serving %s, among %s", server, spans)
                    .anyMatch(TracingAcrossNodesIntegrationTest::isDatabaseCall)
                    .anyMatch(TracingAcrossNodesIntegrationTest::isRedisCall)
                    .allMatch(span -> span.node().equals(server.node()));
        }
        assertThat(receiver.failures()).isEmpty();
    }

    @Test
    void aProblemNamesTheTraceThisNodeStartedWhenTheCallerSentNone() throws Exception {
        Map<?, ?> problem = missingMiniProgram(nodeB, null);
        String traceId = String.valueOf(problem.get("traceId"));
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));

        List<ReceivedSpan> spans = receiver.awaitSpan(span -> span.traceId().equals(traceId)
                && span.kind().equals("SERVER"), EXPORTED_WITHIN);
        assertThat(spans).as("spans received").anyMatch(span -> span.traceId().equals(traceId)
                && span.kind().equals("SERVER") && span.parentSpanId().isEmpty() && span.node().equals("node-b"));
    }

    @Test
    void aKeycloakAdminCallIsASpanOfTheRequestThatMadeIt() throws Exception {
        String traceId = HexFormat.of().formatHex(bytes(16));
        String callerSpan = HexFormat.of().formatHex(bytes(8));

        registerWallet("Traced Wallet " + UUID.randomUUID().toString().substring(0, 8), traceparent(traceId, callerSpan));

        ReceivedSpan server = serverSpan("node-a", traceId, callerSpan);
        Predicate<ReceivedSpan> keycloakCall = span -> "registerWalletClient".equals(span.attributes().get("keycloak.operation"))
                && descendsFrom(span, server);
        List<ReceivedSpan> spans = receiver.awaitSpan(keycloakCall, EXPORTED_WITHIN);
        assertThat(spans).as("spans received").anyMatch(keycloakCall);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aLogLineAboutARequestNamesItsTrace(CapturedOutput output) {
        Workspace workspace = Workspace.create(nodeA.api(), keycloak);
        String traceId = HexFormat.of().formatHex(bytes(16));
        TestUser invitee = keycloak.newUser("master");

        nodeA.api().post().uri(workspace.path("/invitations"))
                .headers(headers -> {
                    headers.setBearerAuth(workspace.owner.accessToken());
                    headers.set("traceparent", traceparent(traceId, HexFormat.of().formatHex(bytes(8))));
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Li Lei", "email", invitee.email(), "role", "MASTER", "miniPrograms", List.of()))
                .exchange()
                .expectStatus().isCreated();

        // Spring Boot's correlation id: [<trace id>-<span id>]
        assertThat(output.getOut()).containsPattern("\\[" + traceId + "-[0-9a-f]{16}\\] .*Invitation \\S+ to "
                + Pattern.quote(invitee.email()) + " queued for mailing");
    }

    private static Map<?, ?> missingMiniProgram(Node node, String traceparent) {
        return node.api().get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", "2099" + System.nanoTime())
                .headers(headers -> {
                    headers.setBearerAuth(walletToken);
                    if (traceparent != null) {
                        headers.set("traceparent", traceparent);
                    }
                })
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private static Map<?, ?> registerWallet(String name, String traceparent) {
        return nodeA.api().post().uri("/api/v1/admin/wallets")
                .headers(headers -> {
                    headers.setBearerAuth(admin.accessToken());
                    if (traceparent != null) {
                        headers.set("traceparent", traceparent);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .bodyValue(Map.of("name", name, "sandboxReview", false))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    /** The node's server span of the trace whose parent is the given span (the caller's, or the previous node's). */
    private static ReceivedSpan serverSpan(String node, String traceId, String parentSpanId) throws InterruptedException {
        Predicate<ReceivedSpan> wanted = span -> span.kind().equals("SERVER") && span.node().equals(node)
                && span.traceId().equals(traceId) && span.parentSpanId().equals(parentSpanId);
        List<ReceivedSpan> spans = receiver.awaitSpan(wanted, EXPORTED_WITHIN);
        Optional<ReceivedSpan> server = spans.stream().filter(wanted).findFirst();
        assertThat(server).as("%s's server span in trace %s under %s, among %s", node, traceId, parentSpanId, spans)
                .isPresent();
        return server.orElseThrow();
    }

    private static boolean isChildOf(ReceivedSpan span, ReceivedSpan parent) {
        return span.traceId().equals(parent.traceId()) && span.parentSpanId().equals(parent.spanId());
    }

    /** Whether the span is below the ancestor in the ancestor's trace (following parent ids among spans received). */
    private static boolean descendsFrom(ReceivedSpan span, ReceivedSpan ancestor) {
        if (!span.traceId().equals(ancestor.traceId())) {
            return false;
        }
        List<ReceivedSpan> trace = receiver.spans().stream()
                .filter(other -> other.traceId().equals(ancestor.traceId()))
                .toList();
        String parent = span.parentSpanId();
        for (int hops = 0; hops < 32 && !parent.isEmpty(); hops++) {
            if (parent.equals(ancestor.spanId())) {
                return true;
            }
            String current = parent;
            parent = trace.stream()
                    .filter(other -> other.spanId().equals(current))
                    .map(ReceivedSpan::parentSpanId)
                    .findFirst()
                    .orElse("");
        }
        return false;
    }

    private static boolean isDatabaseCall(ReceivedSpan span) {
        return span.kind().equals("CLIENT") && span.attributes().keySet().stream().anyMatch(key -> key.startsWith("r2dbc."));
    }

    private static boolean isRedisCall(ReceivedSpan span) {
        return span.kind().equals("CLIENT") && "redis".equals(span.attributes().get("db.system"));
    }

    private static String traceparent(String traceId, String parentSpanId) {
        return "00-" + traceId + "-" + parentSpanId + "-01";
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
