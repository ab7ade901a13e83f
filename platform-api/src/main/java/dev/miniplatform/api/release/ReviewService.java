package dev.miniplatform.api.release;

import dev.miniplatform.api.access.ForbiddenException;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.release.Release;
import dev.miniplatform.model.release.ReleaseAction;
import dev.miniplatform.model.release.ReleaseRepository;
import dev.miniplatform.model.release.ReleaseStateMachine;
import dev.miniplatform.model.release.Review;
import dev.miniplatform.model.release.ReviewReason;
import dev.miniplatform.model.release.ReviewRepository;
import dev.miniplatform.model.release.ReviewStatus;
import dev.miniplatform.model.tenancy.MembershipHistoryRepository;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The review queue for platform reviewers (the security chain admits only the platform-reviewer role). The
 * queue is read across tenants under a reviewer context; a decision is taken inside the submitting tenant's
 * own transaction, and never by anyone who is or ever was a member of that tenant: row-level security leaves such
 * reviews out of the reviewer's queue and lookups (404, as for an unknown review), and the decision re-checks the
 * membership history inside the tenant's transaction, for a reviewer who joined in between (403).
 */
@Service
class ReviewService {

    private final TenantTransactions transactions;
    private final ReviewRepository reviews;
    private final ReleaseRepository releases;
    private final MembershipHistoryRepository membershipHistory;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private final DatabaseClient database;

    ReviewService(TenantTransactions transactions, ReviewRepository reviews, ReleaseRepository releases,
                  MembershipHistoryRepository membershipHistory, AuditLog audit, Outbox outbox, Clock clock,
                  DatabaseClient database) {
        this.database = database;
        this.transactions = transactions;
        this.reviews = reviews;
        this.releases = releases;
        this.membershipHistory = membershipHistory;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Mono<List<ReviewView>> list(ReviewStatus status) {
        return reviewer()
                .flatMap(user -> transactions.inTransaction(reviews.findByStatusOrderByCreatedAtAsc(status)
                                .map(ReviewView::of)
                                .collectList())
                        .contextWrite(TenantContext.forReviewer(user.userId())));
    }

    public Mono<ReviewView> approve(String reviewId) {
        return decide(reviewId, ReviewStatus.APPROVED, null);
    }

    public Mono<ReviewView> reject(String reviewId, ReviewDecision decision) {
        return Mono.fromCallable(() -> new ReviewReason(decision == null ? null : decision.reason()))
                .flatMap(reason -> decide(reviewId, ReviewStatus.REJECTED, reason.value()));
    }

    private Mono<ReviewView> decide(String reviewId, ReviewStatus decision, String reason) {
        UUID id = TenantScope.parse(reviewId).orElse(null);
        if (id == null) {
            return Mono.error(new NotFoundException("Review"));
        }
        return reviewer().flatMap(user -> locate(id, user)
                .flatMap(found -> transactions.inTransaction(decideInTenant(found, user, decision, reason))
                        .contextWrite(TenantContext.forTenant(found.tenantId(), user.userId()))));
    }

    private Mono<Review> locate(UUID id, ConsoleUser user) {
        return transactions.inTransaction(reviews.findById(id))
                .contextWrite(TenantContext.forReviewer(user.userId()))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Review")));
    }

    private Mono<ReviewView> decideInTenant(Review found, ConsoleUser user, ReviewStatus decision, String reason) {
        return membershipHistory.existsByTenantIdAndUserId(found.tenantId(), user.userId())
                .flatMap(wasMember -> wasMember
                        ? Mono.<Review>error(new ForbiddenException(
                                "Reviewers cannot review versions of a workspace they belong to or belonged to."))
                        : reviews.findById(found.id()))
                .filter(review -> review.status() == ReviewStatus.PENDING)
                .switchIfEmpty(Mono.error(() -> new ConflictException("This review has already been decided.",
                        found.status().name(), List.of())))
                .flatMap(review -> apply(review, user, decision, reason));
    }

    private Mono<ReviewView> apply(Review review, ConsoleUser user, ReviewStatus decision, String reason) {
        if (review.ofTemplate()) {
            return decideTemplateVersion(review, "reviewer:" + user.userId(), decision, reason);
        }
        Instant now = clock.instant();
        ReleaseAction action = decision == ReviewStatus.APPROVED ? ReleaseAction.APPROVE : ReleaseAction.REJECT;
        String actor = "reviewer:" + user.userId();
        return releases.findById(review.releaseId())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Release")))
                .flatMap(release -> {
                    Release decided = release.moveTo(ReleaseStateMachine.next(release.state(), action, true), now)
                            .withReview(review.id(), reason);
                    return releases.save(decided)
                            .flatMap(saved -> ReleaseEvents.record(audit, outbox, review.tenantId(), actor, saved,
                                    release.state(), action, reason));
                })
                .then(reviews.save(review.decided(decision, actor, reason, now)))
                .map(ReviewView::of);
    }

    /**
     * A template version is reviewed once for every merchant: the decision moves it from UNDER_REVIEW to APPROVED or
     * REJECTED (in the ISV's tenant, this transaction's), with its audit entry and outbox event.
     */
    private Mono<ReviewView> decideTemplateVersion(Review review, String actor, ReviewStatus decision, String reason) {
        Instant now = clock.instant();
        var update = database.sql("""
                        update template_versions set state = $1, reason = $2, updated_at = $3
                        where template_id = $4 and version = $5 and review_id = $6 and state = 'UNDER_REVIEW'""")
                .bind(0, decision.name());
        update = reason == null ? update.bindNull(1, String.class) : update.bind(1, reason);
        return update.bind(2, now)
                .bind(3, review.templateId())
                .bind(4, review.version())
                .bind(5, review.id())
                .fetch()
                .rowsUpdated()
                .filter(updated -> updated == 1)
                .switchIfEmpty(Mono.error(() -> new ConflictException("The template version is no longer under review.")))
                .then(audit.record(review.tenantId(), actor, "template-version." + decision.name().toLowerCase(),
                        "template-version", review.templateId() + "@" + review.version(),
                        Map.of("state", "UNDER_REVIEW"), reason == null ? Map.of("state", decision.name())
                                : Map.of("state", decision.name(), "reason", reason)))
                .then(outbox.append(review.tenantId(), "template.review_" + decision.name().toLowerCase(),
                        templateEvent(review, decision, reason)))
                .then(reviews.save(review.decided(decision, actor, reason, now)))
                .map(ReviewView::of);
    }

    private static Map<String, Object> templateEvent(Review review, ReviewStatus decision, String reason) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("isvTenantId", review.tenantId().toString());
        event.put("templateId", review.templateId().toString());
        event.put("version", review.version());
        event.put("state", decision.name());
        if (reason != null) {
            event.put("reason", reason);
        }
        return event;
    }

    private static Mono<ConsoleUser> reviewer() {
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new ForbiddenException("Only platform reviewers can do this.")));
    }
}
