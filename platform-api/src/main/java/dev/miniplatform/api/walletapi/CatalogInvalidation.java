package dev.miniplatform.api.walletapi;

import dev.miniplatform.infra.polling.PollingLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;

/**
 * Keeps every node's cache current after a change, two ways:
 * <ol>
 *   <li>Fast path: the node that committed the change publishes the app id on a Redis channel; every node (itself
 *       included) drops its near entries and the Redis hash of that mini program.</li>
 *   <li>Safety net: every node follows the {@code catalog_changes} table in PostgreSQL ({@link CatalogFollower})
 *       and invalidates again for each new row, so a lost message, a node that was disconnected from Redis, or a
 *       load that raced with the first invalidation cannot leave a stale entry for longer than one interval.</li>
 * </ol>
 * Both carry a WAL position at least that of the change's commit ({@code "<appId> <lsn>"} on the channel), which
 * {@link CatalogFreshness} holds against a replica before its answer may refill the cache. Without a replica
 * configured the committing node skips that query and publishes the bare app id, as before.
 */
@Component
class CatalogInvalidation extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(CatalogInvalidation.class);

    static final ChannelTopic CHANNEL = ChannelTopic.of(RedisCatalog.PREFIX + "catalog-invalidations");

    private final CatalogCache cache;
    private final CatalogFreshness freshness;
    private final CatalogReplica replica;
    private final CatalogFollower follower;
    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisConnectionFactory connections;
    private final WalletProperties properties;
    private final Counter published;

    CatalogInvalidation(CatalogCache cache, CatalogFreshness freshness, CatalogReplica replica,
                        CatalogFollower follower, ReactiveStringRedisTemplate redis,
                        ReactiveRedisConnectionFactory connections, WalletProperties properties, MeterRegistry meters) {
        this.cache = cache;
        this.freshness = freshness;
        this.replica = replica;
        this.follower = follower;
        this.redis = redis;
        this.connections = connections;
        this.properties = properties;
        this.published = Counter.builder("platform.wallet.invalidations.published").register(meters);
    }

    /**
     * Call after the transaction of a change committed. Never fails the caller: the change is in PostgreSQL, and
     * the follower will invalidate even if Redis is down now.
     */
    Mono<Void> changed(String appId) {
        if (!cache.enabled()) {
            return Mono.empty();
        }
        return replica.positionAfterCommit()
                .flatMap(position -> apply(appId, position)
                        .then(redis.convertAndSend(CHANNEL.getTopic(), message(appId, position)))
                        .doOnSuccess(receivers -> published.increment())
                        .timeout(Duration.ofSeconds(1))
                        .onErrorResume(failure -> {
                            log.debug("could not publish the invalidation of {}: {}", appId, failure.toString());
                            return Mono.empty();
                        }))
                .then();
    }

    /** The requirement first, then the invalidation's generation: see {@link CatalogFreshness}. */
    private Mono<Void> apply(String appId, Lsn committedBy) {
        freshness.changed(appId, committedBy);
        return cache.invalidate(appId);
    }

    static String message(String appId, Lsn committedBy) {
        return committedBy.equals(Lsn.ZERO) ? appId : appId + " " + committedBy;
    }

    /** {@code "<appId>"} or {@code "<appId> <lsn>"}; app ids have no spaces (WalletPaths). */
    private Mono<Void> received(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return apply(message, Lsn.ZERO);
        }
        Lsn committedBy;
        try {
            committedBy = Lsn.parse(message.substring(space + 1));
        } catch (IllegalArgumentException e) {
            committedBy = Lsn.ZERO;
        }
        return apply(message.substring(0, space), committedBy);
    }

    @Override
    protected boolean enabled() {
        return cache.enabled();
    }

    /** Both ways at once; neither ends, and neither fails (invalidating fails soft). */
    @Override
    protected Flux<Void> work() {
        return Flux.merge(messages(), follower.follow(properties.cache().followInterval())
                .concatMap(change -> apply(change.appId(), change.committedBy())));
    }

    /**
     * The container connects in its constructor (blocking, and failing while Redis is down): made off the event loop,
     * and again after every failure, so a node starts and keeps running without Redis.
     */
    private Flux<Void> messages() {
        return Flux.using(() -> new ReactiveRedisMessageListenerContainer(connections),
                        container -> container.receive(CHANNEL),
                        container -> container.destroyLater().subscribe())
                .subscribeOn(Schedulers.boundedElastic())
                .concatMap(message -> received(message.getMessage()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2)));
    }
}
