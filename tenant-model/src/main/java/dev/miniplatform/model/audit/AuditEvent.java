package dev.miniplatform.model.audit;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a tenant's append-only audit log. {@code before} and {@code after} are JSON summaries.
 */
@Table("audit_events")
public record AuditEvent(
        UUID tenantId,
        @Id UUID id,
        Instant occurredAt,
        String actor,
        String action,
        String targetType,
        String targetId,
        String before,
        String after) implements Persistable<UUID> {

    @Override
    public UUID getId() {
        return id;
    }

    /** Audit events are only ever inserted. */
    @Override
    @Transient
    public boolean isNew() {
        return true;
    }
}
