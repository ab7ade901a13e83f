package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wallets get a mini program's server domains with each released version, as they were when that release went live
 * (V29): through get, batchGet and the cache, and after the feed's UPSERT. An edit alone changes nothing a wallet
 * sees — no feed row, no invalidation, the same ETag — until the next release.
 */
class WalletDomainsIntegrationTest extends IntegrationTest {

    static TestUser admin;
    static RegisteredWallet wallet;

    @Autowired
    CatalogStore store;

    @Autowired
    CatalogCache cache;

    Catalog catalog;
    Workspace workspace;
    String appId;

    @BeforeEach
    void miniProgram() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        }
        catalog = new Catalog(api, keycloak, admin);
        if (wallet == null) {
            wallet = catalog.registerWallet("Domains " + java.util.UUID.randomUUID().toString().substring(0, 8));
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Domain Tea");
    }

    @Test
    void eachReleaseCarriesTheListsInForceWhenItWentLiveAndAnEditAloneChangesNothingWalletsSee() {
        Map<String, List<String>> a = domains("https://a.example.com", "wss://a.example.com");
        Map<String, List<String>> b = domains("https://b.example.com", "wss://b.example.com");
        putDomains(List.of("https://A.example.com:443"), List.of("wss://a.example.com"), 0);
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        String cursor = feedUntilNow();

        assertThat(walletGet().get("domains")).isEqualTo(a);
        assertThat(batchGetDomains()).isEqualTo(a);
        awaitQuietInvalidations();
        String etag = etag();
        long loads = store.loadCount();
        assertThat(walletGet().get("domains")).as("from the cache").isEqualTo(a);
        assertThat(store.loadCount()).as("the second read hits the cache").isEqualTo(loads);

        // an edit without a release: same answer, same ETag, no feed row, no invalidation
        long invalidations = cache.invalidationCount();
        putDomains(List.of("https://b.example.com"), List.of("wss://b.example.com"), 1);
        assertThat(walletGet().get("domains")).isEqualTo(a);
        assertThat(batchGetDomains()).isEqualTo(a);
        assertThat(etag()).isEqualTo(etag);
        assertThat(changesSince(cursor)).as("the feed says nothing of an edit").isEmpty();
        awaitQuietInvalidations();
        assertThat(cache.invalidationCount()).isEqualTo(invalidations);
        assertThat(store.loadCount()).isEqualTo(loads);

        // the next release carries B; the feed's UPSERT sends the wallet to re-fetch, which shows B
        catalog.fullRelease(workspace, appId, "1.1.0", wallet.id());
        // (the submit on the way wrote an UPSERT of the version still live, 1.0.0)
        assertThat(changesSince(cursor)).isNotEmpty().allSatisfy(change -> assertThat(change.get("kind")).isEqualTo("UPSERT"))
                .last().isEqualTo(Map.of("appId", appId, "kind", "UPSERT", "version", "1.1.0"));
        assertThat(walletGet()).containsEntry("version", "1.1.0").containsEntry("domains", b);
        assertThat(batchGetDomains()).isEqualTo(b);
        awaitQuietInvalidations();
        assertThat(walletGet().get("domains")).isEqualTo(b);
        loads = store.loadCount();
        assertThat(walletGet().get("domains")).as("from the cache, after the release").isEqualTo(b);
        assertThat(store.loadCount()).isEqualTo(loads);

        // a rollback restores 1.0.0 with the lists it went live with, not today's
        catalog.act(workspace, appId, "1.1.0", "rollback", wallet.id(), "DEV", Map.of()).expectStatus().isOk();
        assertThat(walletGet()).containsEntry("version", "1.0.0").containsEntry("domains", a);
        assertThat(batchGetDomains()).isEqualTo(a);
    }

    @Test
    void theCopyIsTakenWhenTheVersionFirstGoesLiveAndKeptThroughGrayAndFullRelease() {
        putDomains(List.of("https://pilot.example.com"), List.of(), 0);
        catalog.upload(workspace, appId, "2.0.0");
        catalog.act(workspace, appId, "2.0.0", "submit", wallet.id(), "DEV", Map.of()).expectStatus().isAccepted();
        putDomains(List.of("https://submitted.example.com"), List.of(), 1);
        catalog.act(workspace, appId, "2.0.0", "pilot", wallet.id(), "DEV", Map.of("userIds", List.of("tester")))
                .expectStatus().isOk();
        putDomains(List.of("https://later.example.com"), List.of(), 2);
        catalog.act(workspace, appId, "2.0.0", "release", wallet.id(), "DEV", Map.of("grayPercent", 30))
                .expectStatus().isOk();
        catalog.act(workspace, appId, "2.0.0", "release", wallet.id(), "DEV", Map.of("grayPercent", 100))
                .expectStatus().isOk();

        assertThat(walletGet()).containsEntry("version", "2.0.0")
                .containsEntry("domains", domains("https://submitted.example.com", null));
    }

    @Test
    void aReleaseWithNoListsEverSavedCarriesFiveEmptyLists() {
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        assertThat(walletGet().get("domains")).isEqualTo(domains(null, null));
    }

    private static Map<String, List<String>> domains(String request, String socket) {
        Map<String, List<String>> domains = new java.util.LinkedHashMap<>();
        domains.put("request", request == null ? List.of() : List.of(request));
        domains.put("upload", List.of());
        domains.put("download", List.of());
        domains.put("socket", socket == null ? List.of() : List.of(socket));
        domains.put("webView", List.of());
        return domains;
    }

    private void putDomains(List<String> request, List<String> socket, long revision) {
        Map<String, Object> body = new HashMap<>();
        body.put("request", request);
        body.put("upload", List.of());
        body.put("download", List.of());
        body.put("socket", socket);
        body.put("webView", List.of());
        body.put("revision", revision);
        api.put().uri(workspace.path("/mini-programs/" + appId + "/domains"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk();
    }

    private Map<String, Object> walletGet() {
        return api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                })
                .returnResult().getResponseBody();
    }

    private String etag() {
        return api.get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders().getFirst(HttpHeaders.ETAG);
    }

    private Object batchGetDomains() {
        Map<?, ?> batch = api.post().uri("/wallet/v1/mini-programs:batchGet")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appIds", List.of(appId), "environment", "DEV"))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<?> items = (List<?>) batch.get("items");
        assertThat(items).hasSize(1);
        return ((Map<?, ?>) items.getFirst()).get("domains");
    }

    /** The feed's cursor after everything so far. */
    private String feedUntilNow() {
        String cursor = null;
        while (true) {
            Map<?, ?> page = feedPage(cursor);
            cursor = page.get("next").toString();
            if (!Boolean.TRUE.equals(page.get("hasMore"))) {
                return cursor;
            }
        }
    }

    /** This mini program's feed rows after {@code cursor}. */
    private List<Map<?, ?>> changesSince(String cursor) {
        List<Map<?, ?>> changes = new java.util.ArrayList<>();
        String next = cursor;
        while (true) {
            Map<?, ?> page = feedPage(next);
            for (Object each : (List<?>) page.get("changes")) {
                Map<?, ?> change = (Map<?, ?>) each;
                if (appId.equals(change.get("appId"))) {
                    changes.add(Map.of("appId", change.get("appId"), "kind", change.get("kind"),
                            "version", change.get("version")));
                }
            }
            next = page.get("next").toString();
            if (!Boolean.TRUE.equals(page.get("hasMore"))) {
                return changes;
            }
        }
    }

    private Map<?, ?> feedPage(String cursor) {
        String uri = "/wallet/v1/changes?environment=DEV&limit=100" + (cursor == null ? "" : "&since=" + cursor);
        return api.get().uri(uri)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
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
}
