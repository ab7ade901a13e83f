package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.RedisProcess;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;
import dev.miniplatform.infra.redis.TokenBucket;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same wallet code on a three-master Redis Cluster (ports 6472–6474, no replicas, no persistence) through
 * Lettuce's cluster client, switched on by {@code spring.data.redis.cluster.nodes} alone.
 */
class WalletCatalogOnRedisClusterIntegrationTest {

    static final List<RedisProcess> SERVERS = new ArrayList<>();
    static Node node;
    static KeycloakUsers keycloak;
    static Catalog catalog;
    static RegisteredWallet wallet;

    @BeforeAll
    static void cluster() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server/redis-cli not installed: cannot run the Redis Cluster test");
        for (int port = 6472; port <= 6474; port++) {
            SERVERS.add(RedisProcess.start(port, true));
        }
        RedisProcess.createCluster(SERVERS);
        node = Node.start("spring.data.redis.cluster.nodes=127.0.0.1:6472,127.0.0.1:6473,127.0.0.1:6474");
        keycloak = new KeycloakUsers(node.bean(KeycloakAdmin.class), node.bean(KeycloakProperties.class));
        catalog = new Catalog(node.api(), keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
        wallet = catalog.registerWallet("Cluster Wallet");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        SERVERS.forEach(RedisProcess::stop);
    }

    @Test
    void theApplicationTalksToTheCluster() {
        try (var connection = node.bean(RedisConnectionFactory.class).getConnection()) {
            assertThat(connection).isInstanceOf(RedisClusterConnection.class);
        }
    }

    @Test
    void readsAreCachedInTheClusterAndInvalidatedOnChange() throws Exception {
        Workspace workspace = Workspace.create(node.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Cluster Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        String key = RedisCatalog.key(appId);
        String field = RedisCatalog.field(UUID.fromString(wallet.id()), "DEV");
        // the release's own entry in the change feed may still be on its way to this node's follower, and applying it
        // drops the key once more: a read after that must put it back
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String cached;
        do {
            assertThat(name(appId)).isEqualTo("Cluster Tea");
            cached = SERVERS.getFirst().cli("hexists", key, field);
        } while (!"1".equals(cached) && System.nanoTime() < deadline && pause());
        assertThat(cached).as("the entry %s of %s in the cluster", field, key).isEqualTo("1");

        catalog.rename(workspace, appId, "Cluster Tea Renamed");
        assertThat(name(appId)).isEqualTo("Cluster Tea Renamed");
    }

    @Test
    void theRateLimitBucketLivesInTheClusterAndRefusesWhenEmpty() throws Exception {
        RegisteredWallet limited = catalog.registerWallet("Cluster Limited Wallet");
        Workspace workspace = Workspace.create(node.api(), keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Limited Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", limited.id());
        read(limited, appId).expectStatus().isOk().expectHeader().exists("RateLimit-Remaining");
        String key = RateLimitFilter.walletKey(UUID.fromString(limited.id()));
        assertThat(SERVERS.getFirst().cli("exists", key)).isEqualTo("1");
        SERVERS.getFirst().cli("hset", key, "tokens", "0", "ts", Long.toString(System.currentTimeMillis() + 60_000));
        read(limited, appId).expectStatus().isEqualTo(429).expectHeader().exists(HttpHeaders.RETRY_AFTER);
    }

    /**
     * An ISV's two buckets (at one merchant, over all merchants) share a hash tag, so one script takes from both in a
     * cluster; a refusal by one takes nothing from the other.
     */
    @Test
    void anIsvsTwoBucketsAreTakenTogetherInTheClusterAndARefusalSpendsNeither() throws Exception {
        TokenBucket buckets = new TokenBucket(node.bean(ReactiveStringRedisTemplate.class));
        String client = "isv-" + UUID.randomUUID();
        List<TokenBucket.Limit> limits = List.of(
                new TokenBucket.Limit(RateLimitFilter.isvMerchantKey(client, UUID.randomUUID().toString()), 1, 1),
                new TokenBucket.Limit(RateLimitFilter.isvKey(client), 1000, 1));

        TokenBucket.Decision first = buckets.take(limits).block(Duration.ofSeconds(10));
        assertThat(first.allowed()).isTrue();
        assertThat(first.capacity()).as("the bucket nearest to refusing is reported").isEqualTo(1);
        assertThat(first.remaining()).isZero();
        TokenBucket.Decision second = buckets.take(limits).block(Duration.ofSeconds(10));
        assertThat(second.allowed()).isFalse();
        assertThat(second.capacity()).as("the bucket that refused is reported").isEqualTo(1);
        assertThat(second.retryAfterMillis()).isPositive();
        String overall = SERVERS.getFirst().cli("hget", RateLimitFilter.isvKey(client), "tokens");
        assertThat(Double.parseDouble(overall)).as("tokens left over all merchants").isLessThan(1000).isGreaterThanOrEqualTo(999);
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec read(RegisteredWallet reader,
                                                                                              String appId) {
        return node.api().get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> h.setBearerAuth(reader.token()))
                .exchange();
    }

    private static String name(String appId) {
        return node.api().get().uri("/wallet/v1/mini-programs/{id}?environment=DEV", appId)
                .headers(h -> {
                    h.setBearerAuth(wallet.token());
                    h.set(HttpHeaders.ACCEPT_LANGUAGE, "en-US");
                })
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("name").toString();
    }
}
