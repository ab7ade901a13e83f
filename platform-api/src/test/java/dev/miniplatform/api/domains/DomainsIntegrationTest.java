package dev.miniplatform.api.domains;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.DelegatedIsv;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;

/**
 * The server domain API end to end with real tokens: who may read and change a mini program's lists (and the 404 or
 * 403 everyone else gets), the one 400 that names every bad entry and writes nothing, revisions, and the audit log.
 */
class DomainsIntegrationTest extends IntegrationTest {

    static TestUser admin;
    static WebhookReceiver receiver;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    Workspace workspace;
    String appId;

    @BeforeEach
    void miniProgram() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            receiver = WebhookReceiver.start();
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Domain Tea");
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void ownerMasterAndAssignedDeveloperEditWithRevisionsAndEveryChangeIsAudited() {
        get(workspace.owner.accessToken(), appId).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revision").isEqualTo(0)
                .jsonPath("$.request").isEmpty()
                .jsonPath("$.webView").isEmpty();

        put(workspace.owner.accessToken(), appId, lists(List.of("HTTPS://API.Example.com:443", "https://bücher.example"), 0))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revision").isEqualTo(1)
                .jsonPath("$.request").value(containsInAnyOrder("https://api.example.com", "https://xn--bcher-kva.example"))
                .jsonPath("$.socket[0]").isEqualTo("wss://ws.example.com");

        TestUser master = workspace.join("MASTER", List.of());
        put(master.accessToken(), appId, lists(List.of("https://master.example.com"), 1)).expectStatus().isOk()
                .expectBody().jsonPath("$.revision").isEqualTo(2);

        TestUser developer = workspace.join("DEVELOPER", List.of(appId));
        get(developer.accessToken(), appId).expectStatus().isOk()
                .expectBody().jsonPath("$.request[0]").isEqualTo("https://master.example.com");
        put(developer.accessToken(), appId, lists(List.of("https://*.developer.example.com"), 2)).expectStatus().isOk()
                .expectBody().jsonPath("$.revision").isEqualTo(3);

        // a stale revision is a conflict, a missing one a bad request; neither writes
        put(workspace.owner.accessToken(), appId, lists(List.of("https://stale.example.com"), 2))
                .expectStatus().isEqualTo(409);
        Map<String, Object> noRevision = lists(List.of("https://norevision.example.com"), 0);
        noRevision.remove("revision");
        put(workspace.owner.accessToken(), appId, noRevision).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("revision");
        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody()
                .jsonPath("$.request[0]").isEqualTo("https://*.developer.example.com")
                .jsonPath("$.revision").isEqualTo(3);

        api.get().uri(workspace.path("/audit-events?size=100"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed')].targetId")
                .value(org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is(appId)))
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed')].actor")
                .value(containsInAnyOrder("user:" + workspace.owner.id(), "user:" + master.id(), "user:" + developer.id()))
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed' && @.after.revision == 3)].before.request[0]")
                .value(hasItem("https://master.example.com"))
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed' && @.after.revision == 3)].after.request[0]")
                .value(hasItem("https://*.developer.example.com"))
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed' && @.after.revision == 1)].before.revision")
                .value(hasItem(0));
    }

    @Test
    void anUnassignedDeveloperAnotherMerchantAndUnknownIdsGet404AndAWalletTokenIsRefused() {
        // a developer is always assigned to something: here to another mini program of the workspace
        String sibling = workspace.createMiniProgram(workspace.owner, "Sibling Tea");
        TestUser unassigned = workspace.join("DEVELOPER", List.of(sibling));
        Workspace other = Workspace.create(api, keycloak);
        String othersApp = other.createMiniProgram(other.owner, "Other Tea");
        Map<String, Object> body = lists(List.of("https://evil.example.com"), 0);

        get(unassigned.accessToken(), sibling).expectStatus().isOk();
        get(unassigned.accessToken(), appId).expectStatus().isNotFound();
        put(unassigned.accessToken(), appId, body).expectStatus().isNotFound();
        // another merchant's owner, on this workspace's path and on their own path with this app id
        get(other.owner.accessToken(), appId).expectStatus().isNotFound();
        put(other.owner.accessToken(), appId, body).expectStatus().isNotFound();
        api.put().uri(other.path("/mini-programs/" + appId + "/domains"))
                .headers(h -> h.setBearerAuth(other.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isNotFound();
        // this workspace's owner, on another workspace's mini program, and on ids that do not exist
        get(workspace.owner.accessToken(), othersApp).expectStatus().isNotFound();
        put(workspace.owner.accessToken(), "mpdoesnotexistanywhere", body).expectStatus().isNotFound();
        api.get().uri("/api/v1/tenants/not-a-uuid/mini-programs/" + appId + "/domains")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        // bad input from someone without access is still a 404: access is checked before the body
        put(other.owner.accessToken(), appId, lists(List.of("http://1.2.3.4"), 0)).expectStatus().isNotFound();

        Catalog.RegisteredWallet wallet = new Catalog(api, keycloak, admin).registerWallet("Domains " + java.util.UUID.randomUUID().toString().substring(0, 8));
        get(wallet.token(), appId).expectStatus().isForbidden();
        put(wallet.token(), appId, body).expectStatus().isForbidden();

        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody()
                .jsonPath("$.revision").isEqualTo(0);
        api.get().uri(other.path("/mini-programs/" + othersApp + "/domains"))
                .headers(h -> h.setBearerAuth(other.owner.accessToken()))
                .exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.revision").isEqualTo(0);
    }

    @Test
    void badInputNamesEveryFailingEntryInOneProblemAndWritesNothing() {
        put(workspace.owner.accessToken(), appId, lists(List.of("https://api.example.com"), 0)).expectStatus().isOk();

        Map<String, Object> bad = new HashMap<>();
        bad.put("request", List.of("https://ok.example.com", "https://com", "https://1.2.3.4", "https://[::1]",
                "https://a.com:8443", "https://a.com/path", "http://a.com", "https://OK.example.com."));
        bad.put("upload", List.of("https://*.co.uk"));
        bad.put("download", List.of());
        bad.put("socket", List.of("https://ws.example.com"));
        bad.put("webView", Collections.nCopies(21, "https://web.example.com"));
        bad.put("revision", 1);
        put(workspace.owner.accessToken(), appId, bad)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[*].field").value(containsInAnyOrder("request[1]", "request[2]", "request[3]",
                        "request[4]", "request[5]", "request[6]", "request[7]", "upload[0]", "socket[0]", "webView"))
                .jsonPath("$.errors[*].code").value(containsInAnyOrder("public-suffix", "ip-literal", "ip-literal",
                        "port", "path", "scheme", "duplicate", "public-suffix", "scheme", "size"));

        Map<String, Object> missing = lists(List.of(), 1);
        missing.remove("upload");
        missing.put("webView", null);
        put(workspace.owner.accessToken(), appId, missing).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(containsInAnyOrder("upload", "webView"));
        api.put().uri(path(appId)).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"request\": \"https://a.example.com\"}")
                .exchange().expectStatus().isBadRequest();

        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody()
                .jsonPath("$.revision").isEqualTo(1)
                .jsonPath("$.request[0]").isEqualTo("https://api.example.com")
                .jsonPath("$.upload[0]").isEqualTo("https://upload.example.com");
    }

