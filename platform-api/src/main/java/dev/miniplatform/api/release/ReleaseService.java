package dev.miniplatform.api.release;

import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.KeyAction;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.change.MiniProgramChanged;
import dev.miniplatform.api.change.MiniProgramChanges;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.api.miniprogram.MiniProgramLookup;
import dev.miniplatform.infra.database.Constraints;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.GrayPercent;
import dev.miniplatform.model.release.IllegalTransitionException;
import dev.miniplatform.model.release.MiniProgramVersionRepository;
import dev.miniplatform.model.release.Release;
import dev.miniplatform.model.release.ReleaseAction;
import dev.miniplatform.model.release.ReleaseRepository;
import dev.miniplatform.model.release.ReleaseState;
import dev.miniplatform.model.release.ReleaseStateMachine;
import dev.miniplatform.model.release.Review;
import dev.miniplatform.model.release.ReviewRepository;
import dev.miniplatform.model.release.ReviewStatus;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import dev.miniplatform.model.wallet.Wallet;
import dev.miniplatform.model.wallet.WalletRepository;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Moves a version through the release states on one target. Every transition is checked by
 * {@link ReleaseStateMachine}, saved under optimistic locking (so of two simultaneous transitions exactly one
 * wins and the other gets 409), backed by a partial unique index for the one rule that spans rows (one full
 * release per target), and written to the audit log and the outbox in the same transaction. Every release action
 * first locks its mini program's row ({@link #oneAtATime}): a full release touches two rows of the target (archive
 * the previous one, promote this one), and two of them running side by side could each hold one row and wait for
 * the other's — PostgreSQL would abort one with a deadlock. One at a time per mini program, the second sees what
 * the first committed and gets the answer a sequential request would.
 */
@Service
public class ReleaseService {

    /** The partial unique index of V5: at most one FULL_RELEASE per mini program and target. */
    static final String ONE_FULL_RELEASE_PER_TARGET = "releases_one_full_release_per_target";

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final MiniProgramVersionRepository versions;
    private final ReleaseRepository releases;
    private final ReviewRepository reviews;
    private final WalletRepository wallets;
    private final AuditLog audit;
    private final Outbox outbox;
    private final ReleaseProperties properties;
    private final Clock clock;
    private final MiniProgramChanges changes;
    private final DatabaseClient database;

    ReleaseService(DatabaseClient database, TenantScope scope, MiniProgramLookup lookup, MiniProgramVersionRepository versions,
                   ReleaseRepository releases,
                   ReviewRepository reviews, WalletRepository wallets, AuditLog audit, Outbox outbox,
                   ReleaseProperties properties, Clock clock, MiniProgramChanges changes) {
        this.database = database;
        this.changes = changes;
        this.scope = scope;
        this.lookup = lookup;
        this.versions = versions;
        this.releases = releases;
        this.reviews = reviews;
        this.wallets = wallets;
        this.audit = audit;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
    }

    /** A parsed target with its wallet. */
    record Target(Wallet wallet, Environment environment) {

        boolean reviewRequired() {
            return environment.requiresReview(wallet.sandboxReview());
        }
    }

    public Mono<ReleaseView> submit(String tenantId, String appId, String version, ReleaseRequest request) {
        return run(tenantId, appId, version, request, KeyAction.SUBMIT, (access, target) -> current(appId, version, target)
                .flatMap(existing -> resubmit(access, existing, target))
                .switchIfEmpty(Mono.defer(() -> firstSubmit(access, appId, version, target))));
    }

    public Mono<ReleaseView> release(String tenantId, String appId, String version, ReleaseRequest request) {
        return run(tenantId, appId, version, request, (access, target) -> Mono
                .fromCallable(() -> GrayPercent.of("grayPercent", request.grayPercent()))
                .flatMap(percent -> releaseAt(access, appId, version, target, percent)))
                .onErrorResume(failure -> Constraints.violated(failure, ONE_FULL_RELEASE_PER_TARGET),
                        failure -> lostFullReleaseRace(tenantId, appId, version, request));
    }

