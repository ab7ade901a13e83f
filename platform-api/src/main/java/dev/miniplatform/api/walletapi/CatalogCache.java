package dev.miniplatform.api.walletapi;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.miniplatform.model.release.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a wallet read finds its document: a bounded in-process near cache (Caffeine) → Redis → PostgreSQL.
 * The near cache keeps each document as its encoded answers ({@link CatalogEntry}), Redis as JSON.
 * <ul>
 *   <li>Single flight: the near cache holds the <em>future</em> of a load, so concurrent misses for one key on
 *       one node wait for one load (one Redis read, at most one database query).</li>
 *   <li>Stampede-safe expiry: near entries live a jittered TTL and are refreshed in the background by one reload
 *       once they are due, while readers keep getting the current entry; each entry is due at its own jittered
 *       time between half and all of {@code refreshAfter} ({@link Near}), so entries loaded together (a node
 *       warming up, a wallet mirroring the catalog) do not all reload together; a reload reads Redis only and
 *       keeps the entry when Redis has nothing ({@link #reload}); Redis TTLs are jittered.</li>
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
    /**
     * A near entry, when it is due for its background reload and when it expires (both in ticker nanos).
     * Caffeine's own refresh-after-write has one delay for every entry; this one is drawn per entry.
     * {@code refreshAt} moves forward when a read starts the reload, so of many readers of a due entry exactly one
     * starts it. A reload that finds nothing better keeps this very instance, and with it its expiry: the TTL
     * counts from the read of the source, never from a reload that read nothing.
     */
    private record Near(CatalogEntry entry, AtomicLong refreshAt, long expiresAt) {
    }

    /** Expiry from {@link Near#expiresAt}, for a new entry and for one a reload replaced or kept. */
    private static final class NearExpiry implements Expiry<Key, Near> {

        @Override
        public long expireAfterCreate(Key key, Near value, long currentTime) {
            return Math.max(0, value.expiresAt() - currentTime);
        }

        @Override
        public long expireAfterUpdate(Key key, Near value, long currentTime, long currentDuration) {
            return Math.max(0, value.expiresAt() - currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Near value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    private final AsyncLoadingCache<Key, Near> near;
    private final Ticker ticker;
    private final Duration refreshAfter;
    private final Duration nearTtl;
    /**
     * Invalidation counters striped by app id: a load compares only its own stripe, so an invalidation of another
     * mini program does not stop it from filling Redis (a shared stripe merely skips one write, never serves stale).
     */
    private final AtomicLongArray generations = new AtomicLongArray(1024);
    private final AtomicLong invalidations = new AtomicLong();

    @Autowired
    CatalogCache(CatalogStore store, RedisCatalog redis, JsonMapper json, WalletProperties properties,
                 MeterRegistry meters) {
        this(store, redis, json, properties, meters, Ticker.systemTicker());
    }

    /** With a ticker of the test's own, to move an entry past its refresh time without waiting minutes. */
    CatalogCache(CatalogStore store, RedisCatalog redis, JsonMapper json, WalletProperties properties,
                 MeterRegistry meters, Ticker ticker) {
        this.store = store;
        this.redis = redis;
        this.json = json;
        this.enabled = properties.cache().enabled();
        this.ticker = ticker;
        WalletProperties.Cache cache = properties.cache();
        this.refreshAfter = cache.refreshAfter();
        this.nearTtl = cache.nearTtl();
        this.near = Caffeine.newBuilder()
                .maximumWeight(cache.nearMaxSize().toBytes())
                .weigher((Key key, Near value) -> value.entry().weight())
                .expireAfter(new NearExpiry())
                .ticker(ticker)
                .recordStats()
                .buildAsync(new AsyncCacheLoader<Key, Near>() {
                    @Override
                    public CompletableFuture<Near> asyncLoad(Key key, Executor executor) {
                        return loadFresh(key, MAX_LOAD_ATTEMPTS).map(CatalogCache.this::near).toFuture();
                    }

                    @Override
                    public CompletableFuture<Near> asyncReload(Key key, Near old, Executor executor) {
                        return reload(key, old).toFuture();
                    }
                });
        CaffeineCacheMetrics.monitor(meters, near, "wallet-catalog");
    }

    /** When an entry loaded now is due for its reload: at a uniformly drawn point of the second half of the delay. */
    static long refreshDelayNanos(Duration refreshAfter, double random) {
        long full = refreshAfter.toNanos();
        return full / 2 + (long) (full / 2 * random);
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
        return Mono.deferContextual(request -> {
            CompletableFuture<Near> entry = near.get(key, (missing, executor) -> load(missing, request));
            // a near-cache hit is a completed future: hand its value over without adapting the future
            if (entry.isDone() && !entry.isCompletedExceptionally()) {
                Near found = entry.join();
                refreshIfDue(key, found);
                return Mono.just(found.entry());
            }
            return Mono.fromFuture(entry, true).map(Near::entry);
        });
    }

    /**
     * A miss, loaded in the trace of the request that found it missing: its Redis and PostgreSQL calls are that
     * request's spans (the one load serves every request that asks meanwhile). Only the observation is passed on,
     * nothing else of that request's context.
     */
    private CompletableFuture<Near> load(Key key, ContextView request) {
        Object observation = request.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        return loadFresh(key, MAX_LOAD_ATTEMPTS)
                .map(this::near)
                .contextWrite(context -> observation == null ? context
                        : context.put(ObservationThreadLocalAccessor.KEY, observation))
                .toFuture();
    }

    private void refreshIfDue(Key key, Near found) {
        long now = ticker.read();
        long due = found.refreshAt().get();
        if (now - due >= 0 && found.refreshAt().compareAndSet(due, now + nextRefreshDelay())) {
            near.synchronous().refresh(key);
        }
    }

    private long nextRefreshDelay() {
        return refreshDelayNanos(refreshAfter, ThreadLocalRandom.current().nextDouble());
    }

    /** Forgets everything cached about the mini program, on this node and in Redis. */
    Mono<Void> invalidate(String appId) {
        generations.incrementAndGet(stripe(appId));
        invalidations.incrementAndGet();
        near.synchronous().asMap().keySet().removeIf(key -> key.appId().equals(appId));
        return redis.delete(appId);
    }

    private Near near(CatalogEntry entry) {
        long now = ticker.read();
        return new Near(entry, new AtomicLong(now + nextRefreshDelay()), now + RedisCatalog.jittered(nearTtl).toNanos());
    }

    /**
     * The background reload of a due entry reads Redis only. Changes reach this node by pub/sub and by the change
     * feed, so the reload is a safety net, not the way news arrives; when Redis has no copy (it restarted empty,
     * or it is down) the entry is kept as it is until its own expiry, and PostgreSQL is asked by the load after
     * that, not by every due entry at once. Before this, a Redis restart turned every due entry into a
     * PostgreSQL read (decision 163).
     */
    private Mono<Near> reload(Key key, Near old) {
        return redis.read(key.appId(), key.field())
                .map(bytes -> near(entry(bytes)))
                .defaultIfEmpty(old);
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
                .switchIfEmpty(Mono.defer(() -> fromDatabase(key, startedAt)))
                .flatMap(entry -> generations.get(stripe(key.appId())) == startedAt || attempts <= 1
                        ? Mono.just(entry)
                        : loadFresh(key, attempts - 1));
    }

    /** A document read from PostgreSQL: the entry kept near, and the JSON (or absence marker) written to Redis. */
    private record Read(CatalogEntry entry, byte[] serialized) {
    }

    private Mono<CatalogEntry> fromDatabase(Key key, long startedAt) {
        return store.document(key.walletId(), key.environment(), key.appId())
                .map(document -> new Read(CatalogEntry.of(document, json), json.writeValueAsBytes(document)))
                .defaultIfEmpty(new Read(CatalogEntry.ABSENT, CatalogEntry.absentMarker()))
                .flatMap(read -> remember(key, read, startedAt));
    }

    private Mono<CatalogEntry> remember(Key key, Read read, long startedAt) {
        if (generations.get(stripe(key.appId())) != startedAt) {
            return Mono.just(read.entry());
        }
        return redis.write(key.appId(), key.field(), read.serialized())
                .thenReturn(read.entry());
    }

    private int stripe(String appId) {
        return Math.floorMod(appId.hashCode(), generations.length());
    }

    private Mono<CatalogEntry> fromDatabase(Key key) {
        return store.document(key.walletId(), key.environment(), key.appId())
                .map(document -> CatalogEntry.of(document, json))
                .defaultIfEmpty(CatalogEntry.ABSENT);
    }

    private CatalogEntry entry(byte[] bytes) {
        return CatalogEntry.fromBytes(bytes, json);
    }
}
