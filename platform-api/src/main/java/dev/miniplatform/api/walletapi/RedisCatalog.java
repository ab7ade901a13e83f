package dev.miniplatform.api.walletapi;

import dev.miniplatform.infra.redis.CircuitBreaker;
import dev.miniplatform.infra.redis.GuardedRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis tier of the catalog cache. One hash per mini program, {@code mpp:v1:{app:<appId>}:targets:2}, one field
 * per target {@code <walletId>:<environment>}: the hash tag puts everything of one mini program on one cluster
 * slot, so an invalidation is a single DEL and no command spans slots; the wallet id in the field comes from the
 * verified token, never from the request, so no wallet reads or writes another's entry.
 * <p>
 * Every command goes through a {@link GuardedRedis} and fails soft (a read becomes a miss). Invalidations that
 * cannot reach Redis are remembered and replayed before this node reads Redis again, so an entry written before
 * an outage cannot come back stale after it.
 */
@Component
class RedisCatalog {

    private static final Logger log = LoggerFactory.getLogger(RedisCatalog.class);

    static final String PREFIX = "mpp:v1:";

    private static final RedisScript<Long> PUT = RedisScript.of("""
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """, Long.class);

    private final ReactiveRedisTemplate<String, byte[]> redis;
    private final GuardedRedis guard;
    private final WalletProperties properties;
    private final Clock clock;
    private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pendingOverflowed = new AtomicBoolean();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicReference<Instant> readsAllowedFrom = new AtomicReference<>(Instant.MIN);

    RedisCatalog(ReactiveRedisTemplate<String, byte[]> bytesRedisTemplate, WalletProperties properties, Clock clock,
                 MeterRegistry meters) {
        this.redis = bytesRedisTemplate;
        this.properties = properties;
        this.clock = clock;
        CircuitBreaker breaker = new CircuitBreaker(properties.redis().failureThreshold(), properties.redis().openFor(),
                clock);
        Counter failures = Counter.builder("platform.wallet.redis.failures")
                .description("Redis commands of the wallet path that failed or timed out (answered from PostgreSQL)")
                .register(meters);
        this.guard = new GuardedRedis("wallet cache, answering from PostgreSQL", breaker, failures::increment);
        Gauge.builder("platform.wallet.redis.breaker.open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                .register(meters);
    }

    /**
     * The hash of one mini program's documents. The suffix names the shape of {@link CatalogDocument} (2: live
     * releases carry their ext config's hash): a new shape gets a new suffix, so during a rolling deploy no node
     * serves a document written by another build, which would lack what this one renders. Invalidation still
     * reaches every build: the pub/sub message and the change feed carry the app id, and each node deletes the key
     * of its own build.
     */
    static String key(String appId) {
        return PREFIX + "{app:" + appId + "}:targets:2";
    }

    static String field(UUID walletId, String environment) {
        return walletId + ":" + environment;
    }

    CircuitBreaker breaker() {
        return guard.breaker();
    }

    Mono<byte[]> read(String appId, String field) {
        return usable()
                .filter(usable -> usable && !clock.instant().isBefore(readsAllowedFrom.get()))
                .flatMap(usable -> guard.report(redis.<String, byte[]>opsForHash().get(key(appId), field)));
    }

    Mono<Void> write(String appId, String field, byte[] value) {
        long ttl = jittered(properties.cache().redisTtl()).toMillis();
        return usable()
                .filter(Boolean::booleanValue)
                .flatMap(usable -> guard.report(redis.execute(PUT, List.of(key(appId)),
                                List.of(bytes(field), value, bytes(Long.toString(ttl))))
                        .then(Mono.just(true))))
                .then();
    }

    /** Deletes the mini program's entry, or remembers to delete it as soon as Redis answers again. */
    Mono<Void> delete(String appId) {
        return usable()
                .flatMap(usable -> usable ? deleteNow(appId) : Mono.fromRunnable(() -> remember(appId)))
                .then();
    }

    private Mono<Boolean> deleteNow(String appId) {
        return guard.report(redis.delete(key(appId)).thenReturn(true))
                .switchIfEmpty(Mono.fromCallable(() -> {
                    remember(appId);
                    return false;
                }));
    }

    private void remember(String appId) {
        if (pendingDeletes.size() < properties.redis().pendingDeletes()) {
            pendingDeletes.add(appId);
        } else {
            pendingOverflowed.set(true);
        }
    }

    /**
     * Whether Redis may be used now: the breaker admits the call and no invalidation is waiting to be replayed.
     * The replay itself is the breaker's probe.
     */
    private Mono<Boolean> usable() {
        if (!guard.tryAcquire()) {
            return Mono.just(false);
        }
        if (pendingDeletes.isEmpty() && !pendingOverflowed.get()) {
            return Mono.just(true);
        }
        if (!flushing.compareAndSet(false, true)) {
            return Mono.just(false);
        }
        Mono<Void> missed = Flux.fromIterable(List.copyOf(pendingDeletes))
                .concatMap(appId -> redis.delete(key(appId)).doOnSuccess(deleted -> pendingDeletes.remove(appId)))
                .then(Mono.fromRunnable(this::afterReplay));
        return guard.replay(missed, Duration.ofSeconds(5))
                .doFinally(signal -> flushing.set(false));
    }

    /** After losing invalidations (too many to remember), Redis entries are not trusted for one TTL. */
    private void afterReplay() {
        if (pendingOverflowed.getAndSet(false)) {
            readsAllowedFrom.set(clock.instant().plus(properties.cache().redisTtl()));
        }
        log.info("Redis reachable again for the wallet cache; replayed the invalidations missed meanwhile");
    }

    static Duration jittered(Duration base) {
        double factor = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
        return Duration.ofMillis((long) (base.toMillis() * factor));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
