package dev.miniplatform.api.release;

import dev.miniplatform.model.release.Review;
import dev.miniplatform.model.release.ReviewStatus;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the review queue: a mini program version for one target ({@code kind} VERSION, with {@code appId}
 * and {@code target}), or a template version reviewed once for every merchant ({@code kind} TEMPLATE_VERSION, with
 * {@code templateId}; no target).
 */
record ReviewView(UUID id, UUID tenantId, String kind, String appId, UUID templateId, String version,
                  ReleaseView.Target target, ReviewStatus status, String reason, String submittedBy,
                  String decidedBy, Instant createdAt, Instant decidedAt) {

    static ReviewView of(Review review) {
        ReleaseView.Target target = review.ofTemplate() ? null
                : new ReleaseView.Target(review.walletId(), review.environment().name());
        return new ReviewView(review.id(), review.tenantId(), review.ofTemplate() ? "TEMPLATE_VERSION" : "VERSION",
                review.appId(), review.templateId(), review.version(), target, review.status(), review.reason(),
                review.submittedBy(), review.decidedBy(), review.createdAt(), review.decidedAt());
    }
}
