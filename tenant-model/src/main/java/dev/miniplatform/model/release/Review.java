package dev.miniplatform.model.release;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A version submitted for one target, waiting for (or decided by) a platform reviewer; or, with {@code templateId}
 * set, a template version submitted once for all merchants (then there is no release and no target, and
 * {@code version} is the template's version).
 */
@Table("reviews")
public record Review(
        UUID tenantId,
        @Id UUID id,
        UUID releaseId,
        String appId,
        String version,
        UUID walletId,
        Environment environment,
        ReviewStatus status,
        String reason,
        String submittedBy,
        String decidedBy,
        Instant createdAt,
        Instant decidedAt,
        UUID templateId,
        @Version @Column("row_version") Long rowVersion) implements Persistable<UUID> {

    public Review decided(ReviewStatus decision, String reviewer, String why, Instant now) {
        return new Review(tenantId, id, releaseId, appId, version, walletId, environment, decision, why,
                submittedBy, reviewer, createdAt, now, templateId, rowVersion);
    }

    /** A template version's review: deciding it decides the template version, not a release. */
    public boolean ofTemplate() {
        return templateId != null;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return rowVersion == null;
    }
}
