package dev.miniplatform.api.webhook;

import dev.miniplatform.api.isv.IsvProperties;
import dev.miniplatform.infra.polling.PollingLoop;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers outbox events as signed webhooks, on every node, without a coordinator:
 * <ol>
 *     <li>{@code relay_outbox_events} turns unpublished outbox rows into per-ISV {@code webhook_deliveries} in one
 *     statement (rows locked with SKIP LOCKED, so nodes share the work and none is relayed twice). An event exists
 *     only if its change committed, so a rolled-back change sends nothing.</li>
 *     <li>{@code claim_webhook_deliveries} leases due deliveries to this node; each is POSTed by {@link WebhookSender}
 *     (public addresses only, bounded time, no redirects) with the Standard Webhooks headers, and the outcome recorded by
 *     {@code record_webhook_attempt}: 2xx → DELIVERED; otherwise retried with exponential back-off up to
 *     {@code maxAttempts}, then FAILED (replayable). A node killed mid-delivery leaves the lease to expire; the
 *     delivery then goes out again with the same {@code webhook-id} (at-least-once; receivers de-duplicate by it).</li>
 *     <li>Keycloak consent revocations that failed at revoke time are retried.</li>
 * </ol>
 * The cross-tenant reads and writes go through those SECURITY DEFINER functions only (see V9), never through a
 * role that bypasses row-level security.
 */
@Component
class WebhookRelay extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(WebhookRelay.class);
    private static final int BATCH = 100;
    private static final int CONCURRENCY = 8;

    private record Due(UUID tenantId, UUID id, String type, Instant occurredAt, String payload, int attempts,
                       String url, String secret, String previousSecret) {
    }

    private final DatabaseClient database;
    private final IsvProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final WebhookSender sender;
    private final ObservationRegistry observations;

    WebhookRelay(DatabaseClient database, IsvProperties properties, JsonMapper json, Clock clock,
                 WebhookSender sender, ObservationRegistry observations) {
        this.observations = observations;
        this.database = database;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.sender = sender;
    }

    /** One pass: relay new events, send due deliveries. Also used by tests. */
    public Mono<Void> runOnce() {
        return relay().then(deliverDue());
    }

    private Mono<Void> relay() {
        return database.sql("select relay_outbox_events($1) as relayed")
                .bind(0, BATCH)
                .fetch()
                .all()
                .then();
    }

    private Mono<Void> deliverDue() {
        return database.sql("select * from claim_webhook_deliveries($1, $2)")
                .bind(0, BATCH)
                .bind(1, (int) properties.deliveryLease().toSeconds())
                .map(row -> new Due(row.get("tenant_id", UUID.class), row.get("id", UUID.class),
                        row.get("type", String.class), row.get("occurred_at", OffsetDateTime.class).toInstant(),
                        row.get("payload", String.class), row.get("attempts", Integer.class),
                        row.get("webhook_url", String.class), row.get("webhook_secret", String.class),
                        row.get("previous_webhook_secret", String.class)))
                .all()
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .flatMap(this::deliver, CONCURRENCY)
                .then();
    }

    /** One attempt, observed: a {@code webhook.delivery} span (its own trace) over the POST and its record. */
    private Mono<Void> deliver(Due due) {
        String body = body(due);
        return sender.post(due.url(), signedHeaders(due, clock.instant(), body), body)
                .flatMap(outcome -> record(due, outcome))
                .tap(Micrometer.observation(observations, registry -> deliveryObservation(registry, due)));
    }

    private static Observation deliveryObservation(ObservationRegistry registry, Due due) {
        return Observation.createNotStarted("webhook.delivery", registry)
                .contextualName("webhook delivery")
                .lowCardinalityKeyValue("webhook.type", due.type())
                .highCardinalityKeyValue("webhook.delivery.id", due.id().toString())
                .highCardinalityKeyValue("webhook.attempt", Integer.toString(due.attempts()));
    }

    /** Standard Webhooks headers; during a secret rotation both secrets sign. */
    private static Map<String, String> signedHeaders(Due due, Instant now, String body) {
        long timestamp = now.getEpochSecond();
        String id = due.id().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.header(id, timestamp, body,
                Arrays.asList(due.secret(), due.previousSecret())));
        return headers;
    }

    /** {@code {"id", "type", "occurredAt", "data"}}; the id is the delivery id, the same on every attempt. */
    private String body(Due due) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", due.id().toString());
        envelope.put("type", due.type());
        envelope.put("occurredAt", due.occurredAt().toString());
        envelope.put("data", json.readTree(due.payload()));
        return json.writeValueAsString(envelope);
    }

    private Mono<Void> record(Due due, WebhookSender.Outcome outcome) {
        Instant next = outcome.delivered() || due.attempts() >= properties.maxAttempts() ? null
                : clock.instant().plus(properties.retryDelay(due.attempts()));
        DatabaseClient.GenericExecuteSpec spec = database.sql("select record_webhook_attempt($1, $2, $3, $4, $5, $6)")
                .bind(0, due.tenantId())
                .bind(1, due.id())
                .bind(2, outcome.delivered());
        spec = outcome.status() == null ? spec.bindNull(3, Integer.class) : spec.bind(3, outcome.status());
        spec = outcome.error() == null ? spec.bindNull(4, String.class) : spec.bind(4, outcome.error());
        spec = next == null ? spec.bindNull(5, OffsetDateTime.class) : spec.bind(5, next.atOffset(ZoneOffset.UTC));
        return spec.fetch().all().then();
    }

    @Override
    protected boolean enabled() {
        return properties.relayEnabled();
    }

    @Override
    protected Flux<Void> work() {
        return every(properties.relayInterval(), this::runOnce, failure ->
                log.warn("Webhook relay pass failed; the next pass retries: {}", failure.toString()));
    }
}
