package dev.miniplatform.api.audit;

import dev.miniplatform.model.audit.AuditEvent;
import dev.miniplatform.model.audit.AuditEventRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.UUID;

/**
 * The one helper that writes audit events. Call it inside the same transaction as the change it records, so
 * the log can never disagree with the data.
 */
@Component
public class AuditLog {

    private final AuditEventRepository events;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(AuditEventRepository events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param before a summary of the target before the change (null on create)
     * @param after  a summary after it (null on delete)
     */
    public Mono<Void> record(UUID tenantId, String actor, String action, String targetType, String targetId,
                             Object before, Object after) {
        AuditEvent event = new AuditEvent(tenantId, UUID.randomUUID(), clock.instant(), actor, action, targetType,
                targetId, summary(before), summary(after));
        return events.save(event).then();
    }

    private String summary(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }
}
