package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.GrayBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The wallet API end to end: real wallet clients and tokens from Keycloak, releases made through the console API,
 * answers read through the caches (near cache, the test JVM's Redis) from PostgreSQL.
 */
class WalletApiIntegrationTest extends IntegrationTest {

    static TestUser admin;
    static RegisteredWallet wallet;
    static RegisteredWallet otherWallet;

    @Autowired
    CatalogStore store;

    @Autowired
    CatalogCache cache;

    @Autowired
    RedisCatalog redisCatalog;

    @Autowired
    JsonMapper json;

    @Autowired
    WalletProperties properties;

    @Autowired
    org.springframework.data.redis.core.ReactiveStringRedisTemplate redis;

    Catalog catalog;
    Workspace workspace;
    String appId;

    @BeforeEach
    void releasedMiniProgram() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        }
        catalog = new Catalog(api, keycloak, admin);
        if (wallet == null) {
            wallet = catalog.registerWallet("Wallet A");
            otherWallet = catalog.registerWallet("Wallet B");
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Wallet Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
    }

    @Test
    void aReleasedMiniProgramIsServedLocalizedWithItsPackageAndAnETag() {
        @SuppressWarnings("unchecked")
        Map<Object, Object> body = (Map<Object, Object>) get(wallet, appId, "DEV", null, "en-GB;q=0.9, fr;q=0.5")
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "en-US")
                .expectHeader().value(HttpHeaders.VARY, v -> assertThat(v).contains("Accept-Language"))
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, v -> assertThat(v).contains("private").contains("max-age="))
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsEntry("appId", appId).containsEntry("language", "en-US")
                .containsEntry("name", "Wallet Tea").containsEntry("version", "1.0.0")
                .containsEntry("industry", "food.tea-coffee").containsEntry("servicePhone", "0571-8888888")
                .containsKeys("tagline", "description", "packageSha256", "packageUrl", "updatedAt", "serviceEmail");

        String packageUrl = body.get("packageUrl").toString();
        byte[] zip = api.get().uri(packageUrl).headers(h -> h.setBearerAuth(wallet.token())).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, v -> assertThat(v).contains("immutable"))
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(Sha256.hexOf(zip)).isEqualTo(body.get("packageSha256"));

        String etag = get(wallet, appId, "DEV", null, "en").expectBody().returnResult()
                .getResponseHeaders().getETag();
        api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> {
                    h.setBearerAuth(wallet.token());
                    h.set(HttpHeaders.ACCEPT_LANGUAGE, "en");
                    h.setIfNoneMatch(etag);
                })
                .exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag);
        // Chinese for a Traditional-Chinese reader (zh-Hant-TW → zh-Hant → zh → zh-CN), default for anyone else
        get(wallet, appId, "DEV", null, "zh-Hant-TW").expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "zh-CN");
        get(wallet, appId, "DEV", null, "de-DE, fr;q=0.4").expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "zh-CN");
        get(wallet, appId, "DEV", null, null).expectHeader().valueEquals(HttpHeaders.CONTENT_LANGUAGE, "zh-CN");
    }

    @Test
    void onlyWhatIsReleasedToThisWalletAndEnvironmentIsVisible() {
        get(otherWallet, appId, "DEV", null, null).expectStatus().isNotFound();
        get(wallet, appId, null, null, null).expectStatus().isNotFound(); // PROD by default; released to DEV only
        get(wallet, "mpunknownunknownunknow", "DEV", null, null).expectStatus().isNotFound();
        String unreleased = workspace.createMiniProgram(workspace.owner, "Quiet Tea");
        get(wallet, unreleased, "DEV", null, null).expectStatus().isNotFound();
        get(wallet, appId, "NOWHERE", null, null).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("environment");
    }

    @Test
    void grayAndPilotUsersGetTheNewVersionAndEveryoneElseTheFullRelease() {
        catalog.upload(workspace, appId, "1.1.0");
        catalog.act(workspace, appId, "1.1.0", "submit", wallet.id(), "DEV", Map.of()).expectStatus().isAccepted();
        catalog.act(workspace, appId, "1.1.0", "pilot", wallet.id(), "DEV", Map.of("userIds", List.of("pilot-user")))
                .expectStatus().isOk();
        assertThat(version("pilot-user")).isEqualTo("1.1.0");
        assertThat(version("someone")).isEqualTo("1.0.0");
        assertThat(version(null)).isEqualTo("1.0.0");

        catalog.act(workspace, appId, "1.1.0", "release", wallet.id(), "DEV", Map.of("grayPercent", 30))
                .expectStatus().isOk();
        List<String> users = IntStream.range(0, 40).mapToObj(i -> "user-" + i).toList();
        for (String user : users) {
            String expected = GrayBucket.of(appId, "1.1.0", user) < 30 ? "1.1.0" : "1.0.0";
            assertThat(version(user)).as(user).isEqualTo(expected);
        }
        assertThat(users.stream().map(this::version).distinct()).containsExactlyInAnyOrder("1.0.0", "1.1.0");
    }

    @Test
    void aChangeInTheConsoleIsServedOnTheNextRead() {
        assertThat(name()).isEqualTo("Wallet Tea");
        catalog.rename(workspace, appId, "Wallet Tea Two");
        assertThat(name()).isEqualTo("Wallet Tea Two");
        catalog.act(workspace, appId, "1.0.0", "offline", wallet.id(), "DEV", Map.of()).expectStatus().isOk();
        get(wallet, appId, "DEV", null, "en").expectStatus().isNotFound();
    }

    @Test
    void hundredConcurrentMissesForOneKeyReadTheDatabaseOnce() {
        String cold = workspace.createMiniProgram(workspace.owner, "Cold Tea");
        catalog.fullRelease(workspace, cold, "1.0.0", wallet.id());
        // the release invalidates the entry three times (its own node, pub/sub, the feed follower); a read racing
        // with the last of them would rightly load twice, so wait until they are all through
        awaitQuietInvalidations();
        long before = store.loadCount();
        List<Integer> statuses = Flux.range(0, 100)
                .flatMap(i -> api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", cold)
                        .headers(h -> h.setBearerAuth(wallet.token()))
                        .exchange()
                        .returnResult(byte[].class)
                        .getResponseBody()
                        .then(reactor.core.publisher.Mono.just(200)), 100)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(100);
        assertThat(store.loadCount() - before).isEqualTo(1);
    }

    @Test
    void aDueEntryIsServedAtOnceAndReloadedFromRedisButNeverFromPostgresqlUntilItExpires() {
        AtomicLong nanos = new AtomicLong();
        CatalogCache timed = new CatalogCache(store, redisCatalog, json, properties, new SimpleMeterRegistry(), nanos::get);
        CatalogCache.Key key = new CatalogCache.Key(UUID.fromString(wallet.id()), Environment.DEV, appId);
        // the release's invalidations (own node, pub/sub, feed) delete Redis's copy; let them pass first
        awaitQuietInvalidations();
        Duration refreshAfter = properties.cache().refreshAfter();
        CatalogEntry loaded = timed.get(key).block(Duration.ofSeconds(10));
        byte[] document = json.writeValueAsBytes(store.document(key.walletId(), key.environment(), appId)
                .block(Duration.ofSeconds(10)));
        redisCatalog.write(appId, key.field(), document).block(Duration.ofSeconds(10));

        nanos.set(refreshAfter.toNanos() / 2 - 1);
        assertThat(timed.get(key).block(Duration.ofSeconds(10))).as("not due before half the delay").isSameAs(loaded);
        nanos.set(refreshAfter.toNanos() + 1);
        List<CatalogEntry> whileDue = Flux.range(0, 50).concatMap(i -> timed.get(key)).collectList().block(Duration.ofSeconds(10));
        assertThat(whileDue.getFirst()).as("the reader that finds it due gets it at once").isSameAs(loaded);
        assertThat(whileDue.stream().filter(entry -> entry != loaded).distinct())
                .as("fifty reads of a due entry, at most one reload").hasSizeLessThanOrEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timed.get(key).block(Duration.ofSeconds(10))).as("replaced by Redis's copy").isNotSameAs(loaded));
        CatalogEntry reloaded = timed.get(key).block(Duration.ofSeconds(10));

        // Redis restarted empty: a due entry stays as it is, and PostgreSQL is not asked
        redisCatalog.delete(appId).block(Duration.ofSeconds(10));
        long before = store.loadCount();
        nanos.addAndGet(refreshAfter.toNanos() + 1);
        Flux.range(0, 50).flatMap(i -> timed.get(key)).blockLast(Duration.ofSeconds(10));
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(timed.get(key).block(Duration.ofSeconds(10))).isSameAs(reloaded));
        assertThat(store.loadCount()).as("no PostgreSQL read for a due entry").isEqualTo(before);

        // the kept entry still expires on time: counted from its read of Redis, not from the reload that found nothing
        nanos.addAndGet(properties.cache().nearTtl().toNanos() * 11 / 10);
        assertThat(timed.get(key).block(Duration.ofSeconds(10))).isNotSameAs(reloaded);
        assertThat(store.loadCount()).as("the load after expiry reads PostgreSQL").isEqualTo(before + 1);
    }

    @Test
    void entriesLoadedTogetherAreDueAtTimesSpreadOverTheSecondHalfOfTheRefreshDelay() {
        Duration refreshAfter = Duration.ofMinutes(5);
        assertThat(CatalogCache.refreshDelayNanos(refreshAfter, 0.0)).isEqualTo(refreshAfter.toNanos() / 2);
        assertThat(CatalogCache.refreshDelayNanos(refreshAfter, 0.999_999)).isLessThan(refreshAfter.toNanos());
        long[] due = new java.util.Random(7).doubles(10_000).mapToLong(r -> CatalogCache.refreshDelayNanos(refreshAfter, r))
                .toArray();
        long tenths = java.util.Arrays.stream(due).map(d -> (d - refreshAfter.toNanos() / 2) * 10 / (refreshAfter.toNanos() / 2))
                .distinct().count();
        assertThat(tenths).as("every tenth of the window gets some").isEqualTo(10);
    }

    @Test
    void batchGetAnswersPerIdAndListsTheMissing() {
        String second = workspace.createMiniProgram(workspace.owner, "Second Tea");
        catalog.fullRelease(workspace, second, "2.0.0", wallet.id());
        api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> {
                    h.setBearerAuth(wallet.token());
                    h.set(HttpHeaders.ACCEPT_LANGUAGE, "en-US");
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", List.of(appId, "mpnotreleasedanywhere0", second), "environment", "DEV"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].appId").value(contains(appId, second))
                .jsonPath("$.items[1].version").isEqualTo("2.0.0")
                .jsonPath("$.missing").value(contains("mpnotreleasedanywhere0"));

        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            tooMany.add("mp" + i);
        }
        api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", tooMany))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(hasItem("appIds"));
        api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", List.of("ok", "bad:{key}"), "environment", "MOON"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("appIds[1]", "environment"));
        api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(otherWallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", List.of(appId, second), "environment", "DEV"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0)
                .jsonPath("$.missing.length()").isEqualTo(2);
    }

    @Test
    void theListFiltersSortsAndPagesOnlyThisWalletsCatalog() {
        String keyword = "Kw" + Long.toString(System.nanoTime(), 36);
        String first = workspace.createMiniProgram(workspace.owner, keyword + " Alpha");
        String second = workspace.createMiniProgram(workspace.owner, keyword + " Beta");
        catalog.fullRelease(workspace, first, "1.0.0", wallet.id());
        catalog.fullRelease(workspace, second, "1.0.0", wallet.id());
        api.get().uri("/wallet/v1/mini-programs?environment=DEV&q={q}&sort=createdAt&size=1", keyword)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].appId").isEqualTo(second)
                .jsonPath("$.items[0].status").isEqualTo("FULL_RELEASE")
                .jsonPath("$.hasMore").isEqualTo(true);
        api.get().uri("/wallet/v1/mini-programs?environment=DEV&q={q}&sort=createdAt&size=1&page=1&industry=food", keyword)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectBody()
                .jsonPath("$.items[0].appId").isEqualTo(first)
                .jsonPath("$.hasMore").isEqualTo(false);
        api.get().uri("/wallet/v1/mini-programs?environment=DEV&q={q}", keyword)
                .headers(h -> h.setBearerAuth(otherWallet.token()))
                .exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        api.get().uri("/wallet/v1/mini-programs?sort=price&size=500&page=-1&status=SOLD")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field")
                .value(org.hamcrest.Matchers.hasItems("sort", "size", "page", "status"));
        api.get().uri("/wallet/v1/mini-programs?page=200&size=100")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void theChangeFeedLetsAWalletMirrorTheCatalogFromTheBeginningAndStayCurrent() {
        Map<String, String> mirror = new java.util.HashMap<>();
        String cursor = drain(wallet, null, mirror);
        assertThat(mirror).containsEntry(appId, "UPSERT 1.0.0");

        catalog.upload(workspace, appId, "1.1.0");
        catalog.act(workspace, appId, "1.1.0", "submit", wallet.id(), "DEV", Map.of()).expectStatus().isAccepted();
        catalog.act(workspace, appId, "1.1.0", "release", wallet.id(), "DEV", Map.of("grayPercent", 100)).expectStatus().isOk();
        cursor = drain(wallet, cursor, mirror);
        assertThat(mirror).containsEntry(appId, "UPSERT 1.1.0");

        catalog.act(workspace, appId, "1.1.0", "offline", wallet.id(), "DEV", Map.of()).expectStatus().isOk();
        String end = drain(wallet, cursor, mirror);
        assertThat(mirror).containsEntry(appId, "REMOVE null");
        assertThat(drain(wallet, end, new java.util.HashMap<>())).isEqualTo(end);

        Map<String, String> otherMirror = new java.util.HashMap<>();
        drain(otherWallet, null, otherMirror);
        assertThat(otherMirror).doesNotContainKey(appId);

        api.get().uri("/wallet/v1/changes?since=garbage&limit=0")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("since", "limit"));
    }

    @Test
    void aClosedWorkspacesMiniProgramsLeaveEveryWalletAtOnce() {
        get(wallet, appId, "DEV", null, null).expectStatus().isOk();   // now cached on this node and in Redis
        Map<String, String> mirror = new java.util.HashMap<>();
        String cursor = drain(wallet, null, mirror);
        assertThat(mirror).containsEntry(appId, "UPSERT 1.0.0");

        api.delete().uri("/api/v1/tenants/" + workspace.tenantId)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status;
        do {
            status = get(wallet, appId, "DEV", null, null).returnResult(byte[].class).getStatus().value();
        } while (status != 404 && System.nanoTime() < deadline && pause());
        assertThat(status).as("a wallet read after the workspace closed").isEqualTo(404);
        drain(wallet, cursor, mirror);
        assertThat(mirror).containsEntry(appId, "REMOVE null");
        Map<?, ?> batch = api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", List.of(appId), "environment", "DEV"))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(batch.get("missing")).isEqualTo(List.of(appId));
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void logosAreServedByHashImmutablyAndOnlyToWalletsThatSeeTheirMiniProgram() {
        byte[] png = Images.of("png", 64, 64);
        api.put().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .bodyValue(png)
                .exchange()
                .expectStatus().isOk();
        String logoUrl = get(wallet, appId, "DEV", null, null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("logoUrl").toString();
        assertThat(logoUrl).isEqualTo("/wallet/v1/logos/" + Sha256.hexOf(png));
        byte[] served = api.get().uri(logoUrl).headers(h -> h.setBearerAuth(wallet.token())).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(served).isEqualTo(png);
        api.get().uri(logoUrl).headers(h -> h.setBearerAuth(otherWallet.token())).exchange()
                .expectStatus().isNotFound();
        api.get().uri("/wallet/v1/logos/not-a-hash").headers(h -> h.setBearerAuth(wallet.token())).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void onlyWalletTokensReadTheWalletApiAndWalletTokensReadNothingElse() {
        api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isForbidden();
        api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .exchange()
                .expectStatus().isUnauthorized();
        // a client named like a wallet but without the wallet_id claim and scope is no wallet
        String impostor = keycloak.clientCredentialsToken("wallet-impostor-");
        api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(impostor))
                .exchange()
                .expectStatus().isUnauthorized();
        api.get().uri("/api/v1/industries?q=tea")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isForbidden();
        api.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void anEmptyWalletBucketAnswers429WithRetryAfterAndOtherWalletsAreUntouched() {
        RegisteredWallet limited = catalog.registerWallet("Limited Wallet");
        catalog.releaseUploaded(workspace, appId, "1.0.0", limited.id());
        get(limited, appId, "DEV", null, null).expectStatus().isOk()
                .expectHeader().valueEquals("RateLimit-Limit", "2000")
                .expectHeader().value("RateLimit-Remaining", remaining -> assertThat(Long.parseLong(remaining)).isBetween(0L, 1999L))
                .expectHeader().exists("RateLimit-Reset");
        // empty this wallet's bucket, with its last refill in the future so it cannot refill during the test
        String key = RateLimitFilter.walletKey(java.util.UUID.fromString(limited.id()));
        long future = System.currentTimeMillis() + 60_000;
        redis.opsForHash().putAll(key, Map.of("tokens", "0", "ts", Long.toString(future))).block(Duration.ofSeconds(5));
        get(limited, appId, "DEV", null, null).expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectBody().jsonPath("$.status").isEqualTo(429);
        get(wallet, appId, "DEV", null, null).expectStatus().isOk();
    }

    private void awaitQuietInvalidations() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = cache.invalidationCount();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofMillis(1500).toNanos()) {
            assertThat(System.nanoTime()).as("invalidations never went quiet").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long now = cache.invalidationCount();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private String drain(RegisteredWallet reader, String since, Map<String, String> mirror) {
        String cursor = since;
        for (int guard = 0; guard < 10_000; guard++) {
            String uri = "/wallet/v1/changes?environment=DEV&limit=50" + (cursor == null ? "" : "&since=" + cursor);
            Map<?, ?> page = api.get().uri(uri)
                    .headers(h -> h.setBearerAuth(reader.token()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            for (Object each : (List<?>) page.get("changes")) {
                Map<?, ?> change = (Map<?, ?>) each;
                mirror.put(change.get("appId").toString(), change.get("kind") + " " + change.get("version"));
            }
            cursor = page.get("next").toString();
            if (!Boolean.TRUE.equals(page.get("hasMore"))) {
                return cursor;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    private String version(String userId) {
        return get(wallet, appId, "DEV", userId, null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("version").toString();
    }

    private String name() {
        return get(wallet, appId, "DEV", null, "en-US").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("name").toString();
    }

    private WebTestClient.ResponseSpec get(RegisteredWallet reader, String app, String environment, String userId,
                                           String acceptLanguage) {
        StringBuilder uri = new StringBuilder("/wallet/v1/mini-programs/" + app + "?x=1");
        if (environment != null) {
            uri.append("&environment=").append(environment);
        }
        if (userId != null) {
            uri.append("&userId=").append(userId);
        }
        return api.get().uri(uri.toString())
                .headers(h -> {
                    h.setBearerAuth(reader.token());
                    if (acceptLanguage != null) {
                        h.set(HttpHeaders.ACCEPT_LANGUAGE, acceptLanguage);
                    }
                })
                .exchange();
    }
}
