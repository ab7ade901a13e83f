package dev.miniplatform.api.catalog;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.miniplatform.model.release.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a wallet read finds its document: a bounded in-process near cache (Caffeine) → Redis → PostgreSQL.
 * <ul>
 *   <li>Single flight: the near cache holds the <em>future</em> of a load, so concurrent misses for one key on
 *       one node wait for one load (one Redis read, at most one database query).</li>
 *   <li>Stampede-safe expiry: near entries live a jittered TTL and are refreshed in the background by one reload
 *       after {@code refreshAfter}, while readers keep getting the current entry; Redis TTLs are jittered.</li>
 *   <li>Invalidation: {@link #invalidate} drops every near entry of the mini program and its Redis hash; a
 *       generation counter per app (striped) keeps a load that raced with its invalidation from writing its (possibly stale)
 *       document back to Redis, and makes that load read again before the near cache keeps it.</li>
 *   <li>Absence is cached too (a marker), so unknown ids do not reach PostgreSQL on every request.</li>
 * </ul>
 * With {@code platform.wallet.cache.enabled=false} every read goes straight to PostgreSQL.
 */
@Component
class CatalogCache {

    private static final int MAX_LOAD_ATTEMPTS = 3;

    record Key(UUID walletId, Environment environment, String appId) {

        String field() {
            return RedisCatalog.field(walletId, environment.name());
        }
    }

    private final CatalogStore store;
    private final RedisCatalog redis;
    private final JsonMapper json;
    private final boolean enabled;
    private final AsyncLoadingCache<Key, CatalogEntry> near;
    /**
     * Invalidation counters striped by app id: a load compares only its own stripe, so an invalidation of another
     * mini program does not stop it from filling Redis (a shared stripe merely skips one write, never serves stale).
     */
    private final AtomicLongArray generations = new AtomicLongArray(1024);
    private final AtomicLong invalidations = new AtomicLong();

    CatalogCache(CatalogStore store, RedisCatalog redis, JsonMapper json, WalletProperties properties,
                 MeterRegistry meters) {
        this.store = store;
        this.redis = redis;
        this.json = json;
        this.enabled = properties.cache().enabled();
        WalletProperties.Cache cache = properties.cache();
        this.near = Caffeine.newBuilder()
                .maximumSize(cache.nearMaxEntries())
                .expireAfter(Expiry.<Key, CatalogEntry>writing((key, entry) -> RedisCatalog.jittered(cache.nearTtl())))
                .refreshAfterWrite(cache.refreshAfter())
                .recordStats()
                .buildAsync(this::load);
        CaffeineCacheMetrics.monitor(meters, near, "wallet-catalog");
    }

    /** How many invalidations this node has applied (pub/sub, follower and its own changes). */
    long invalidationCount() {
        return invalidations.get();
    }

    boolean enabled() {
        return enabled;
    }

    Mono<CatalogEntry> get(Key key) {
        if (!enabled) {
            return fromDatabase(key);
        }
        CompletableFuture<CatalogEntry> entry = near.get(key);
        // a near-cache hit is a completed future: hand its value over without adapting the future
        if (entry.isDone() && !entry.isCompletedExceptionally()) {
            return Mono.just(entry.join());
        }
        return Mono.fromFuture(entry, true);
    }

    /** Forgets everything cached about the mini program, on this node and in Redis. */
    Mono<Void> invalidate(String appId) {
        generations.incrementAndGet(stripe(appId));
        invalidations.incrementAndGet();
        near.synchronous().asMap().keySet().removeIf(key -> key.appId().equals(appId));
        return redis.delete(appId);
    }

    private CompletableFuture<CatalogEntry> load(Key key, Executor executor) {
        return loadFresh(key, MAX_LOAD_ATTEMPTS).toFuture();
    }

    /**
     * A load that overlapped an invalidation of its mini program may have read the old document (from Redis or
     * from PostgreSQL before the change committed) after the invalidation had already swept the near cache, and
     * would then be kept until {@code refreshAfter}. So it reads again, up to a few times; each retry starts
     * after the invalidation and therefore sees the change.
     */
    private Mono<CatalogEntry> loadFresh(Key key, int attempts) {
        long startedAt = generations.get(stripe(key.appId()));
        return redis.read(key.appId(), key.field())
                .map(this::entry)
                .switchIfEmpty(Mono.defer(() -> fromDatabase(key)
                        .flatMap(entry -> remember(key, entry, startedAt))))
                .flatMap(entry -> generations.get(stripe(key.appId())) == startedAt || attempts <= 1
                        ? Mono.just(entry)
                        : loadFresh(key, attempts - 1));
    }

    private Mono<CatalogEntry> remember(Key key, CatalogEntry entry, long startedAt) {
        if (generations.get(stripe(key.appId())) != startedAt) {
            return Mono.just(entry);
        }
        return redis.write(key.appId(), key.field(), entry.serialized(json))
                .thenReturn(entry);
    }

    private int stripe(String appId) {
        return Math.floorMod(appId.hashCode(), generations.length());
    }

    private Mono<CatalogEntry> fromDatabase(Key key) {
        return store.document(key.walletId(), key.environment(), key.appId())
                .map(CatalogEntry::of)
                .defaultIfEmpty(CatalogEntry.ABSENT);
    }

    private CatalogEntry entry(byte[] bytes) {
        return CatalogEntry.isAbsentMarker(bytes) ? CatalogEntry.ABSENT : CatalogEntry.fromBytes(bytes, json);
    }
}
