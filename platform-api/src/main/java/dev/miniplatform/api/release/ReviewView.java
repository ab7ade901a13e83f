package dev.miniplatform.api.release;

import dev.miniplatform.model.release.Review;
import dev.miniplatform.model.release.ReviewStatus;

import java.time.Instant;
import java.util.UUID;

public record ReviewView(UUID id, UUID tenantId, String appId, String version, ReleaseView.Target target,
                         ReviewStatus status, String reason, String submittedBy, String decidedBy, Instant createdAt,
                         Instant decidedAt) {

    static ReviewView of(Review review) {
        return new ReviewView(review.id(), review.tenantId(), review.appId(), review.version(),
                new ReleaseView.Target(review.walletId(), review.environment().name()), review.status(), review.reason(),
                review.submittedBy(), review.decidedBy(), review.createdAt(), review.decidedAt());
    }
}
