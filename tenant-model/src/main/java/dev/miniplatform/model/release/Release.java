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
 * The state of one version on one release target (wallet × environment). Created by the first submit; every
 * later transition updates it under optimistic locking ({@code row_version}), so of two simultaneous
 * transitions exactly one wins.
 */
@Table("releases")
public record Release(
        UUID tenantId,
        @Id UUID id,
        String appId,
        String version,
        UUID walletId,
        Environment environment,
        ReleaseState state,
        Integer grayPercent,
        String pilotUserIds,
        String rejectReason,
        UUID reviewId,
        Instant fullReleasedAt,
        Instant updatedAt,
        @Version @Column("row_version") Long rowVersion) implements Persistable<UUID> {

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return rowVersion == null;
    }

    public Release moveTo(ReleaseState next, Instant now) {
        Instant fullAt = next == ReleaseState.FULL_RELEASE ? now : fullReleasedAt;
        return new Release(tenantId, id, appId, version, walletId, environment, next, grayPercent, pilotUserIds,
                rejectReason, reviewId, fullAt, now, rowVersion);
    }

    public Release withGray(Integer percent) {
        return new Release(tenantId, id, appId, version, walletId, environment, state, percent, pilotUserIds,
                rejectReason, reviewId, fullReleasedAt, updatedAt, rowVersion);
    }

    public Release withPilot(String userIds) {
        return new Release(tenantId, id, appId, version, walletId, environment, state, grayPercent, userIds,
                rejectReason, reviewId, fullReleasedAt, updatedAt, rowVersion);
    }

    public Release withReview(UUID review, String reason) {
        return new Release(tenantId, id, appId, version, walletId, environment, state, grayPercent, pilotUserIds,
                reason, review, fullReleasedAt, updatedAt, rowVersion);
    }
}
