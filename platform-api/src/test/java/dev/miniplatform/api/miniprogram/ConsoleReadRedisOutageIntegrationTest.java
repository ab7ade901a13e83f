package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.RedisProcess;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.SwitchableProxy.Mode;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console read cache when Redis stops answering one node (a Redis server of the test's own, port 6483, behind a
 * proxy the test switches to HANG: a paused server, or a master that died before this node learnt its replica).
 * Another node that reaches Redis again first would serve what it kept under the tenant's old epoch; so a write whose
 * new epoch Redis did not take is answered only once it did, within {@code announce-within} (4 s here) from the
 * first such write of the outage, and a Redis that stays away costs the first writes that wait once, not every write.
 * A new Redis Cluster topology (a replica promoted, which may have lost acknowledged epochs) drops all a node kept.
 */
class ConsoleReadRedisOutageIntegrationTest {

    static final Duration ANNOUNCE_WITHIN = Duration.ofSeconds(4);

    static RedisProcess redis;
    static SwitchableProxy proxy;
    static Node node;
    static KeycloakUsers keycloak;
    Workspace workspace;
    String appId;

    @BeforeAll
    static void aNodeWhoseRedisCanHang() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server/redis-cli not installed: cannot run the outage test");
        redis = RedisProcess.start(6483, false);
        proxy = SwitchableProxy.toLater();
        proxy.target(redis.port());
        node = Node.start("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + proxy.port(),
                "platform.console-cache.announce-within=" + ANNOUNCE_WITHIN.toMillis() + "ms");
        keycloak = new KeycloakUsers(node.bean(KeycloakAdmin.class), node.bean(KeycloakProperties.class));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void aCachedMiniProgram() {
        workspace = Workspace.create(node.api(), keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Outage Tea");
        read();
    }

    @AfterEach
    void redisAnswersAgain() {
        proxy.set(Mode.PASS);
    }

    @Test
    void aWriteWhoseEpochRedisDidNotTakeIsAnsweredOnlyOnceRedisTookIt() throws Exception {
        String before = epoch();
        proxy.set(Mode.HANG);
        long start = System.nanoTime();
        CompletableFuture<Long> answered = CompletableFuture.supplyAsync(() -> {
            rename("Renamed While Redis Hung", 1);
            return System.nanoTime();
        });
        Thread.sleep(1500);
        assertThat(answered).as("no answer while the new epoch cannot be written").isNotDone();
        long passedAt = System.nanoTime();
        proxy.set(Mode.PASS);
        long answeredAt = answered.get();

        assertThat(answeredAt).as("answered after Redis answered again").isGreaterThan(passedAt);
        assertThat(Duration.ofNanos(answeredAt - start)).isLessThan(ANNOUNCE_WITHIN.plusSeconds(3));
        assertThat(epoch()).as("the tenant's epoch, by the time the write was answered").isNotEqualTo(before);
        assertThat(read()).isEqualTo("Renamed While Redis Hung");
    }

    @Test
    void whileRedisStaysAwayOnlyTheOutagesFirstWritesWaitAndNoneLongerThanAnnounceWithin() throws Exception {
        String other = workspace.createMiniProgram(workspace.owner, "Other Outage Tea");
        String before = epoch();
        proxy.set(Mode.HANG);

        long start = System.nanoTime();
        rename("First Write Of The Outage", 1);
        Duration first = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        rename(other, "Second Write Of The Outage", 1);
        Duration second = Duration.ofNanos(System.nanoTime() - start);

        assertThat(first).as("the first write waited for Redis, but not longer than announce-within (and slack)")
                .isGreaterThanOrEqualTo(ANNOUNCE_WITHIN.minusMillis(500))
                .isLessThan(ANNOUNCE_WITHIN.plusSeconds(3));
        assertThat(second).as("a write after announce-within of the outage is answered without waiting")
                .isLessThan(ANNOUNCE_WITHIN.minusSeconds(1));

        proxy.set(Mode.PASS);
        // the background replay announces both changes once Redis answers; reads meanwhile go to PostgreSQL
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (epoch().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(epoch()).as("announced once Redis answered").isNotEqualTo(before);
        assertThat(read()).isEqualTo("First Write Of The Outage");
    }

    @Test
    void aNewRedisClusterTopologyDropsEverythingTheNodeKept() throws Exception {
        ConsoleReadCache cache = node.bean(ConsoleReadCache.class);
        // after another test's outage the node trusts Redis again once its breaker lets a probe through (2 s)
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long hits;
        do {
            read();
            hits = cache.hits();
            read();
        } while (cache.hits() == hits && System.nanoTime() < deadline && sleep(100));
        assertThat(cache.hits()).as("a second read came from memory").isEqualTo(hits + 1);

        // what Lettuce's topology refresh publishes when a replica took over a dead master's slots
        node.bean(ClientResources.class).eventBus().publish(new ClusterTopologyChangedEvent(List.of(), List.of()));

        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long before;
        do {
            before = cache.hits();
            read();
        } while (cache.hits() > before && System.nanoTime() < deadline);
        assertThat(cache.hits()).as("a read after the topology changed went to PostgreSQL").isEqualTo(before);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private String epoch() throws Exception {
        return redis.cli("GET", ConsoleReadCache.epochKey(UUID.fromString(workspace.tenantId)));
    }

    private String read() {
        Map<?, ?> view = node.api().get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) ((Map<?, ?>) view.get("localizations")).get("en-US")).get("name").toString();
    }

    private void rename(String name, long revision) {
        rename(appId, name, revision);
    }

    private void rename(String app, String name, long revision) {
        Map<String, Object> change = Workspace.validMiniProgram(name);
        change.put("revision", revision);
        node.api().put().uri(workspace.path("/mini-programs/" + app))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isOk();
    }
}
