package dev.miniplatform.api.authorization;

import dev.miniplatform.api.isv.IsvProperties;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.RedisProcess;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.SwitchableProxy.Mode;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps;
import dev.miniplatform.api.template.TemplateSteps.Isv;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.infra.effects.PendingEffects;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 17, item 6, with Redis not answering: an API node whose Redis (a server of the test's own, port 6479) sits
 * behind a proxy the test switches to HANG — commands sent then never reach Redis, as with a paused or partitioned
 * server. A revocation still answers 204, and its grant drop is not lost: it waits in the side-effect queue and is
 * done once Redis answers again. And a grant whose drop has not reached Redis yet is served for at most its own
 * minute, however often other merchants' grants are written to the same hash meanwhile.
 */
class GrantDropRedisOutageIntegrationTest {

    static RedisProcess redis;
    static SwitchableProxy proxy;
    static Node node;
    static KeycloakUsers keycloak;
    static WebhookReceiver receiver;
    static TemplateSteps steps;

    @BeforeAll
    static void aNodeWhoseRedisCanHang() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server/redis-cli not installed: cannot run the outage test");
        redis = RedisProcess.start(6479, false);
        proxy = SwitchableProxy.toLater();
        proxy.target(redis.port());
        node = Node.start("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + proxy.port(),
                "platform.effects.first-retry=200ms", "platform.effects.max-retry=1s");
        keycloak = new KeycloakUsers(node.bean(KeycloakAdmin.class), node.bean(KeycloakProperties.class));
        receiver = WebhookReceiver.start();
        steps = new TemplateSteps(node.api(), keycloak, node.bean(KeycloakProperties.class), receiver,
                keycloak.newUserWithRealmRole("admin", "platform-admin"),
                keycloak.newUserWithRealmRole("reviewer", "platform-reviewer"),
                node.bean(TenantTransactions.class), node.bean(DatabaseClient.class));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void whenRedisHangsARevocationAnswers204AndItsGrantDropIsDoneOnceRedisAnswers() throws Exception {
        Isv isv = steps.onboardIsv();
        Workspace merchant = Workspace.create(node.api(), keycloak);
        String authorizationId = steps.authorizeDirectly(merchant, isv);
        UUID merchantId = UUID.fromString(merchant.tenantId);
        GrantCache cache = node.bean(GrantCache.class);
        Grant grant = new Grant(UUID.fromString(authorizationId), UUID.fromString(isv.tenantId()), isv.name(),
                Set.of("miniprogram:read", "template:apply", "miniprogram:release"),
                Set.of(UUID.fromString(authorizationId)));
        // the ISV's requests have cached the grant
        awaitCached(cache, isv.clientId(), merchantId, grant);

        proxy.set(Mode.HANG);
        steps.revoke(merchant, authorizationId);
        assertThat(pendingDrops(merchantId, isv.clientId())).as("the drop waits in the queue").isEqualTo(1);
        proxy.set(Mode.PASS);
        assertThat(redis.cli("HEXISTS", GrantCache.redisKey(isv.clientId()), merchant.tenantId))
                .as("nothing reached Redis while it hung").isEqualTo("1");

        // the relay (run here by hand: test contexts do not poll) retries until Redis takes it
        Instant deadline = Instant.now().plusSeconds(60);
        while (pendingDrops(merchantId, isv.clientId()) > 0 && Instant.now().isBefore(deadline)) {
            node.bean(PendingEffects.class).runDue().block(Duration.ofSeconds(30));
            Thread.sleep(300);
        }
        assertThat(pendingDrops(merchantId, isv.clientId())).isZero();
        assertThat(redis.cli("HEXISTS", GrantCache.redisKey(isv.clientId()), merchant.tenantId)).isEqualTo("0");
        StepVerifier.create(cache.get(isv.clientId(), merchantId, Mono::empty))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aGrantWhoseDropNeverReachedRedisIsServedAtMostItsMinuteWhateverElseIsWritten() throws Exception {
        MovableClock clock = new MovableClock();
        GrantCache cache = new GrantCache(node.bean(ReactiveStringRedisTemplate.class), node.bean(JsonMapper.class),
                node.bean(IsvProperties.class), clock);
        String client = "isv-" + UUID.randomUUID();
        UUID revokedAt = UUID.randomUUID();
        Grant revoked = new Grant(UUID.randomUUID(), UUID.randomUUID(), "Revoked ISV", Set.of("miniprogram:read"), Set.of());
        awaitCached(cache, client, revokedAt, revoked);

        proxy.set(Mode.HANG);
        StepVerifier.create(cache.invalidate(client, revokedAt))
                .expectError()
                .verify(Duration.ofSeconds(30));
        proxy.set(Mode.PASS);

        // other merchants of the same ISV keep being served and cached: each write renews the hash's key expiry
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(25));
            Grant other = new Grant(UUID.randomUUID(), revoked.isvTenantId(), "Revoked ISV", Set.of("miniprogram:read"), Set.of());
            awaitCached(cache, client, UUID.randomUUID(), other);
        }
        assertThat(Long.parseLong(redis.cli("PTTL", GrantCache.redisKey(client)))).as("the hash lives on").isPositive();
        assertThat(redis.cli("HEXISTS", GrantCache.redisKey(client), revokedAt.toString())).isEqualTo("1");

        // 75 s after it was cached, the revoked grant is not served: PostgreSQL is asked (and says no grant)
        StepVerifier.create(cache.get(client, revokedAt, Mono::empty))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    /** Caches the grant (as a request would), waiting for the node to be reconnected to Redis after a hang. */
    private static void awaitCached(GrantCache cache, String client, UUID merchant, Grant grant) throws Exception {
        Instant deadline = Instant.now().plusSeconds(40);
        do {
            cache.get(client, merchant, () -> Mono.just(grant)).block(Duration.ofSeconds(10));
            if ("1".equals(redis.cli("HEXISTS", GrantCache.redisKey(client), merchant.toString()))) {
                return;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the grant never reached Redis");
    }

    private static long pendingDrops(UUID merchantId, String clientId) {
        return node.bean(TenantTransactions.class)
                .inTransaction(node.bean(DatabaseClient.class)
                        .sql("select count(*) as n from pending_effects where effect_key = $1")
                        .bind(0, "grant-drop:" + clientId)
                        .map(row -> row.get("n", Long.class))
                        .one())
                .contextWrite(TenantContext.forTenant(merchantId, null))
                .block(Duration.ofSeconds(30));
    }

    /** The application's clock, moved by the test (Redis's own clock is not involved in an entry's expiry). */
    static final class MovableClock extends Clock {

        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(instant -> instant.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
