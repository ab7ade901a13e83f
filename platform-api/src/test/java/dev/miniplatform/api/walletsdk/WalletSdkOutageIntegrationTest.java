package dev.miniplatform.api.walletsdk;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.RedisProcess;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.walletsdk.CatalogMirror;
import dev.miniplatform.walletsdk.InMemoryMirrorStore;
import dev.miniplatform.walletsdk.MirrorStore;
import dev.miniplatform.walletsdk.WalletApiException;
import dev.miniplatform.walletsdk.WalletClient;
import dev.miniplatform.walletsdk.WalletMiniProgram;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.miniplatform.api.walletsdk.WalletSdkIntegrationTest.requests;
import static dev.miniplatform.api.walletsdk.WalletSdkIntegrationTest.tokenUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wallet SDK through what a wallet cannot prevent: the platform restarting, its Redis dying, and its rate limit
 * refusing. Two API nodes of the test JVM share the run's PostgreSQL and a Redis of the test's own (port 6493):
 * node A, which the SDK reaches through a proxy (so A can be replaced by a new node on another port), and node R,
 * whose wallet rate limit is tiny (3 requests of burst, 1 a second) and through which the console calls are made.
 */
class WalletSdkOutageIntegrationTest {

    static final Locale EN = Locale.forLanguageTag("en-US");

    static RedisProcess redis;
    static Node nodeA;
    static Node nodeR;
    static SwitchableProxy toNodeA;
    static final List<Node> retired = new ArrayList<>();
    static KeycloakUsers keycloak;
    static KeycloakProperties keycloakProperties;
    static Catalog catalog;

    @BeforeAll
    static void nodesAndTheirRedis() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server/redis-cli not installed: cannot run the outage test");
        redis = RedisProcess.start(6493, false);
        nodeA = Node.start(redisAt());
        nodeR = Node.start(redisAt()[0], redisAt()[1], "platform.rate-limit.wallet-capacity=3",
                "platform.rate-limit.wallet-per-second=1");
        toNodeA = SwitchableProxy.toLater();
        toNodeA.target(port(nodeA));
        keycloakProperties = nodeR.bean(KeycloakProperties.class);
        keycloak = new KeycloakUsers(nodeR.bean(KeycloakAdmin.class), keycloakProperties);
        catalog = new Catalog(nodeR.api(), keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
    }

