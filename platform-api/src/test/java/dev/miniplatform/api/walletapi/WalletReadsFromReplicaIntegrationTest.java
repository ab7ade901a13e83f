package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.StreamingReplica;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wallet path on a real PostgreSQL streaming replica: a primary and a hot standby of the test's own
 * ({@link StreamingReplica}, ports 5435 and 5436), two API nodes on them sharing the run's Redis. Replay on the
 * standby is paused to make it lag, and the standby is killed and restarted, while wallets read.
 * Node A stops reading a replica that lags more than a second; node B reads one up to a minute behind, so that it
 * shows what a lagging replica answers.
 */
class WalletReadsFromReplicaIntegrationTest {

    /** The zh-CN name of {@link Workspace#validMiniProgram}: what the list shows before the rename. */
    private static final String OLD_LISTED = "西湖茶馆";

    static StreamingReplica postgres;
    static Node nodeA;
    static Node nodeB;
    static KeycloakUsers keycloak;
    static Catalog catalog;
    static RegisteredWallet wallet;

    @BeforeAll
    static void replicatedPostgresAndTwoNodes() throws Exception {
        assumeTrue(StreamingReplica.installed(), "Debian's PostgreSQL with pg_basebackup is not installed");
        postgres = StreamingReplica.start(5435, 5436);
        nodeA = Node.start(settings("platform.wallet.replica.max-lag=1s"));
        nodeB = Node.start(settings("platform.wallet.replica.max-lag=60s"));
        keycloak = new KeycloakUsers(nodeA.bean(KeycloakAdmin.class), nodeA.bean(KeycloakProperties.class));
        catalog = new Catalog(nodeA.api(), keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
        wallet = catalog.registerWallet("Replica Wallet");
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String[] settings(String maxLag) {
        return Stream.concat(postgres.applicationProperties().stream(), Stream.of(maxLag,
                        "platform.wallet.replica.probe-interval=100ms",
                        "platform.rate-limit.wallet-capacity=1000000",
                        "platform.rate-limit.wallet-per-second=1000000"))
                .toArray(String[]::new);
    }

    @Test
    void aChangeReadBackFromALaggingReplicaIsNeverServedNorCachedOlderThanItsInvalidation() throws Exception {
        Workspace workspace = Workspace.create(nodeA.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Replica Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        awaitTrue(() -> nodeB.bean(CatalogReplica.class).usable(), "node B reads the replica");
        // a replica that has replayed the change answers the misses
        long fromReplica = replicaReads(nodeB);
        awaitTrue(() -> {
            nodeB.bean(CatalogCache.class).invalidate(appId).block(Duration.ofSeconds(5));
            return name(nodeB, appId).equals("Replica Tea") && replicaReads(nodeB) > fromReplica;
        }, "a miss of node B answered by the caught-up replica");

        postgres.pauseReplay();
        try {
            renameInEveryLanguage(workspace, appId, "Replica Tea Renamed"); // through node A, on the primary
            // what a cache refilled from the replica would hold: the replica really is behind
            // (the list shows the default language's name, zh-CN: the rename gives it the new name too)
            assertThat(listedName(nodeB, wallet, appId)).as("node B's list, from the lagging replica").isEqualTo(OLD_LISTED);
            // node B hears of the change by pub/sub (or the feed) within a second, with the commit's WAL position
            awaitTrue(() -> name(nodeB, appId).equals("Replica Tea Renamed"), "node B serves the new name");

            long behindBefore = behindReads(nodeB);
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // every later invalidation (the follower's, a near entry's expiry) makes the next read a miss again
                nodeB.bean(CatalogCache.class).invalidate(appId).block(Duration.ofSeconds(5));
                served.add(name(nodeB, appId));
                served.add(name(nodeA, appId));
                assertThat(cached(nodeB, appId)).as("what Redis holds").doesNotContain("\"Replica Tea\"");
                Thread.sleep(50);
            }
            assertThat(served).as("names served while the replica lags").containsOnly("Replica Tea Renamed");
            assertThat(cached(nodeB, appId)).as("Redis refilled by the last miss").contains("Replica Tea Renamed");
            assertThat(behindReads(nodeB) - behindBefore).as("misses sent to the primary because the replica is behind")
                    .isGreaterThanOrEqualTo(20);

            // node A gives up on the replica once it lags more than its max-lag: its list comes from the primary
            awaitTrue(() -> !nodeA.bean(CatalogReplica.class).usable(), "node A stops reading the lagging replica");
            assertThat(nodeA.bean(CatalogReplica.class).lag()).isGreaterThan(Duration.ofSeconds(1));
            assertThat(listedName(nodeA, wallet, appId)).as("node A's list, from the primary").isEqualTo("Replica Tea Renamed");
            assertThat(listedName(nodeB, wallet, appId)).as("node B's list, still from the replica").isEqualTo(OLD_LISTED);
        } finally {
            postgres.resumeReplay();
        }

        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        awaitTrue(() -> nodeA.bean(CatalogReplica.class).usable(), "node A reads the replica again once it caught up");
        assertThat(listedName(nodeB, wallet, appId)).isEqualTo("Replica Tea Renamed");
        long again = replicaReads(nodeB);
        awaitTrue(() -> {
            nodeB.bean(CatalogCache.class).invalidate(appId).block(Duration.ofSeconds(5));
            return name(nodeB, appId).equals("Replica Tea Renamed") && replicaReads(nodeB) > again;
        }, "misses answered by the replica again once it replayed the change");
    }

    @Test
    void walletReadsGoOnWhileTheReplicaIsDeadAndUseItAgainWhenItReturns() throws Exception {
        Workspace workspace = Workspace.create(nodeA.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Outage Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        awaitTrue(() -> nodeB.bean(CatalogReplica.class).usable(), "node B reads the replica");

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        // misses all the time: the list, the feed, and the document after an invalidation, on both nodes
        Disposable load = Flux.range(0, 4)
                .flatMap(worker -> Flux.range(0, Integer.MAX_VALUE)
                        .takeWhile(i -> running.get())
                        .concatMap(i -> {
                            Node node = worker % 2 == 0 ? nodeA : nodeB;
                            String uri = switch (i % 3) {
                                case 0 -> "/wallet/v1/mini-programs?environment=DEV&size=5";
                                case 1 -> "/wallet/v1/changes?environment=DEV&limit=5";
                                default -> "/wallet/v1/mini-programs/" + appId + "?environment=DEV";
                            };
                            Mono<Void> miss = i % 3 == 2 ? node.bean(CatalogCache.class).invalidate(appId) : Mono.empty();
                            return miss.then(status(node, uri))
                                    .doOnNext(status -> {
                                        reads.incrementAndGet();
                                        if (status != 200) {
                                            failures.add(uri + " -> " + status);
                                        }
                                    });
                        }), 4)
                .subscribe();
        try {
            Thread.sleep(1000);
            long killedAt = System.nanoTime();
            postgres.killStandby();
            awaitTrue(() -> !nodeA.bean(CatalogReplica.class).usable() && !nodeB.bean(CatalogReplica.class).usable(),
                    "both nodes notice the dead replica");
            long noticedMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            long whileDead = reads.get();
            Thread.sleep(2000);
            long deadReads = reads.get() - whileDead;
            assertThat(deadReads).as("reads answered while the replica was dead").isGreaterThan(10);

            long restartedAt = System.nanoTime();
            postgres.startStandby();
            long fromReplica = replicaReads(nodeB);
            awaitTrue(() -> nodeA.bean(CatalogReplica.class).usable() && nodeB.bean(CatalogReplica.class).usable()
                    && replicaReads(nodeB) > fromReplica + 10, "both nodes read the replica again");
            System.out.printf("replica outage: noticed by both nodes after %d ms; %d wallet reads answered by the primary "
                            + "in 2 s while it was dead; both nodes read it again %d ms after its restart began; %d reads "
                            + "in all, %d failed%n", noticedMillis, deadReads,
                    Duration.ofNanos(System.nanoTime() - restartedAt).toMillis(), reads.get(), failures.size());
        } finally {
            running.set(false);
            load.dispose();
            postgres.startStandby();
        }
        assertThat(failures).as("failed wallet reads").isEmpty();
    }

    @Test
    void theChangeFeedNeitherSkipsNorRepeatsAChangeWhilePagesComeFromReplicaAndPrimary() throws Exception {
        RegisteredWallet feedWallet = catalog.registerWallet("Replica Feed Wallet");
        Workspace workspace = Workspace.create(nodeA.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Feed Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", feedWallet.id());
        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        awaitTrue(() -> nodeB.bean(CatalogReplica.class).usable(), "node B reads the replica");

        List<String> mirrored = new ArrayList<>();
        String cursor = null;
        List<String> sources = new ArrayList<>();

        postgres.pauseReplay();
        try {
            catalog.rename(workspace, appId, "Feed Tea Two");
            catalog.rename(workspace, appId, "Feed Tea Three");
            // the replica has the release's rows, not the renames'
            cursor = mirror(nodeB, feedWallet, cursor, mirrored, sources);
            assertThat(sources).as("pages so far").containsOnly("replica");
            assertThat(mirrored).hasSize(Integer.parseInt(postgres.single(postgres.standbyPort(), truthCount(feedWallet))));
            assertThat(mirrored.size()).isLessThan(truth(feedWallet).size());

            postgres.killStandby(); // dead while paused: the next pages come from the primary
            cursor = mirror(nodeB, feedWallet, cursor, mirrored, sources);
            assertThat(sources).contains("primary");
        } finally {
            postgres.startStandby(); // restarted, it replays again (resuming is for a failure before the kill)
            postgres.resumeReplay();
        }
        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        catalog.rename(workspace, appId, "Feed Tea Four");
        postgres.awaitCaughtUp(Duration.ofSeconds(10));
        awaitTrue(() -> nodeB.bean(CatalogReplica.class).usable(), "node B reads the replica again");
        int before = sources.size();
        mirror(nodeB, feedWallet, cursor, mirrored, sources);
        assertThat(sources.subList(before, sources.size())).contains("replica");

        List<String> truth = truth(feedWallet);
        assertThat(truth).as("the feed rows on the primary").hasSizeGreaterThanOrEqualTo(4);
        assertThat(mirrored).as("what the wallet mirrored, page by page").containsExactlyElementsOf(truth);
    }

    /** Pages of one change until the feed has nothing more for now; which server answered each page. */
    private String mirror(Node node, RegisteredWallet feedWallet, String since, List<String> mirrored,
                          List<String> sources) throws Exception {
        String cursor = since;
        int expected = truth(feedWallet).size();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            long fromReplica = replicaReads(node);
            Map<?, ?> page = node.api().get()
                    .uri("/wallet/v1/changes?environment=DEV&limit=1" + (cursor == null ? "" : "&since=" + cursor))
                    .headers(h -> h.setBearerAuth(feedWallet.token()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            sources.add(replicaReads(node) > fromReplica ? "replica" : "primary");
            cursor = (String) page.get("next");
            for (Object change : (List<?>) page.get("changes")) {
                Map<?, ?> row = (Map<?, ?>) change;
                mirrored.add(row.get("appId") + " " + row.get("kind") + " " + row.get("version"));
            }
            if (!Boolean.TRUE.equals(page.get("hasMore"))
                    && (mirrored.size() >= expected || sources.getLast().equals("replica"))) {
                return cursor;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the feed did not deliver " + expected + " changes within 15 s: " + mirrored);
    }

    private static String truthCount(RegisteredWallet feedWallet) {
        return "select count(*) from catalog_changes where wallet_id = '" + feedWallet.id() + "' and environment = 'DEV'";
    }

    private static List<String> truth(RegisteredWallet feedWallet) throws Exception {
        String rows = postgres.single(postgres.primaryPort(), "select string_agg(app_id || ' ' || kind || ' ' || "
                + "coalesce(version, 'null'), e'\\n' order by tx, seq) from catalog_changes where wallet_id = '"
                + feedWallet.id() + "' and environment = 'DEV'");
        return rows == null ? List.of() : List.of(rows.split("\n"));
    }

    private static long replicaReads(Node node) {
        return node.bean(WalletTransactions.class).replicaReadCount();
    }

    private static long behindReads(Node node) {
        return (long) node.bean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("platform.wallet.replica.reads", "answered", "primary-replica-behind").count();
    }

    /** What the Redis tier holds for the wallet's DEV target, as text ("" when nothing). */
    private static String cached(Node node, String appId) {
        byte[] bytes = node.bean(RedisCatalog.class)
                .read(appId, RedisCatalog.field(UUID.fromString(wallet.id()), "DEV"))
                .block(Duration.ofSeconds(5));
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A full modify that gives both languages the name, so the list (default language, zh-CN) shows it too. */
    @SuppressWarnings("unchecked")
    private static void renameInEveryLanguage(Workspace workspace, String appId, String name) {
        Map<?, ?> current = nodeA.api().get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> body = Workspace.validMiniProgram(name);
        Map<String, Object> localizations = new java.util.HashMap<>((Map<String, Object>) body.get("localizations"));
        Map<String, Object> chinese = new java.util.HashMap<>((Map<String, Object>) localizations.get("zh-CN"));
        chinese.put("name", name);
        localizations.put("zh-CN", chinese);
        body.put("localizations", localizations);
        body.put("revision", current.get("revision"));
        nodeA.api().put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk();
    }

    private static String name(Node node, String appId) {
        return node.api().get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> {
                    h.setBearerAuth(wallet.token());
                    h.set(HttpHeaders.ACCEPT_LANGUAGE, "en-US");
                })
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("name").toString();
    }

    /** The name the wallet's list shows for the mini program (its default language's). */
    private static String listedName(Node node, RegisteredWallet listing, String appId) {
        Map<?, ?> page = node.api().get().uri("/wallet/v1/mini-programs?environment=DEV&size=100&sort=createdAt")
                .headers(h -> h.setBearerAuth(listing.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).stream()
                .map(item -> (Map<?, ?>) item)
                .filter(item -> appId.equals(item.get("appId")))
                .map(item -> String.valueOf(item.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(appId + " is not in the list: " + page));
    }

    private static Mono<Integer> status(Node node, String uri) {
        return node.client().get().uri(uri)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .timeout(Duration.ofSeconds(20))
                .onErrorResume(failure -> Mono.just(-1));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within 15 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
