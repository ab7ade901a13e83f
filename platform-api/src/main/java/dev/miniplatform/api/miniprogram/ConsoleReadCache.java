package dev.miniplatform.api.miniprogram;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.miniplatform.infra.polling.PollingLoop;
import dev.miniplatform.infra.redis.CircuitBreaker;
import dev.miniplatform.infra.redis.GuardedRedis;
import dev.miniplatform.infra.redis.RedisFailovers;
import dev.miniplatform.infra.transaction.TenantChangeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The console's read of one mini program, remembered per node and trusted only while the tenant's <em>epoch</em>
 * in Redis is the one it was read under (decision 164).
 * <ul>
 *   <li>Every transaction that acted in a tenant gives the tenant a new random epoch after its commit and before
 *       its request is answered ({@link #tenantChanged}, called by {@code TenantTransactions}). A block, a
 *       removal, a role change, a closed workspace or an edited mini program is therefore seen by the very next
 *       read on every node: each read asks Redis for the epoch first (one GET, instead of the PostgreSQL statement
 *       that checks access and reads the mini program).</li>
 *   <li>Safe requests (GET, HEAD) change no epoch; the database refuses their writes to the tables this read is
 *       made of (V26), so they cannot change it behind the cache's back.</li>
 *   <li>When Redis does not answer (circuit breaker open, timeout), reads go to PostgreSQL as before and nothing
 *       cached is served. A change whose new epoch could not be written is written as soon as Redis answers again
 *       (retried every {@link #REPLAY_EVERY} in the background, and before this node trusts Redis again); its own
 *       entries of the tenant are dropped at once.</li>
 *   <li>Nodes do not find Redis again at the same moment: after a Redis Cluster failover each learns the promoted
 *       replica at its own topology refresh. A node that already reads the old epoch there would serve what it kept
 *       while the writer still cannot announce its change, so the writer's request waits for its epoch (retried every
 *       {@link #ANNOUNCE_RETRY_EVERY}) before it is answered: whoever was told "saved" reads it back everywhere. The
 *       wait is bounded by {@code announce-within} from the first change of the outage, so a Redis that stays away
 *       costs the first writes that wait once, not every write. Past that bound, every entry lives at most
 *       {@code max-age}, the bound on what another node could serve if Redis took its reads but never this node's
 *       write.</li>
 *   <li>A master that dies may lose epochs it had acknowledged but not yet replicated; so every node drops all it
 *       kept when its Redis client learns a new topology ({@link RedisFailovers}).</li>
 *   <li>Epochs are random, never counters: Redis restarting empty cannot bring an old epoch back.</li>
 * </ul>
 * Only a console user's positive answer is kept; 404s and ISV reads always go to PostgreSQL.
 */
@Component
class ConsoleReadCache implements TenantChangeListener {

    private static final Duration EPOCH_TTL = Duration.ofDays(7);
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REPLAY_EVERY = Duration.ofMillis(500);
    static final Duration ANNOUNCE_RETRY_EVERY = Duration.ofMillis(200);

    record Key(UUID tenantId, String userId, String appId) {
    }

    /** The answer as the console gets it: the view's JSON, serialized once per read from PostgreSQL. */
    private record Cached(String epoch, byte[] json) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final boolean enabled;
    private final Cache<Key, Cached> near;
    private final GuardedRedis guard;
    private final Set<UUID> unannounced = ConcurrentHashMap.newKeySet();
    /** When this node first failed to announce a change that is still unannounced; null while all are announced. */
    private final AtomicReference<Instant> unannouncedSince = new AtomicReference<>();
    private final Duration announceWithin;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypasses;
    private final Disposable replays;
    private final Disposable failovers;

    ConsoleReadCache(ReactiveStringRedisTemplate redis, JsonMapper json, ConsoleCacheProperties properties, Clock clock,
                     MeterRegistry meters, RedisFailovers redisFailovers) {
        this.redis = redis;
        this.json = json;
        this.enabled = properties.enabled();
        this.announceWithin = properties.announceWithin();
        this.clock = clock;
        this.near = Caffeine.newBuilder()
                .maximumSize(properties.maxEntries())
                .expireAfterWrite(properties.maxAge())
                .build();
        this.hits = reads(meters, "hit");
        this.misses = reads(meters, "miss");
        this.bypasses = reads(meters, "bypass");
        Counter failures = Counter.builder("platform.console.cache.redis.failures")
                .description("Redis commands of the console read cache that failed (reads went to PostgreSQL)")
                .register(meters);
        this.guard = new GuardedRedis("console read cache, reading from PostgreSQL",
                new CircuitBreaker(properties.failureThreshold(), properties.openFor(), clock), failures::increment);
        // another node may trust Redis again before this one reads anything: announce what is pending anyway
        // (usable() does not fail: its replay fails soft)
        this.replays = PollingLoop.every(REPLAY_EVERY, () -> unannounced.isEmpty() ? Mono.empty() : usable(),
                        failure -> { })
                .subscribe();
        this.failovers = redisFailovers.onTopologyChange(near::invalidateAll);
    }

    @PreDestroy
    void stop() {
        replays.dispose();
        failovers.dispose();
    }

    private static Counter reads(MeterRegistry meters, String result) {
        return Counter.builder("platform.console.cache.reads")
                .description("Console reads of one mini program: hit (served from this node), miss (read from PostgreSQL"
                        + " and kept), bypass (Redis did not answer: read from PostgreSQL, not kept)")
                .tag("result", result)
                .register(meters);
    }

    static String epochKey(UUID tenantId) {
        return "mpp:v1:{t:" + tenantId + "}:console-epoch";
    }

    /** Reads served from this node's memory so far. */
    long hits() {
        return (long) hits.count();
    }

    /** The view's JSON: from this node's memory while the tenant's epoch is unchanged, else from {@code read}. */
    Mono<byte[]> find(UUID tenantId, String userId, String appId, Supplier<Mono<MiniProgramView>> read) {
        if (!enabled) {
            return read.get().map(this::serialized);
        }
        Key key = new Key(tenantId, userId, appId);
        return epoch(tenantId)
                .flatMap(epoch -> epoch.map(current -> cachedOrRead(key, current, read)).orElseGet(() -> {
                    bypasses.increment();
                    return read.get().map(this::serialized);
                }));
    }

    private Mono<byte[]> cachedOrRead(Key key, String epoch, Supplier<Mono<MiniProgramView>> read) {
        Cached cached = near.getIfPresent(key);
        if (cached != null && cached.epoch().equals(epoch)) {
            hits.increment();
            return Mono.just(cached.json());
        }
        misses.increment();
        return read.get()
                .map(this::serialized)
                .doOnNext(bytes -> near.put(key, new Cached(epoch, bytes)))
                .doOnError(failure -> near.invalidate(key));
    }

    byte[] serialized(MiniProgramView view) {
        return json.writeValueAsBytes(view);
    }

    /** The tenant's current epoch, or empty inside the Optional when Redis cannot be trusted now. */
    private Mono<Optional<String>> epoch(UUID tenantId) {
        return usable().flatMap(usable -> usable
                ? guard.report(redis.opsForValue().get(epochKey(tenantId))
                        .switchIfEmpty(Mono.defer(() -> firstEpoch(tenantId))))
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                : Mono.just(Optional.<String>empty()));
    }

    /** No epoch yet (a tenant never changed since Redis started, or the key expired): set one, unless someone was first. */
    private Mono<String> firstEpoch(UUID tenantId) {
        String key = epochKey(tenantId);
        return redis.opsForValue().setIfAbsent(key, newEpoch(), EPOCH_TTL)
                .then(redis.opsForValue().get(key));
    }

    @Override
    public Mono<Void> tenantChanged(UUID tenantId) {
        if (!enabled) {
            return Mono.empty();
        }
        return guard.call(() -> announce(tenantId), () -> announceLater(tenantId));
    }

    private Mono<Void> announce(UUID tenantId) {
        return redis.opsForValue().set(epochKey(tenantId), newEpoch(), EPOCH_TTL).then();
    }

    /**
     * The tenant's change could not be announced: this node's entries of the tenant go, the background replay takes it
     * on, and the request waits while this outage is younger than {@code announce-within} for the announcement (its
     * own retries or the replay's), then is answered either way.
     */
    private Mono<Void> announceLater(UUID tenantId) {
        unannounced.add(tenantId);
        near.asMap().keySet().removeIf(key -> key.tenantId().equals(tenantId));
        Instant now = clock.instant();
        Instant since = unannouncedSince.updateAndGet(first -> first == null ? now : first);
        Duration left = Duration.between(now, since.plus(announceWithin));
        if (left.isNegative() || left.isZero()) {
            return Mono.empty();
        }
        return Mono.defer(() -> unannounced.contains(tenantId)
                        ? announce(tenantId).doOnSuccess(written -> announced(tenantId))
                        : Mono.<Void>empty())
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, ANNOUNCE_RETRY_EVERY))
                .timeout(left)
                .onErrorResume(stillAway -> Mono.empty());
    }

    private void announced(UUID tenantId) {
        unannounced.remove(tenantId);
        if (unannounced.isEmpty()) {
            unannouncedSince.set(null);
        }
    }

    /** Redis is trusted when the breaker lets commands through and every change this node made is announced. */
    private Mono<Boolean> usable() {
        if (!guard.tryAcquire()) {
            return Mono.just(false);
        }
        if (unannounced.isEmpty()) {
            return Mono.just(true);
        }
        Mono<Void> missed = Flux.fromIterable(List.copyOf(unannounced))
                .concatMap(tenantId -> announce(tenantId).doOnSuccess(written -> announced(tenantId)))
                .then();
        return guard.replay(missed, REPLAY_TIMEOUT);
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString();
    }
}