    @AfterAll
    static void stop() {
        if (toNodeA != null) {
            toNodeA.close();
        }
        retired.forEach(Node::close);
        for (Node node : new Node[] {nodeA, nodeR}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void afterAPlatformRestartTheMirrorResumesFromItsCursor() {
        RegisteredWallet wallet = catalog.registerWallet("Restart Wallet");
        Workspace workspace = Workspace.create(nodeR.api(), keycloak);
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            apps.add(workspace.createMiniProgram(workspace.owner, "Restart Tea " + i));
            catalog.fullRelease(workspace, apps.get(i), "1.0.0", wallet.id());
        }
        MeterRegistry registry = new SimpleMeterRegistry();
        WalletClient client = client(wallet, "http://127.0.0.1:" + toNodeA.port(), registry);
        MirrorStore store = new InMemoryMirrorStore();
        try (CatalogMirror mirror = mirror(client, store).start()) {
            WalletSdkIntegrationTest.Converged.within(() -> mirror.size(), 3L, "initial sync of 3 apps");
            double appliedBefore = applied(registry);
            String cursorBefore = store.cursor().orElseThrow();

            // node A goes away; a release is made meanwhile (through node R); a new node with empty caches replaces A
            nodeA.stopServer();
            retired.add(nodeA);
            catalog.fullRelease(workspace, apps.get(0), "1.1.0", wallet.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> mirror.lastFailureAt().isPresent());
            nodeA = Node.start(redisAt());
            toNodeA.target(port(nodeA));

            WalletSdkIntegrationTest.Converged.within(() -> mirror.get(apps.get(0), EN).map(WalletMiniProgram::version),
                    Optional.of("1.1.0"), "a release made while the node was down, after its restart");
            assertThat(store.cursor()).isNotEqualTo(Optional.of(cursorBefore));
            assertThat(applied(registry) - appliedBefore).as("only the new change was applied, not the feed from the start")
                    .isEqualTo(1.0);
            assertThat(mirror.size()).isEqualTo(3);
        }

        // the wallet's own process restarts with its (persistent) store: it answers before its first poll
        MeterRegistry again = new SimpleMeterRegistry();
        try (CatalogMirror restarted = mirror(client(wallet, "http://127.0.0.1:" + toNodeA.port(), again), store)) {
            assertThat(restarted.get(apps.get(0), EN).orElseThrow().version()).isEqualTo("1.1.0");
            restarted.syncOnce();
            assertThat(applied(again)).as("nothing changed since the cursor").isZero();
        }
    }

    @Test
    void throughARedisOutageTheMirrorConvergesAndDirectCallsAnswer() throws Exception {
        RegisteredWallet wallet = catalog.registerWallet("Redis Outage Wallet");
        Workspace workspace = Workspace.create(nodeR.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Redis Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        WalletClient client = client(wallet, "http://127.0.0.1:" + toNodeA.port(), new SimpleMeterRegistry());
        try (CatalogMirror mirror = mirror(client, new InMemoryMirrorStore()).start()) {
            WalletSdkIntegrationTest.Converged.within(() -> mirror.get(appId, EN).map(WalletMiniProgram::version),
                    Optional.of("1.0.0"), "initial sync");
            redis.kill();
            try {
                catalog.fullRelease(workspace, appId, "1.1.0", wallet.id());
                WalletSdkIntegrationTest.Converged.within(() -> mirror.get(appId, EN).map(WalletMiniProgram::version),
                        Optional.of("1.1.0"), "a release while Redis is down");
                assertThat(client.get(appId, "user-1", EN).orElseThrow().version()).isEqualTo("1.1.0");
                assertThat(client.batchGet(List.of(appId), null, EN).items()).hasSize(1);
            } finally {
                redis.start();
            }
            catalog.rename(workspace, appId, "Redis Tea Back");
            // through node R, whose invalidation reaches node A by Redis pub/sub or A's follower of the feed
            WalletSdkIntegrationTest.Converged.within(() -> client.get(appId, null, EN).map(WalletMiniProgram::name),
                    Optional.of("Redis Tea Back"), "a direct get on node A, after a rename through node R once Redis is back");
            WalletSdkIntegrationTest.Converged.within(() -> mirror.get(appId, EN).map(WalletMiniProgram::name),
                    Optional.of("Redis Tea Back"), "a rename once Redis is back");
        }
    }

    /**
     * Four threads call as fast as they can for 6 s against a limit of 1 request a second, while the mirror polls
     * every 100 ms: mirror reads keep answering; direct calls either succeed or fail with RateLimited (naming when to
     * come back) within their timeout; and the SDK sends only a few requests a second, not thousands.
     */
    @Test
    void aRateLimitStormNeverReachesTheMirrorsReadersAndIsNotHammered() throws Exception {
        RegisteredWallet wallet = catalog.registerWallet("Storm Wallet");
        Workspace workspace = Workspace.create(nodeR.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Storm Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        MeterRegistry registry = new SimpleMeterRegistry();
        WalletClient client = WalletClient.builder()
                .baseUrl("http://127.0.0.1:" + port(nodeR))
                .tokenUrl(tokenUrl(keycloakProperties))
                .clientId(wallet.clientId())
                .clientSecret(wallet.secret())
                .environment("DEV")
                .callTimeout(Duration.ofSeconds(3))
                .meterRegistry(registry)
                .build();
        try (CatalogMirror mirror = CatalogMirror.builder(client).languages(EN).pollInterval(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(2)).build().start()) {
            WalletSdkIntegrationTest.Converged.within(() -> mirror.get(appId, EN).isPresent(), true, "initial sync under a 1/s limit");

            AtomicInteger succeeded = new AtomicInteger();
            AtomicInteger rateLimited = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            AtomicInteger mirrorAnswers = new AtomicInteger();
            long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            try (ExecutorService callers = Executors.newFixedThreadPool(5)) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int user = i;
                    done.add(callers.submit(() -> {
                        while (System.nanoTime() < end) {
                            long started = System.nanoTime();
                            try {
                                client.get(appId, "user-" + user, EN).orElseThrow();
                                succeeded.incrementAndGet();
                            } catch (WalletApiException.RateLimited e) {
                                assertThat(e.retryAfter()).isPositive();
                                rateLimited.incrementAndGet();
                            } catch (WalletApiException e) {
                                // no answer within the call timeout (this machine is loaded): said so, not thrown late
                                assertThat(e).hasMessageContaining("within 3000 ms");
                                timedOut.incrementAndGet();
                            }
                            assertThat(Duration.ofNanos(System.nanoTime() - started))
                                    .as("a call ends by its timeout").isLessThan(Duration.ofMillis(4_500));
                        }
                        return null;
                    }));
                }
                done.add(callers.submit(() -> {
                    while (System.nanoTime() < end) {
                        assertThat(mirror.get(appId, EN)).isPresent();
                        mirrorAnswers.incrementAndGet();
                    }
                    return null;
                }));
                for (Future<?> each : done) {
                    each.get();
                }
            }
            double refusedOnTheWire = requests(registry, "get", "rate_limited") + requests(registry, "changes", "rate_limited")
                    + requests(registry, "batchGet", "rate_limited");
            double sent = refusedOnTheWire + requests(registry, "get", "ok") + requests(registry, "get", "not_modified")
                    + requests(registry, "changes", "ok") + requests(registry, "batchGet", "ok");
            System.out.printf("wallet-sdk measurement: 429 storm, 6 s: %d calls succeeded, %d failed RateLimited, "
                            + "%d timed out, %.0f requests sent (%.0f refused), %d mirror reads answered%n",
                    succeeded.get(), rateLimited.get(), timedOut.get(), sent, refusedOnTheWire, mirrorAnswers.get());
            assertThat(mirrorAnswers.get()).isGreaterThan(1000);
            assertThat(succeeded.get()).as("calls get through at the limit's pace").isGreaterThanOrEqualTo(3);
            assertThat(sent).as("a few requests a second, not a hammering").isLessThan(60);
        }
    }

    private static WalletClient client(RegisteredWallet wallet, String baseUrl, MeterRegistry registry) {
        return WalletClient.builder()
                .baseUrl(baseUrl)
                .tokenUrl(tokenUrl(keycloakProperties))
                .clientId(wallet.clientId())
                .clientSecret(wallet.secret())
                .environment("DEV")
                .callTimeout(Duration.ofSeconds(5))
                .meterRegistry(registry)
                .build();
    }

    private static CatalogMirror mirror(WalletClient client, MirrorStore store) {
        return CatalogMirror.builder(client)
                .store(store)
                .languages(EN)
                .pollInterval(Duration.ofMillis(200))
                .maxBackoff(Duration.ofSeconds(2))
                .build();
    }

    private static double applied(MeterRegistry registry) {
        return registry.get("wallet.sdk.mirror.changes.applied").counter().count();
    }

    private static String[] redisAt() {
        return new String[] {"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6493"};
    }

    private static int port(Node node) {
        return node.port();
    }
}
