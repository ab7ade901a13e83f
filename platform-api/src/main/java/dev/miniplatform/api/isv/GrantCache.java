package dev.miniplatform.api.isv;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The per-request "may this ISV act for this merchant?" answer, cached in two levels: a bounded in-process map
 * (off by default; {@link IsvProperties#grantCacheTtl()}) in front of a Redis hash per ISV client
 * ({@code isv-grants:{clientId}}, field = merchant id; the hash tag keeps a client's grants on one cluster slot).
 * PostgreSQL stays the source of truth: a miss, or Redis being down, reads the authorizations table.
 *
 * <p>Invalidation is what makes revocation immediate on every node: the node that revokes (or suspends) deletes
 * the Redis field (or the whole hash) after its transaction commits and publishes the key on
 * {@value #CHANNEL}; every node, itself included, drops its in-process copy on that message. If a message is lost
 * while Redis is away, the in-process copy still expires after the TTL. Only grants are cached, never their
 * absence, so a new consent takes effect at once.
 */
@Component
public class GrantCache {

    static final String CHANNEL = "isv-grants:invalidate";
    private static final int MAX_LOCAL_ENTRIES = 10_000;
    private static final Duration REDIS_TTL = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(GrantCache.class);

    private record Local(Grant grant, Instant expiresAt) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final IsvProperties properties;
    private final Clock clock;
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    private volatile Disposable subscription;

    GrantCache(ReactiveStringRedisTemplate redis, JsonMapper json, IsvProperties properties, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /** The cached grant, else the loader's answer (cached when present). */
    public Mono<Grant> get(String clientId, UUID merchantId, Supplier<Mono<Grant>> loader) {
        Local hit = local.get(localKey(clientId, merchantId));
        if (hit != null && hit.expiresAt().isAfter(clock.instant())) {
            return Mono.just(hit.grant());
        }
        return fromRedis(clientId, merchantId)
                .switchIfEmpty(Mono.defer(() -> loader.get()
                        .flatMap(grant -> toRedis(clientId, merchantId, grant).thenReturn(grant))))
                .doOnNext(grant -> remember(clientId, merchantId, grant));
    }

    /** Forget one merchant's grant for the client on every node. Call after the change committed. */
    public Mono<Void> invalidate(String clientId, UUID merchantId) {
        forgetLocally(clientId + "|" + merchantId);
        return redis.opsForHash().remove(redisKey(clientId), merchantId.toString())
                .then(redis.convertAndSend(CHANNEL, clientId + "|" + merchantId))
                .then()
                .onErrorResume(e -> logged("invalidate", e));
    }

    /** Forget all grants of the client (suspension) on every node. */
    public Mono<Void> invalidateClient(String clientId) {
        forgetLocally(clientId);
        return redis.delete(redisKey(clientId))
                .then(redis.convertAndSend(CHANNEL, clientId))
                .then()
                .onErrorResume(e -> logged("invalidate", e));
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
        if (message.contains("|")) {
            local.remove(message);
        } else {
            local.keySet().removeIf(key -> key.startsWith(message + "|"));
        }
    }

    private void remember(String clientId, UUID merchantId, Grant grant) {
        if (properties.grantCacheTtl().isZero()) {
            return;
        }
        if (local.size() >= MAX_LOCAL_ENTRIES) {
            local.clear();
        }
        local.put(localKey(clientId, merchantId), new Local(grant, clock.instant().plus(properties.grantCacheTtl())));
    }

    private Mono<Grant> fromRedis(String clientId, UUID merchantId) {
        return redis.<String, String>opsForHash().get(redisKey(clientId), merchantId.toString())
                .map(text -> json.readValue(text, Grant.class))
                .onErrorResume(e -> logged("read", e));
    }

    private Mono<Void> toRedis(String clientId, UUID merchantId, Grant grant) {
        return redis.opsForHash().put(redisKey(clientId), merchantId.toString(), json.writeValueAsString(grant))
                .then(redis.expire(redisKey(clientId), REDIS_TTL))
                .then()
                .onErrorResume(e -> logged("write", e));
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