    @Test
    void hugeInputIsRefusedFastWithAProblem() {
        // 10,000 entries (about 150 KB, under the JSON body limit): the list is refused by its length, unread
        Map<String, Object> many = lists(Collections.nCopies(10_000, "https://a.co"), 0);
        long started = System.nanoTime();
        put(workspace.owner.accessToken(), appId, many).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("request")
                .jsonPath("$.errors[0].code").isEqualTo("size");
        long manyMillis = (System.nanoTime() - started) / 1_000_000;

        // 200 KB in one entry: refused by its length before any rule looks at it
        Map<String, Object> long200k = lists(List.of("https://" + "a".repeat(200_000) + ".com"), 0);
        started = System.nanoTime();
        put(workspace.owner.accessToken(), appId, long200k).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("request[0]")
                .jsonPath("$.errors[0].code").isEqualTo("length");
        long longMillis = (System.nanoTime() - started) / 1_000_000;

        // 1 MB: over the API's JSON body limit (256 KB), refused while reading, as every JSON endpoint does
        Map<String, Object> megabyte = lists(List.of("https://" + "a".repeat(1 << 20) + ".com"), 0);
        started = System.nanoTime();
        put(workspace.owner.accessToken(), appId, megabyte).expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        long megabyteMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("domains: 10k entries %d ms, 200 KB entry %d ms, 1 MB body %d ms%n", manyMillis, longMillis,
                megabyteMillis);
        assertThat(List.of(manyMillis, longMillis, megabyteMillis)).allSatisfy(millis -> assertThat(millis).isLessThan(2_000));
        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody().jsonPath("$.revision").isEqualTo(0);
    }