    /**
     * Another version reached FULL_RELEASE on the target while this request was under way; the database refused
     * the second one and rolled this transaction back. Read, in a fresh transaction, what the target and this
     * version look like now, so that the 409 names the current state.
     */
    private Mono<ReleaseView> lostFullReleaseRace(String tenantId, String appId, String version, ReleaseRequest request) {
        return run(tenantId, appId, version, request, (access, target) -> current(appId, version, target)
                .zipWith(fullReleaseOf(appId, target).map(Release::version).defaultIfEmpty("another version"))
                .flatMap(found -> Mono.<Release>error(new ConflictException(
                        "%s was fully released on this target at the same moment; %s stays %s."
                                .formatted(found.getT2(), version, found.getT1().state()),
                        found.getT1().state().name(), ReleaseStateMachine.allowedActions(found.getT1().state()))))
                .switchIfEmpty(Mono.error(() -> new ConflictException(
                        "Another version was fully released on this target at the same moment."))));
    }

    private Mono<Release> fullReleaseOf(String appId, Target target) {
        return releases.findByAppIdAndWalletIdAndEnvironment(appId, target.wallet().id(), target.environment())
                .filter(release -> release.state() == ReleaseState.FULL_RELEASE)
                .next();
    }

    public Mono<ReleaseView> pilot(String tenantId, String appId, String version, ReleaseRequest request) {
        return run(tenantId, appId, version, request, (access, target) -> Mono
                .fromCallable(() -> pilotUsers(request.userIds()))
                .flatMap(whitelist -> required(appId, version, target, ReleaseAction.PILOT)
                        .flatMap(release -> transition(access, release, ReleaseAction.PILOT, r -> r.withPilot(whitelist)))));
    }

    public Mono<ReleaseView> cancel(String tenantId, String appId, String version, ReleaseRequest request) {
        return simple(tenantId, appId, version, request, ReleaseAction.CANCEL);
    }

    public Mono<ReleaseView> offline(String tenantId, String appId, String version, ReleaseRequest request) {
        return simple(tenantId, appId, version, request, ReleaseAction.OFFLINE);
    }

    /** Puts the previous full release of the target back, without a new review. */
    public Mono<ReleaseView> rollback(String tenantId, String appId, String version, ReleaseRequest request) {
        return run(tenantId, appId, version, request, (access, target) -> required(appId, version, target, ReleaseAction.ROLLBACK)
                .flatMap(release -> transition(access, release, ReleaseAction.ROLLBACK, UnaryOperator.identity()))
                .flatMap(rolledBack -> previousFullRelease(rolledBack)
                        .flatMap(previous -> transition(access, previous, ReleaseAction.RESTORE, UnaryOperator.identity()))
                        .thenReturn(rolledBack)));
    }

