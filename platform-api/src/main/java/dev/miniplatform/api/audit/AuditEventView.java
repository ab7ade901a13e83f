package dev.miniplatform.api.audit;

import dev.miniplatform.model.audit.AuditEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.UUID;

/**
 * An audit event with its before/after summaries as JSON objects rather than strings.
 */
record AuditEventView(UUID id, Instant occurredAt, String actor, String action, String targetType,
                      String targetId, JsonNode before, JsonNode after) {

    static AuditEventView of(AuditEvent event, JsonMapper json) {
        return new AuditEventView(event.id(), event.occurredAt(), event.actor(), event.action(), event.targetType(),
                event.targetId(), parse(event.before(), json), parse(event.after(), json));
    }

    private static JsonNode parse(String summary, JsonMapper json) {
        return summary == null ? null : json.readTree(summary);
    }
}
