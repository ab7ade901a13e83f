package dev.miniplatform.model.outbox;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An event for subscribers (webhooks), written in the same transaction as the change it announces, so none is
 * lost and none is sent for a change that rolled back. {@code payload} is JSON.
 */
@Table("outbox_events")
public record OutboxEvent(UUID tenantId, @Id UUID id, Instant occurredAt, String type, String payload,
                          Instant publishedAt) implements Persistable<UUID> {

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return publishedAt == null;
    }
}