    @Test
    void ofSimultaneousSavesAtTheSameRevisionExactlyOneWinsAndTheOthersGet409() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (long revision : new long[]{0, 1}) {
            // five saves in flight at once: the first save of a mini program (no row to lock yet) and a later one
            List<java.util.concurrent.CompletableFuture<Integer>> inFlight = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + path(appId)))
                        .header("Authorization", "Bearer " + workspace.owner.accessToken())
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                                lists(List.of("https://racer" + i + ".example.com"), revision))))
                        .build();
                inFlight.add(http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                        .thenApply(java.net.http.HttpResponse::statusCode));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var each : inFlight) {
                statuses.add(each.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses).as("revision " + revision).containsOnly(200, 409).containsOnlyOnce(200);
        }
        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody().jsonPath("$.revision").isEqualTo(2);
        api.get().uri(workspace.path("/audit-events?size=100&action=mini-program.domains-changed"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(2);
    }

    @Test
    void isvsNeedAnActiveAuthorizationAndTheWriteScopeToChangeDomains() {
        DelegatedIsv writer = DelegatedIsv.onboard(api, keycloak, admin, receiver,
                List.of("miniprogram:read", "miniprogram:write"));
        DelegatedIsv reader = DelegatedIsv.onboard(api, keycloak, admin, receiver, List.of("miniprogram:read"));
        DelegatedIsv.Grant write = writer.authorizedBy(api, workspace, keycloakProperties, transactions, database);
        DelegatedIsv.Grant read = reader.authorizedBy(api, workspace, keycloakProperties, transactions, database);

        put(write.accessToken(), appId, lists(List.of("https://isv.example.com"), 0)).expectStatus().isOk()
                .expectBody().jsonPath("$.revision").isEqualTo(1);
        get(read.accessToken(), appId).expectStatus().isOk()
                .expectBody().jsonPath("$.request[0]").isEqualTo("https://isv.example.com");
        put(read.accessToken(), appId, lists(List.of("https://reader.example.com"), 1)).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:insufficient_scope");

        // the same ISV on a merchant that never authorized it: nothing there exists for it
        Workspace stranger = Workspace.create(api, keycloak);
        String strangersApp = stranger.createMiniProgram(stranger.owner, "Stranger Tea");
        api.get().uri(stranger.path("/mini-programs/" + strangersApp + "/domains"))
                .headers(h -> h.setBearerAuth(write.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.put().uri(stranger.path("/mini-programs/" + strangersApp + "/domains"))
                .headers(h -> h.setBearerAuth(write.accessToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(lists(List.of(), 0))
                .exchange().expectStatus().isNotFound();

        // revoked: the very next request is refused like an unknown workspace
        api.delete().uri(workspace.path("/authorizations/" + write.authorizationId()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isNoContent();
        put(write.accessToken(), appId, lists(List.of("https://revoked.example.com"), 1)).expectStatus().isNotFound();
        get(write.accessToken(), appId).expectStatus().isNotFound();

        api.get().uri(workspace.path("/audit-events?size=100"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.action == 'mini-program.domains-changed')].actor")
                .value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.startsWith("isv:" + writer.tenantId)));
        get(workspace.owner.accessToken(), appId).expectStatus().isOk().expectBody()
                .jsonPath("$.request[0]").isEqualTo("https://isv.example.com");
    }

    private static Map<String, Object> lists(List<String> request, long revision) {
        Map<String, Object> body = new HashMap<>();
        body.put("request", request);
        body.put("upload", List.of("https://upload.example.com"));
        body.put("download", List.of());
        body.put("socket", List.of("wss://ws.example.com"));
        body.put("webView", List.of("https://web.example.com"));
        body.put("revision", revision);
        return body;
    }

    private String path(String app) {
        return workspace.path("/mini-programs/" + app + "/domains");
    }

    private WebTestClient.ResponseSpec get(String token, String app) {
        return api.get().uri(path(app)).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private WebTestClient.ResponseSpec put(String token, String app, Object body) {
        return api.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .put().uri(path(app))
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
