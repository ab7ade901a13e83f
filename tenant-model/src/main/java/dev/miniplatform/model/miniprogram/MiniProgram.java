package dev.miniplatform.model.miniprogram;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A mini program's row. Its texts per language live in {@link MiniProgramLocalization}; {@code version} is the
 * revision clients send back for optimistic locking. {@code releaseTo} holds region codes joined by commas.
 */
@Table("mini_programs")
public record MiniProgram(
        UUID tenantId,
        @Id String appId,
        String defaultLanguage,
        String releaseTo,
        String industry,
        String servicePhone,
        String serviceEmail,
        String logoSha256,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Version Long version) implements Persistable<String> {

    @Override
    public String getId() {
        return appId;
    }

    @Override
    @Transient
    public boolean isNew() {
        return version == null;
    }

    public MiniProgram withLogo(String sha256, Instant now) {
        return new MiniProgram(tenantId, appId, defaultLanguage, releaseTo, industry, servicePhone, serviceEmail,
                sha256, createdBy, createdAt, now, version);
    }
}
