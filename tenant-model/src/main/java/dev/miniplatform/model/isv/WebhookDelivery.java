package dev.miniplatform.model.isv;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One event to deliver to one ISV's webhook ({@code tenantId} is the ISV), with the outcome of its last attempt.
 * Rows are created by the relay (a database function); the id is the {@code webhook-id} on every attempt.
 */
@Table("webhook_deliveries")
public record WebhookDelivery(
        UUID tenantId,
        @Id UUID id,
        UUID eventId,
        UUID eventTenantId,
        String type,
        Instant occurredAt,
        String payload,
        String state,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant deliveredAt,
        Instant createdAt) implements Persistable<UUID> {

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return false;
    }

    public WebhookDelivery replayed(Instant now) {
        return new WebhookDelivery(tenantId, id, eventId, eventTenantId, type, occurredAt, payload, "PENDING", 0, now,
                lastStatus, lastError, null, createdAt);
    }
}
