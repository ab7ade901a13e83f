package dev.miniplatform.model.release;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An uploaded code package as version {@code x.y.z} of a mini program. Immutable once uploaded.
 */
@Table("mini_program_versions")
public record MiniProgramVersion(UUID tenantId, @Id UUID id, String appId, String version, int major, int minor,
                                 int patch, String description, String sha256, long size, String uploadedBy,
                                 Instant createdAt) implements Persistable<UUID> {

    public SemanticVersion semantic() {
        return new SemanticVersion(major, minor, patch);
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return true;
    }
}
