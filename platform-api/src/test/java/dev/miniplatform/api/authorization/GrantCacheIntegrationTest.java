package dev.miniplatform.api.authorization;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grant cache against the run's real Redis, in the one race that matters: a request that read an ACTIVE grant
 * from PostgreSQL just before the merchant's revocation committed must not put it back into Redis (or this node's
 * memory) after the revocation's invalidation ran — every node would honour the revoked grant until the TTL.
 */
class GrantCacheIntegrationTest extends IntegrationTest {

    @Autowired
    GrantCache cache;
    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void aGrantReadBeforeARevocationIsNotCachedAfterIt() {
        String client = "isv-" + UUID.randomUUID();
        UUID merchant = UUID.randomUUID();
        Grant stale = new Grant(UUID.randomUUID(), UUID.randomUUID(), "Racing ISV", Set.of("miniprogram:read"), Set.of());

        // the loader read PostgreSQL before the revocation committed; the revocation's invalidation runs meanwhile
        Mono<Grant> loadedThenRevoked = cache.invalidate(client, merchant).thenReturn(stale);
        StepVerifier.create(cache.get(client, merchant, () -> loadedThenRevoked))
                .expectNext(stale)
                .expectComplete()
                .verify(Duration.ofSeconds(10));

        assertThat(redis.opsForHash().get(GrantCache.redisKey(client), merchant.toString()).blockOptional(Duration.ofSeconds(5)))
                .as("the revoked grant in Redis").isEmpty();
        // the next request asks PostgreSQL again (which now says: no grant)
        StepVerifier.create(cache.get(client, merchant, Mono::empty))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aGrantReadBeforeTheIsvWasSuspendedIsNotCachedAfterIt() {
        String client = "isv-" + UUID.randomUUID();
        UUID merchant = UUID.randomUUID();
        Grant stale = new Grant(UUID.randomUUID(), UUID.randomUUID(), "Suspended ISV", Set.of("miniprogram:read"), Set.of());

        StepVerifier.create(cache.get(client, merchant, () -> cache.invalidateClient(client).thenReturn(stale)))
                .expectNext(stale)
                .expectComplete()
                .verify(Duration.ofSeconds(10));

        StepVerifier.create(cache.get(client, merchant, Mono::empty))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aGrantWithNoInvalidationInBetweenIsCachedAndServedWithoutPostgres() {
        String client = "isv-" + UUID.randomUUID();
        UUID merchant = UUID.randomUUID();
        Grant grant = new Grant(UUID.randomUUID(), UUID.randomUUID(), "Steady ISV", Set.of("miniprogram:write"), Set.of());

        StepVerifier.create(cache.get(client, merchant, () -> Mono.just(grant)))
                .expectNext(grant)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(redis.opsForHash().get(GrantCache.redisKey(client), merchant.toString()).blockOptional(Duration.ofSeconds(5)))
                .isPresent();
        StepVerifier.create(cache.get(client, merchant, () -> Mono.error(new AssertionError("PostgreSQL was asked"))))
                .expectNext(grant)
                .expectComplete()
                .verify(Duration.ofSeconds(10));

        // and a revocation afterwards removes it everywhere
        StepVerifier.create(cache.invalidate(client, merchant)).expectComplete().verify(Duration.ofSeconds(10));
        StepVerifier.create(cache.get(client, merchant, Mono::empty)).expectComplete().verify(Duration.ofSeconds(10));
    }
}
