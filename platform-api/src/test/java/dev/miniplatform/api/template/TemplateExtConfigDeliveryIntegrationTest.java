package dev.miniplatform.api.template;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps.Isv;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.GrayBucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, item 7: what a template instance's merchant applied as ext config reaches the running mini program
 * through the wallet API: each released version names its own config (URL + SHA-256) in get, batchGet and the
 * answer a mirror fetches after a change-feed row; the download is exactly the applied JSON with that hash; two
 * merchants of one template each get theirs; a gray user gets the gray version's config; a new ext config arrives
 * with its release and a rollback brings the old one back; a wallet not entitled gets 404.
 */
class TemplateExtConfigDeliveryIntegrationTest extends IntegrationTest {

    static WebhookReceiver receiver;
    static TestUser admin;
    static TestUser reviewer;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    BatchRunner runner;

    TemplateSteps steps;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
        }
        steps = new TemplateSteps(api, keycloak, keycloakProperties, receiver, admin, reviewer, transactions, database);
        if (!runner.isRunning()) {
            runner.start();
        }
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void eachMerchantsInstanceGetsTheExtConfigAppliedForItsReleasedVersionThroughGetBatchGetAndTheFeed() {
        Catalog.RegisteredWallet wallet = new Catalog(api, keycloak, admin).registerWallet("Ext Config Wallet");
        Catalog.RegisteredWallet stranger = new Catalog(api, keycloak, admin).registerWallet("Not Entitled Wallet");
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace westLake = Workspace.create(api, keycloak);
        Workspace lakeside = Workspace.create(api, keycloak);
        steps.authorizeDirectly(westLake, isv);
        steps.authorizeDirectly(lakeside, isv);

        // 1.0.0, applied with one ext config per merchant (non-ASCII too: the hash is over the UTF-8 the wallet gets)
        Map<String, Object> westLakeV1 = extConfig("西湖茶 West Lake Tea", "#00aa11");
        Map<String, Object> lakesideV1 = extConfig("Lakeside Brew", "#112233");
        String applied = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0",
                item(westLake, westLakeV1, "West Lake Tea"), item(lakeside, lakesideV1, "Lakeside Brew")));
        assertThat(steps.awaitEnd(isv, applied, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(2);
        Map<String, String> appIds = appIdsByMerchant(isv, applied);
        String westLakeApp = appIds.get(westLake.tenantId);
        String lakesideApp = appIds.get(lakeside.tenantId);
        release(isv, applied, wallet, 100);

        // get: each instance names its own config, and the download is exactly what was applied, hash verified
        JsonNode westLakeAnswer = get(wallet, westLakeApp, null);
        JsonNode lakesideAnswer = get(wallet, lakesideApp, null);
        assertThat(westLakeAnswer.get("version").asString()).isEqualTo("1.0.0");
        assertThat(download(wallet, westLakeAnswer)).isEqualTo(westLakeV1);
        assertThat(download(wallet, lakesideAnswer)).isEqualTo(lakesideV1);
        String westLakeV1Sha = westLakeAnswer.get("extConfigSha256").asString();
        assertThat(westLakeV1Sha).isNotEqualTo(lakesideAnswer.get("extConfigSha256").asString());
        // the code package is the template's, one and the same for both merchants
        assertThat(westLakeAnswer.get("packageSha256").asString()).isEqualTo(lakesideAnswer.get("packageSha256").asString());
        // an unchanged download is a 304 by its hash
        api.get().uri(westLakeAnswer.get("extConfigUrl").asString())
                .headers(h -> {
                    h.setBearerAuth(wallet.token());
                    h.setIfNoneMatch("\"" + westLakeV1Sha + "\"");
                })
                .exchange()
                .expectStatus().isNotModified();

        // batchGet: the same answers, in request order
        JsonNode batch = batchGet(wallet, List.of(westLakeApp, lakesideApp, "mpnotreleasedanywhere0"));
        assertThat(batch.get("items").get(0)).isEqualTo(westLakeAnswer);
        assertThat(batch.get("items").get(1)).isEqualTo(lakesideAnswer);
        assertThat(batch.get("missing").get(0).asString()).isEqualTo("mpnotreleasedanywhere0");

        // the feed announces both releases; a mirror that follows it fetches the answers above
        String cursor = awaitChanges(wallet, null, changes -> hasUpsert(changes, westLakeApp, "1.0.0")
                && hasUpsert(changes, lakesideApp, "1.0.0"));

        // a wallet the mini programs were not released to: 404 everywhere, its feed says nothing of them
        strangerSeesNothing(stranger, westLakeAnswer, westLakeApp, lakesideApp);

        // 1.1.0 with a new ext config for each, released gray first: a gray user runs 1.1.0 with its config
        steps.approvedVersion(isv, templateId, "1.1.0");
        Map<String, Object> westLakeV2 = extConfig("West Lake Tea House", "#ff8800");
        Map<String, Object> lakesideV2 = extConfig("Lakeside Brew & Bakery", "#334455");
        String updated = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.1.0",
                item(westLake, westLakeV2, "West Lake Tea"), item(lakeside, lakesideV2, "Lakeside Brew")));
        assertThat(steps.awaitEnd(isv, updated, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(2);
        release(isv, updated, wallet, 30);
        String inGray = user(westLakeApp, true);
        String outOfGray = user(westLakeApp, false);
        JsonNode grayAnswer = get(wallet, westLakeApp, inGray);
        assertThat(grayAnswer.get("version").asString()).isEqualTo("1.1.0");
        assertThat(download(wallet, grayAnswer)).isEqualTo(westLakeV2);
        JsonNode fullAnswer = get(wallet, westLakeApp, outOfGray);
        assertThat(fullAnswer.get("version").asString()).isEqualTo("1.0.0");
        assertThat(download(wallet, fullAnswer)).isEqualTo(westLakeV1);
        cursor = awaitChanges(wallet, cursor, changes -> hasUpsert(changes, westLakeApp, "1.0.0"));

        // full release: everybody gets the new config, through get, batchGet and the feed (caches invalidated)
        release(isv, updated, wallet, 100);
        JsonNode westLakeNew = get(wallet, westLakeApp, null);
        assertThat(westLakeNew.get("version").asString()).isEqualTo("1.1.0");
        assertThat(download(wallet, westLakeNew)).isEqualTo(westLakeV2);
        assertThat(westLakeNew.get("extConfigSha256").asString()).isNotEqualTo(westLakeV1Sha);
        JsonNode batchNew = batchGet(wallet, List.of(lakesideApp, westLakeApp));
        assertThat(download(wallet, batchNew.get("items").get(0))).isEqualTo(lakesideV2);
        assertThat(batchNew.get("items").get(1)).isEqualTo(westLakeNew);
        cursor = awaitChanges(wallet, cursor, changes -> hasUpsert(changes, westLakeApp, "1.1.0")
                && hasUpsert(changes, lakesideApp, "1.1.0"));

        // rollback: the version rolled back to, with the config it was built with
        String rollback = steps.startJob(isv, Map.of("kind", "ROLLBACK", "fromJob", updated,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD")));
        assertThat(steps.awaitEnd(isv, rollback, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(2);
        JsonNode westLakeBack = get(wallet, westLakeApp, null);
        assertThat(westLakeBack.get("version").asString()).isEqualTo("1.0.0");
        assertThat(westLakeBack.get("extConfigSha256").asString()).isEqualTo(westLakeV1Sha);
        assertThat(download(wallet, westLakeBack)).isEqualTo(westLakeV1);
        assertThat(download(wallet, batchGet(wallet, List.of(lakesideApp)).get("items").get(0))).isEqualTo(lakesideV1);
        awaitChanges(wallet, cursor, changes -> hasUpsert(changes, westLakeApp, "1.0.0")
                && hasUpsert(changes, lakesideApp, "1.0.0"));
    }

    @Test
    void aMiniProgramNotBuiltFromATemplateHasNoExtConfig() {
        Catalog.RegisteredWallet wallet = new Catalog(api, keycloak, admin).registerWallet("Plain Wallet");
        Workspace merchant = Workspace.create(api, keycloak);
        String appId = merchant.createMiniProgram(merchant.owner, "Plain Tea");
        new Catalog(api, keycloak, admin).fullRelease(merchant, appId, "1.0.0", wallet.id());

        JsonNode answer = api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.has("extConfigUrl")).isTrue();
        assertThat(answer.get("extConfigUrl").isNull()).isTrue();
        assertThat(answer.get("extConfigSha256").isNull()).isTrue();
        api.get().uri("/wallet/v1/mini-programs/{id}/versions/1.0.0/ext-config", appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isNotFound();
    }

    private void strangerSeesNothing(Catalog.RegisteredWallet stranger, JsonNode answer, String... appIds) {
        for (String appId : appIds) {
            api.get().uri("/wallet/v1/mini-programs/{id}?environment=PROD", appId)
                    .headers(h -> h.setBearerAuth(stranger.token()))
                    .exchange()
                    .expectStatus().isNotFound();
        }
        api.get().uri(answer.get("extConfigUrl").asString())
                .headers(h -> h.setBearerAuth(stranger.token()))
                .exchange()
                .expectStatus().isNotFound();
        JsonNode batch = batchGet(stranger, List.of(appIds));
        assertThat(batch.get("items")).isEmpty();
        assertThat(batch.get("missing")).hasSize(appIds.length);
        List<JsonNode> changes = changes(stranger, null).changes();
        assertThat(changes).noneMatch(change -> List.of(appIds).contains(change.get("appId").asString()));
    }

    private static Map<String, Object> extConfig(String shopName, String color) {
        return Map.of("shopName", shopName, "theme", Map.of("color", color));
    }

    private static Map<String, Object> item(Workspace merchant, Map<String, Object> extConfig, String name) {
        return Map.of("merchant", merchant.tenantId, "extConfig", extConfig, "miniProgram", Workspace.validMiniProgram(name));
    }

    private Map<String, String> appIdsByMerchant(Isv isv, String jobId) {
        Map<String, String> appIds = new HashMap<>();
        steps.items(isv, jobId, "").get("items")
                .forEach(item -> appIds.put(item.get("merchant").asString(), item.get("appId").asString()));
        return appIds;
    }

    private void release(Isv isv, String fromJob, Catalog.RegisteredWallet wallet, int grayPercent) {
        String job = steps.startJob(isv, Map.of("kind", "RELEASE", "fromJob", fromJob,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD"), "grayPercent", grayPercent));
        JsonNode ended = steps.awaitEnd(isv, job, Duration.ofSeconds(60));
        assertThat(ended.get("succeeded").asInt()).as(steps.items(isv, job, "").toString()).isEqualTo(2);
    }

    private JsonNode get(Catalog.RegisteredWallet wallet, String appId, String userId) {
        EntityExchangeResult<JsonNode> result = api.get()
                .uri("/wallet/v1/mini-programs/{id}?environment=PROD" + (userId == null ? "" : "&userId=" + userId), appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
        assertThat(result.getResponseHeaders().getETag()).isNotBlank();
        return result.getResponseBody();
    }

    private JsonNode batchGet(Catalog.RegisteredWallet wallet, List<String> appIds) {
        return api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", appIds, "environment", "PROD"))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Downloads the answer's ext config as a wallet does, verifies its SHA-256 and returns it as applied. */
    private Map<String, Object> download(Catalog.RegisteredWallet wallet, JsonNode answer) {
        String sha256 = answer.get("extConfigSha256").asString();
        assertThat(sha256).matches("[0-9a-f]{64}");
        EntityExchangeResult<byte[]> result = api.get().uri(answer.get("extConfigUrl").asString())
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"" + sha256 + "\"")
                .expectBody(byte[].class).returnResult();
        assertThat(result.getResponseHeaders().getCacheControl()).contains("private").contains("immutable");
        assertThat(Sha256.hexOf(result.getResponseBody())).isEqualTo(sha256);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = TemplateSteps.JSON.readValue(result.getResponseBody(), Map.class);
        return config;
    }

    /** A wallet user inside (or outside) the gray percentage of version 1.1.0 at 30 %. */
    private static String user(String appId, boolean inGray) {
        return IntStream.range(0, 10_000)
                .mapToObj(i -> "user-" + i)
                .filter(user -> GrayBucket.inGray(30, appId, "1.1.0", user) == inGray)
                .findFirst()
                .orElseThrow();
    }

    private record Page(List<JsonNode> changes, String next) {
    }

    /** The whole feed from {@code since} (the beginning when null) as far as it goes now. */
    private Page changes(Catalog.RegisteredWallet wallet, String since) {
        List<JsonNode> changes = new ArrayList<>();
        String cursor = since;
        for (int guard = 0; guard < 1000; guard++) {
            JsonNode page = api.get().uri("/wallet/v1/changes?environment=PROD&limit=100"
                            + (cursor == null ? "" : "&since=" + cursor))
                    .headers(h -> h.setBearerAuth(wallet.token()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            page.get("changes").forEach(changes::add);
            cursor = page.get("next").asString();
            if (!page.get("hasMore").asBoolean()) {
                return new Page(changes, cursor);
            }
        }
        throw new AssertionError("the feed did not end");
    }

    /** Follows the feed until what is expected has arrived (rows are served once no older transaction runs). */
    private String awaitChanges(Catalog.RegisteredWallet wallet, String since, Predicate<List<JsonNode>> expected) {
        Instant deadline = Instant.now().plusSeconds(20);
        List<JsonNode> seen = new ArrayList<>();
        String cursor = since;
        while (true) {
            Page page = changes(wallet, cursor);
            seen.addAll(page.changes());
            cursor = page.next();
            if (expected.test(seen)) {
                return cursor;
            }
            assertThat(Instant.now()).as("the feed since %s shows %s", since, seen).isBefore(deadline);
            TemplateSteps.sleep(100);
        }
    }

    private static boolean hasUpsert(List<JsonNode> changes, String appId, String version) {
        return changes.stream().anyMatch(change -> change.get("appId").asString().equals(appId)
                && change.get("kind").asString().equals("UPSERT")
                && change.has("version") && change.get("version").asString().equals(version));
    }
}