    public Mono<List<ReleaseView>> list(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> lookup.visible(access, appId)
                .thenMany(releases.findByAppIdOrderByUpdatedAtDesc(appId))
                .map(ReleaseView::of)
                .collectList());
    }


    private interface Step {
        Mono<Release> apply(Access access, Target target);
    }

    private Mono<ReleaseView> run(String tenantId, String appId, String version, ReleaseRequest request, Step step) {
        return run(tenantId, appId, version, request, null, step);
    }

    /** @param keyAction what a CI key must be allowed to do this (null: no CI key may) */
    private Mono<ReleaseView> run(String tenantId, String appId, String version, ReleaseRequest request,
                                  KeyAction keyAction, Step step) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_RELEASE, keyAction, access -> lookup.visible(access, appId)
                        .then(oneAtATime(appId))
                        .then(existingVersion(appId, version))
                        .then(Mono.defer(() -> parseTarget(request)))
                        .flatMap(target -> step.apply(access, target))
                        .flatMap(release -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(release)))
                .flatMap(release -> changes.committed(MiniProgramChanged.modified(appId)).thenReturn(release))
                .map(ReleaseView::of);
    }

    private Mono<ReleaseView> simple(String tenantId, String appId, String version, ReleaseRequest request,
                                     ReleaseAction action) {
        return run(tenantId, appId, version, request, (access, target) -> required(appId, version, target, action)
                .flatMap(release -> transition(access, release, action, UnaryOperator.identity())));
    }

    private Mono<Target> parseTarget(ReleaseRequest request) {
        Validation validation = new Validation();
        TargetRequest raw = request == null ? null : request.target();
        if (raw == null) {
            validation.reject("target", "required", "give the target: {\"wallet\": \"<walletId>\", \"environment\": \"PROD\"}");
            validation.throwIfInvalid();
        }
        Environment environment = validation.attempt(() -> Environment.of("target.environment", raw.environment()));
        UUID walletId = TenantScope.parse(raw.wallet()).orElse(null);
        if (walletId == null) {
            validation.reject("target.wallet", "unknown", "not the id of a registered wallet");
        }
        validation.throwIfInvalid();
        return wallets.findById(walletId)
                .switchIfEmpty(Mono.error(() -> invalidWallet()))
                .map(wallet -> new Target(wallet, environment));
    }

    private static RuntimeException invalidWallet() {
        return InvalidInputException.of("target.wallet", "unknown", "not the id of a registered wallet");
    }

    /**
     * Holds the mini program's row until the transaction ends. FOR NO KEY UPDATE, so inserts that only reference
     * the row (audit, outbox, versions' foreign keys) are not blocked; the versions-only-go-up trigger's FOR UPDATE
     * and this lock exclude each other, and both are taken before any release row, so the order is always the same.
     */
    private Mono<Void> oneAtATime(String appId) {
        return database.sql("select 1 from mini_programs where app_id = $1 for no key update")
                .bind(0, appId)
                .fetch()
                .all()
                .then();
    }

    private Mono<Void> existingVersion(String appId, String version) {
        return versions.findByAppIdAndVersion(appId, version)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Version")))
                .then();
    }

    private Mono<Release> current(String appId, String version, Target target) {
        return releases.findByAppIdAndVersionAndWalletIdAndEnvironment(appId, version, target.wallet().id(), target.environment());
    }

    /** A version never submitted to the target is CREATED there: only "submit" is allowed. */
    private Mono<Release> required(String appId, String version, Target target, ReleaseAction action) {
        return current(appId, version, target)
                .switchIfEmpty(Mono.error(() -> new IllegalTransitionException(ReleaseState.CREATED, action)));
    }

    private Mono<Release> firstSubmit(Access access, String appId, String version, Target target) {
        Instant now = clock.instant();
        Release created = new Release(access.tenantId(), UUID.randomUUID(), appId, version, target.wallet().id(),
                target.environment(), ReleaseState.CREATED, null, null, null, null, null, now, null);
        return reviewNeeded(appId, version, target).flatMap(review -> {
            ReleaseState next = ReleaseStateMachine.next(ReleaseState.CREATED, ReleaseAction.SUBMIT, review.required());
            return withReview(access, created.moveTo(next, now))
                    .flatMap(releases::save)
                    .flatMap(saved -> recorded(access, saved, ReleaseState.CREATED, ReleaseAction.SUBMIT, review.why()));
        });
    }

    private Mono<Release> resubmit(Access access, Release existing, Target target) {
        return reviewNeeded(existing.appId(), existing.version(), target).flatMap(review -> {
            ReleaseState next = ReleaseStateMachine.next(existing.state(), ReleaseAction.SUBMIT, review.required());
            return withReview(access, existing.moveTo(next, clock.instant()).withReview(null, null))
                    .flatMap(releases::save)
                    .flatMap(saved -> recorded(access, saved, existing.state(), ReleaseAction.SUBMIT, review.why()));
        });
    }

    /** Whether a submission to this target goes to the review queue, and why not when the target would want one. */
    private record ReviewNeed(boolean required, String why) {
    }

    /**
     * The target decides whether review is needed at all (PROD always, SANDBOX per wallet). One exception: a version
     * built by the platform from an APPROVED template version, with the merchant's ext config (checked against that
     * version's schema when the version was built), was reviewed once as the template and is not reviewed again per
     * merchant (decision 121). The template lives in the ISV's tenant: {@code template_version_approved} (V20)
     * answers that one question across the boundary.
     */
    private Mono<ReviewNeed> reviewNeeded(String appId, String version, Target target) {
        if (!target.reviewRequired()) {
            return Mono.just(new ReviewNeed(false, null));
        }
        return database.sql("""
                        select template_version_approved(v.template_isv, v.template_id, v.template_version) as approved,
                               v.template_id, v.template_version
                        from mini_program_versions v
                        where v.app_id = $1 and v.version = $2
                          and v.template_id is not null and v.ext_config is not null""")
                .bind(0, appId)
                .bind(1, version)
                .map(row -> Boolean.TRUE.equals(row.get("approved", Boolean.class))
                        ? new ReviewNeed(false, "reviewed once as template %s version %s"
                                .formatted(row.get("template_id", UUID.class), row.get("template_version", String.class)))
                        : new ReviewNeed(true, null))
                .one()
                .defaultIfEmpty(new ReviewNeed(true, null));
    }

    /**
     * What a batch job's RELEASE item does for one merchant, inside the merchant's transaction that the caller
     * opened (with the delegation it checked): submit the version to the target if it was never submitted there
     * (no review for an approved template's instance), then release it at {@code grayPercent}. The change is
     * published in that transaction ({@link MiniProgramChanges#inTransaction}); the caller publishes it again
     * after the commit ({@link MiniProgramChanges#committed}).
     *
     * @return the release, or empty if the version is already fully released there (nothing to do)
     */
    public Mono<ReleaseView> submitAndRelease(Access access, String appId, String version, UUID walletId,
                                              Environment environment, int grayPercent) {
        GrayPercent percent = GrayPercent.of("grayPercent", grayPercent);
        return oneAtATime(appId)
                .then(existingVersion(appId, version))
                .then(target(walletId, environment))
                .flatMap(target -> current(appId, version, target)
                        .filter(release -> release.state() != ReleaseState.CREATED && release.state() != ReleaseState.REJECTED)
                        .switchIfEmpty(Mono.defer(() -> current(appId, version, target)
                                .flatMap(existing -> resubmit(access, existing, target))
                                .switchIfEmpty(Mono.defer(() -> firstSubmit(access, appId, version, target)))))
                        .flatMap(release -> release.state() == ReleaseState.FULL_RELEASE && percent.isFull()
                                ? Mono.<Release>empty()
                                : releaseAt(access, appId, version, target, percent)))
                .flatMap(release -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(release))
                .map(ReleaseView::of);
    }

    /** A batch job's ROLLBACK item, inside the merchant's transaction (see {@link #submitAndRelease}). */
    public Mono<ReleaseView> rollbackInTransaction(Access access, String appId, String version, UUID walletId,
                                                   Environment environment) {
        return oneAtATime(appId)
                .then(existingVersion(appId, version))
                .then(target(walletId, environment))
                .flatMap(target -> required(appId, version, target, ReleaseAction.ROLLBACK))
                .flatMap(release -> transition(access, release, ReleaseAction.ROLLBACK, UnaryOperator.identity()))
                .flatMap(rolledBack -> previousFullRelease(rolledBack)
                        .flatMap(previous -> transition(access, previous, ReleaseAction.RESTORE, UnaryOperator.identity()))
                        .thenReturn(rolledBack))
                .flatMap(release -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(release))
                .map(ReleaseView::of);
    }

    private Mono<Target> target(UUID walletId, Environment environment) {
        return wallets.findById(walletId)
                .switchIfEmpty(Mono.error(() -> invalidWallet()))
                .map(wallet -> new Target(wallet, environment));
    }

    /** A submission that needs review opens a review in the queue and links it. */
    private Mono<Release> withReview(Access access, Release release) {
        if (release.state() != ReleaseState.UNDER_REVIEW) {
            return Mono.just(release);
        }
        Review review = new Review(access.tenantId(), UUID.randomUUID(), release.id(), release.appId(), release.version(),
                release.walletId(), release.environment(), ReviewStatus.PENDING, null, access.actor(), null,
                clock.instant(), null, null, null);
        return reviews.save(review)
                .map(saved -> release.withReview(saved.id(), null));
    }

    private Mono<Release> releaseAt(Access access, String appId, String version, Target target, GrayPercent percent) {
        ReleaseAction action = percent.isFull() ? ReleaseAction.FULL : ReleaseAction.GRAY;
        return required(appId, version, target, action)
                .flatMap(release -> percent.isFull() ? fullRelease(access, release) : gray(access, release, percent));
    }

    private Mono<Release> gray(Access access, Release release, GrayPercent percent) {
        if (release.state() == ReleaseState.GRAYSCALE) {
            percent.requireGrowthFrom(release.grayPercent());
        }
        return transition(access, release, ReleaseAction.GRAY, r -> r.withGray(percent.value()));
    }

    /** A new full release archives the previous full release of the same target. */
    private Mono<Release> fullRelease(Access access, Release release) {
        ReleaseStateMachine.next(release.state(), ReleaseAction.FULL, false);
        return releases.findByAppIdAndWalletIdAndEnvironment(release.appId(), release.walletId(), release.environment())
                .filter(other -> other.state() == ReleaseState.FULL_RELEASE && !other.id().equals(release.id()))
                .concatMap(previous -> transition(access, previous, ReleaseAction.ARCHIVE, UnaryOperator.identity()))
                .then(transition(access, release, ReleaseAction.FULL, r -> r.withGray(100)));
    }

    private Mono<Release> previousFullRelease(Release rolledBack) {
        return releases.findByAppIdAndWalletIdAndEnvironment(rolledBack.appId(), rolledBack.walletId(), rolledBack.environment())
                .filter(other -> other.state() == ReleaseState.ARCHIVED && other.fullReleasedAt() != null
                        && !other.id().equals(rolledBack.id()))
                .sort(Comparator.comparing(Release::fullReleasedAt).reversed())
                .next()
                .switchIfEmpty(Mono.error(() -> new ConflictException(
                        "There is no earlier full release on this target to roll back to.")));
    }

    private Mono<Release> transition(Access access, Release release, ReleaseAction action, UnaryOperator<Release> change) {
        ReleaseState next = ReleaseStateMachine.next(release.state(), action, false);
        return releases.save(change.apply(release.moveTo(next, clock.instant())))
                .flatMap(saved -> recorded(access, saved, release.state(), action));
    }

    private Mono<Release> recorded(Access access, Release saved, ReleaseState from, ReleaseAction action) {
        return recorded(access, saved, from, action, null);
    }

    private Mono<Release> recorded(Access access, Release saved, ReleaseState from, ReleaseAction action, String reason) {
        return ReleaseEvents.record(audit, outbox, access.tenantId(), access.actor(), saved, from, action, reason)
                .thenReturn(saved);
    }

    private String pilotUsers(List<String> userIds) {
        Validation validation = new Validation();
        if (userIds == null || userIds.isEmpty()) {
            validation.reject("userIds", "required", "list the wallet user ids allowed to see the pilot");
        } else if (userIds.size() > properties.maxPilotUsers()) {
            validation.reject("userIds", "size", "at most " + properties.maxPilotUsers() + " users");
        } else {
            for (int i = 0; i < userIds.size(); i++) {
                String id = userIds.get(i);
                if (id == null || id.isBlank() || id.length() > 128 || id.contains("\n")) {
                    validation.reject("userIds[" + i + "]", "format", "1 to 128 characters, one line");
                }
            }
        }
        validation.throwIfInvalid();
        return String.join("\n", userIds);
    }
}
