package dev.miniplatform.infra.effects;

import dev.miniplatform.infra.transaction.TenantTransactions;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The durable queue of side effects: calls to Keycloak and mail that a change needs, recorded in the change's own
 * transaction and performed after it commits, so that no network call runs while a transaction (and its pooled
 * connection) is open, nothing is performed for a change that rolled back, and nothing is lost if the call fails
 * or the node dies.
 * <ul>
 *   <li>{@link #enqueue} writes a row of {@code pending_effects} inside the caller's transaction (tenant row-level
 *       security applies) and registers a first attempt right after the commit;</li>
 *   <li>{@link #runDue} (the relay, on every node) claims due rows through the database functions of
 *       {@code V6__pending_effects.sql} with {@code FOR UPDATE SKIP LOCKED} and a lease, so no two nodes run the same
 *       effect at once, and retries failures with exponential back-off.</li>
 * </ul>
 */
@Component
public class PendingEffects {

    private static final Logger log = LoggerFactory.getLogger(PendingEffects.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private static final String ENQUEUE = """
            insert into pending_effects (tenant_id, effect_key, kind, payload, next_attempt_at, created_at)
            values ($1, $2, $3, $4::jsonb, now(), now())
            on conflict (tenant_id, effect_key) do update
               set kind = excluded.kind, payload = excluded.payload, generation = pending_effects.generation + 1,
                   attempts = 0, next_attempt_at = now(), parked_at = null, last_error = null""";
    private static final String CLAIM =
            "select * from claim_pending_effects($1, $2, $3, $4)";
    private static final String COMPLETE =
            "select 1 as done from complete_pending_effect($1, $2, $3, $4)";
    private static final String RETRY =
            "select 1 as done from retry_pending_effect($1, $2, $3, $4, $5, $6, $7)";

    private final DatabaseClient database;
    private final Map<String, EffectHandler> handlers;
    private final EffectsProperties properties;
    private final Backoff backoff;

    PendingEffects(DatabaseClient database, List<EffectHandler> handlers, EffectsProperties properties) {
        this.database = database;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(EffectHandler::kind, Function.identity()));
        this.properties = properties;
        this.backoff = new Backoff(properties.firstRetry(), properties.maxRetry(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Queues the effect in the current transaction (call it inside {@link TenantTransactions#inTransaction}, with the
     * effect's tenant as the current tenant) and tries it once right after the commit.
     */
    public Mono<Void> enqueue(Effect effect) {
        if (!handlers.containsKey(effect.kind())) {
            return Mono.error(new IllegalArgumentException("no handler for effect kind " + effect.kind()));
        }
        return database.sql(ENQUEUE)
                .bind(0, effect.tenantId())
                .bind(1, effect.key())
                .bind(2, effect.kind())
                .bind(3, JSON.writeValueAsString(effect.payload()))
                .fetch()
                .rowsUpdated()
                .then(TenantTransactions.afterCommit(runNow(effect.tenantId(), effect.key())));
    }

    /** The first attempt after the commit: bounded by {@code inline-wait}; whatever is left is the relay's. */
    private Mono<Void> runNow(UUID tenantId, String key) {
        return Mono.defer(() -> claim(1, tenantId, key)
                        .concatMap(this::perform)
                        .then())
                .timeout(properties.inlineWait(), Mono.empty());
    }

    /** One round of the relay: claims up to a batch of due effects and performs them. Returns how many it claimed. */
    public Mono<Integer> runDue() {
        return claim(properties.batchSize(), null, null)
                .flatMap(this::perform, properties.concurrency())
                .count()
                .map(Long::intValue);
    }

    private Flux<ClaimedEffect> claim(int limit, UUID tenantId, String key) {
        DatabaseClient.GenericExecuteSpec claim = database.sql(CLAIM)
                .bind(0, limit)
                .bind(1, (int) Math.max(1, properties.lease().toSeconds()));
        claim = tenantId == null
                ? claim.bindNull(2, UUID.class).bindNull(3, String.class)
                : claim.bind(2, tenantId).bind(3, key);
        return claim.map(PendingEffects::claimed)
                .all();
    }

    private static ClaimedEffect claimed(Readable row) {
        return new ClaimedEffect(row.get("tenant_id", UUID.class), row.get("effect_key", String.class),
                row.get("kind", String.class), JSON.readValue(row.get("payload", String.class), PAYLOAD),
                row.get("generation", Long.class), row.get("attempts", Integer.class), row.get("lease", UUID.class));
    }

    private Mono<ClaimedEffect> perform(ClaimedEffect effect) {
        EffectHandler handler = handlers.get(effect.kind());
        Mono<Void> work = handler == null
                ? Mono.error(new IllegalStateException("no handler for effect kind " + effect.kind()))
                : Mono.defer(() -> handler.perform(effect));
        return work
                .then(Mono.defer(() -> complete(effect)))
                .onErrorResume(failure -> retry(effect, failure))
                .thenReturn(effect);
    }

    private Mono<Void> complete(ClaimedEffect effect) {
        return database.sql(COMPLETE)
                .bind(0, effect.tenantId())
                .bind(1, effect.key())
                .bind(2, effect.lease())
                .bind(3, effect.generation())
                .fetch()
                .all()
                .then();
    }

    private Mono<Void> retry(ClaimedEffect effect, Throwable failure) {
        boolean park = effect.attempts() >= properties.maxAttempts();
        Duration wait = backoff.after(effect.attempts());
        if (park) {
            log.error("Effect {} {} of tenant {} failed {} times and is parked: {}", effect.kind(), effect.key(),
                    effect.tenantId(), effect.attempts(), failure.toString());
        } else {
            log.warn("Effect {} {} of tenant {} failed (attempt {}), next try in {} ms: {}", effect.kind(), effect.key(),
                    effect.tenantId(), effect.attempts(), wait.toMillis(), failure.toString());
        }
        return database.sql(RETRY)
                .bind(0, effect.tenantId())
                .bind(1, effect.key())
                .bind(2, effect.lease())
                .bind(3, effect.generation())
                .bind(4, wait.toMillis())
                .bind(5, String.valueOf(failure))
                .bind(6, park)
                .fetch()
                .all()
                .then()
                .onErrorResume(e -> {
                    log.warn("Could not record the failure of effect {}; its lease will run out: {}", effect.key(), e.toString());
                    return Mono.empty();
                });
    }
}
