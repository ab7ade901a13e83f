package dev.miniplatform.api.authorization;

import dev.miniplatform.api.isv.IsvProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The per-request "may this ISV act for this merchant?" answer, cached in two levels: a bounded in-process map
 * (off by default; {@link IsvProperties#grantCacheTtl()}) in front of a Redis hash per ISV client
 * ({@code isv-grants:{clientId}}, field = merchant id; the hash tag keeps a client's grants on one cluster slot).
 * PostgreSQL stays the source of truth: a miss, or Redis being down, reads the authorizations table.
 *
 * <p>Invalidation is what makes revocation immediate on every node: a revocation (or suspension) queues a
 * {@link GrantDrop} in its own transaction, which deletes the Redis field (or the whole client's grants) after the
 * commit and publishes the key on {@value #CHANNEL}; every node, itself included, drops its in-process copy on that
 * message. The drop is retried by the side-effect relay until Redis takes it, so an outage delays it but never
 * loses it. Meanwhile each Redis entry carries its own expiry ({@value #ENTRY_LIFETIME_SECONDS} s after it was
 * written), checked on every read: other merchants' grants written to the same hash renew only the hash's key
 * expiry (which is garbage collection, nothing more), never the life of an entry, so a grant whose drop has not
 * reached Redis yet is served at most that long. Only grants are cached, never their absence, so a new consent
 * takes effect at once.
 *
 * <p>A reader that loaded a grant from PostgreSQL just before a revocation committed must not put it back after the
 * revocation's invalidation ran (it would then be served to every node until the TTL). So each invalidation bumps a
 * version field next to the grant in the same hash ({@code v:<merchant>}, or {@code v:*} for the whole client), the
 * reader notes the versions before it reads PostgreSQL, and a Lua script writes the grant only if they are
 * unchanged. In process the same holds with a counter of invalidations seen.
 */
@Component
class GrantCache {

    static final String CHANNEL = "isv-grants:invalidate";
    private static final int MAX_LOCAL_ENTRIES = 10_000;
    static final long ENTRY_LIFETIME_SECONDS = 60;
    /**
     * Bounds how long a grant can outlive a drop that has not reached Redis yet (Redis unreachable then): stored
     * with each entry and checked on read, whatever else is written to the hash meanwhile.
     */
    private static final Duration ENTRY_LIFETIME = Duration.ofSeconds(ENTRY_LIFETIME_SECONDS);
    private static final String CLIENT_VERSION = "v:*";
    /** Writes the grant only if neither the merchant's nor the client's version moved since the reader noted them. */
    private static final RedisScript<Long> PUT_IF_UNCHANGED = RedisScript.of("""
            local versions = redis.call('HMGET', KEYS[1], ARGV[1], ARGV[2])
            if (versions[1] or '0') ~= ARGV[3] or (versions[2] or '0') ~= ARGV[4] then
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[5], ARGV[6])
            redis.call('PEXPIRE', KEYS[1], ARGV[7])
            return 1
            """, Long.class);
    /** Deletes the grant (or every grant of the client) and bumps the version, in one step. */
    private static final RedisScript<Long> INVALIDATE = RedisScript.of("""
            if ARGV[2] ~= '' then
              redis.call('HDEL', KEYS[1], ARGV[2])
            else
              local fields = redis.call('HKEYS', KEYS[1])
              for _, field in ipairs(fields) do
                if string.sub(field, 1, 2) ~= 'v:' then
                  redis.call('HDEL', KEYS[1], field)
                end
              end
            end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """, Long.class);
    private static final Logger log = LoggerFactory.getLogger(GrantCache.class);

    private record Local(Grant grant, Instant expiresAt) {
    }

    /** A Redis entry: the grant and the instant after which no node may serve it. */
    record Entry(Grant grant, long expiresAtMillis) {
    }

    /** The versions a reader noted before reading PostgreSQL ("0" when none was ever bumped). */
    private record Versions(long local, String merchant, String client) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final IsvProperties properties;
    private final Clock clock;
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    private final AtomicLong localInvalidations = new AtomicLong();
    private volatile Disposable subscription;

    GrantCache(ReactiveStringRedisTemplate redis, JsonMapper json, IsvProperties properties, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /** The cached grant, else the loader's answer (cached when present and still current). */
    public Mono<Grant> get(String clientId, UUID merchantId, Supplier<Mono<Grant>> loader) {
        Local hit = local.get(localKey(clientId, merchantId));
        if (hit != null && hit.expiresAt().isAfter(clock.instant())) {
            return Mono.just(hit.grant());
        }
        long localBefore = localInvalidations.get();
        return fromRedis(clientId, merchantId)
                .switchIfEmpty(Mono.defer(() -> versions(clientId, merchantId, localBefore)
                        .flatMap(versions -> loader.get()
                                .flatMap(grant -> toRedis(clientId, merchantId, grant, versions).thenReturn(grant)))))
                .doOnNext(grant -> remember(clientId, merchantId, grant, localBefore));
    }

    /**
     * Forget one merchant's grant for the client on every node; fails if Redis did not take it (the caller,
     * {@link GrantDrop}, retries). Call after the change committed.
     */
    Mono<Void> invalidate(String clientId, UUID merchantId) {
        forgetLocally(clientId + "|" + merchantId);
        return invalidateInRedis(clientId, versionField(merchantId), merchantId.toString())
                .then(redis.convertAndSend(CHANNEL, clientId + "|" + merchantId))
                .then();
    }

    /** Forget all grants of the client (suspension) on every node; fails as {@link #invalidate} does. */
    Mono<Void> invalidateClient(String clientId) {
        forgetLocally(clientId);
        return invalidateInRedis(clientId, CLIENT_VERSION, "")
                .then(redis.convertAndSend(CHANNEL, clientId))
                .then();
    }

    private Mono<Long> invalidateInRedis(String clientId, String versionField, String grantField) {
        return redis.execute(INVALIDATE, List.of(redisKey(clientId)),
                        List.of(versionField, grantField, Long.toString(ENTRY_LIFETIME.toMillis())))
                .next();
    }

    @EventListener(ApplicationReadyEvent.class)
    void listen() {
        // the subscription connects on its own thread and retries: Redis being slow or down must not stop start-up
        subscription = Flux.defer(() -> redis.listenToChannel(CHANNEL))
                .subscribeOn(Schedulers.boundedElastic())
                .map(message -> message.getMessage())
                .doOnNext(this::forgetLocally)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
    }

    @PreDestroy
    void stop() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
    }

    /** A message is either {@code client|merchant} or {@code client} alone (all of its merchants). */
    private void forgetLocally(String message) {
        localInvalidations.incrementAndGet();
        if (message.contains("|")) {
            local.remove(message);
        } else {
            local.keySet().removeIf(key -> key.startsWith(message + "|"));
        }
    }

    private void remember(String clientId, UUID merchantId, Grant grant, long localBefore) {
        if (properties.grantCacheTtl().isZero() || localInvalidations.get() != localBefore) {
            return;
        }
        if (local.size() >= MAX_LOCAL_ENTRIES) {
            local.clear();
        }
        local.put(localKey(clientId, merchantId), new Local(grant, clock.instant().plus(properties.grantCacheTtl())));
    }

    /** An entry past its own expiry (or in a format without one) is a miss: PostgreSQL is asked, and it is rewritten. */
    private Mono<Grant> fromRedis(String clientId, UUID merchantId) {
        return redis.<String, String>opsForHash().get(redisKey(clientId), merchantId.toString())
                .mapNotNull(this::unexpired)
                .onErrorResume(e -> logged("read", e));
    }

    private Grant unexpired(String text) {
        Entry entry = json.readValue(text, Entry.class);
        return entry.grant() != null && entry.expiresAtMillis() > clock.millis() ? entry.grant() : null;
    }

    /** Notes the versions before PostgreSQL is read; with Redis unreachable, the grant is simply not written there. */
    private Mono<Versions> versions(String clientId, UUID merchantId, long localBefore) {
        return redis.<String, String>opsForHash().multiGet(redisKey(clientId), List.of(versionField(merchantId), CLIENT_VERSION))
                .map(values -> new Versions(localBefore, orZero(values.get(0)), orZero(values.get(1))))
                .onErrorResume(e -> logged("read", e))
                .defaultIfEmpty(new Versions(localBefore, null, null));
    }

    private Mono<Void> toRedis(String clientId, UUID merchantId, Grant grant, Versions versions) {
        if (versions.merchant() == null) {
            return Mono.empty();
        }
        return redis.execute(PUT_IF_UNCHANGED, List.of(redisKey(clientId)),
                        List.of(versionField(merchantId), CLIENT_VERSION, versions.merchant(), versions.client(),
                                merchantId.toString(), json.writeValueAsString(new Entry(grant, clock.millis() + ENTRY_LIFETIME.toMillis())),
                                Long.toString(ENTRY_LIFETIME.toMillis())))
                .then()
                .onErrorResume(e -> logged("write", e));
    }

    private static String orZero(String version) {
        return version == null ? "0" : version;
    }

    private static String versionField(UUID merchantId) {
        return "v:" + merchantId;
    }

    private static <T> Mono<T> logged(String what, Throwable e) {
        log.warn("Redis grant cache {} failed, PostgreSQL answers instead: {}", what, e.toString());
        return Mono.empty();
    }

    private static String localKey(String clientId, UUID merchantId) {
        return clientId + "|" + merchantId;
    }

    static String redisKey(String clientId) {
        return "isv-grants:{" + clientId + "}";
    }
}
