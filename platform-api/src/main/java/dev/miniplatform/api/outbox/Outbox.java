package dev.miniplatform.api.outbox;

import dev.miniplatform.model.outbox.OutboxEvent;
import dev.miniplatform.model.outbox.OutboxEventRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Appends events for subscribers to the transactional outbox. Call it inside the transaction of the change:
 * the event then exists exactly when the change does. Delivery (signed webhooks with retries) reads the table.
 */
@Component
public class Outbox {

    private final OutboxEventRepository events;
    private final JsonMapper json;
    private final Clock clock;

    Outbox(OutboxEventRepository events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    public Mono<Void> append(UUID tenantId, String type, Map<String, ?> payload) {
        OutboxEvent event = new OutboxEvent(tenantId, UUID.randomUUID(), clock.instant(), type,
                json.writeValueAsString(payload), null);
        return events.save(event).then();
    }
}
