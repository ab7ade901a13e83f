package dev.miniplatform.api.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.miniplatform.api.change.MiniProgramChanged;
import dev.miniplatform.api.change.MiniProgramChanges;
import dev.miniplatform.api.isv.IsvDirectory;
import dev.miniplatform.api.release.CodePackageStore;
import dev.miniplatform.infra.polling.PollingLoop;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.template.BatchItemState;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.ExtConfigSchema;
import dev.miniplatform.model.validation.InvalidInputException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs batch job items on every node: claims open items in PostgreSQL under a lease ({@code claim_batch_items}, V21:
 * {@code FOR UPDATE SKIP LOCKED}, so nodes share a job without taking an item twice) and executes them with bounded
 * concurrency. Back-pressure is Reactor's: {@code flatMap(…, concurrency)} requests a new item only when one
 * finishes, and a new claim is made only when the previous batch has been handed out, so a node holds at most about
 * {@code concurrency + claimBatch} items, whatever the size of the job. A node that dies leaves its leased items to
 * run out their lease; another node (or the restarted one) claims them again, and {@link ItemExecution} finds what
 * an interrupted item had already committed.
 *
 * <p>Every item ends: an item's own failure is final at once; any other failure of an attempt (the database went
 * away, an unexpected error, an attempt that outlives its lease) is retried after {@code retry-delay}, and the
 * {@code max-attempts}-th is final, with the last failure as the reason. A cause that no item of the job can get
 * past ({@link JobCannotRun}) fails all its open items at once. A job ends as soon as its last item does, also when
 * that item was given up while the runner was busy with other jobs.
 */
@Component
class BatchRunner extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    private final BatchStore store;
    private final TemplateStore templates;
    private final CodePackageStore packages;
    private final IsvDirectory directory;
    private final ItemExecution execution;
    private final MiniProgramChanges changes;
    private final TenantTransactions transactions;
    private final BatchProperties properties;
    private final Clock clock;
    private final ObservationRegistry observations;
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
    /**
     * One plan per job and node: the template's package and schema are read once, not once per merchant. The value is
     * a cached Mono (a failed load is not kept); no loading runs under the cache's lock, so items of one job that
     * ask at the same moment never wait on a lock on an event-loop thread.
     */
    private final Cache<UUID, Mono<JobPlan>> plans = Caffeine.newBuilder()
            .maximumSize(16)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    BatchRunner(BatchStore store, TemplateStore templates, CodePackageStore packages, IsvDirectory directory,
                ItemExecution execution, MiniProgramChanges changes, TenantTransactions transactions,
                BatchProperties properties, Clock clock, ObservationRegistry observations) {
        this.observations = observations;
        this.store = store;
        this.templates = templates;
        this.packages = packages;
        this.directory = directory;
        this.execution = execution;
        this.changes = changes;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** A job was created on this node: look for work now instead of at the next idle poll. */
    void wake() {
        wakeups.tryEmitNext(Boolean.TRUE);
    }

    @Override
    protected boolean enabled() {
        return properties.runnerEnabled();
    }

    /** Items as they are claimed, {@code concurrency} of them at a time; no fixed tick (see {@link #claims}). */
    @Override
    protected Flux<Void> work() {
        log.info("Batch runner {} started: concurrency {}, lease {}", node, properties.concurrency(), properties.lease());
        return claims()
                .flatMap(this::process, properties.concurrency());
    }

    /** Claimed items, one batch after another as downstream asks for them; idle polls in between when there is none. */
    private Flux<BatchStore.Claimed> claims() {
        return Mono.defer(this::claimBatch)
                .flatMapMany(batch -> batch.isEmpty() ? idle() : Flux.fromIterable(batch))
                .repeat();
    }

    /** Ends the jobs whose last items were given up by the previous claim (that statement cannot see its own update). */
    private Mono<List<BatchStore.Claimed>> claimBatch() {
        return store.finishJobs()
                .onErrorResume(failure -> Mono.just(0))
                .thenMany(store.claim(properties.claimBatch(), properties.lease(), node, properties.maxAttempts()))
                .collectList()
                .onErrorResume(failure -> {
                    log.warn("Claiming batch items failed; retrying after {}: {}", properties.idlePoll(), failure.toString());
                    return Mono.just(List.of());
                });
    }

    private Flux<BatchStore.Claimed> idle() {
        return store.finishJobs()
                .onErrorResume(failure -> Mono.just(0))
                .then(Mono.firstWithSignal(Mono.delay(properties.idlePoll()).then(), wakeups.asFlux().next().then()))
                .thenMany(Flux.empty());
    }

    /** One attempt at an item, observed: a {@code batch.item} span (its own trace) over everything the attempt does. */
    private Mono<Void> process(BatchStore.Claimed item) {
        return attempt(item)
                .tap(Micrometer.observation(observations, registry -> itemObservation(registry, item)));
    }

    private static Observation itemObservation(ObservationRegistry registry, BatchStore.Claimed item) {
        return Observation.createNotStarted("batch.item", registry)
                .contextualName("batch item")
                .highCardinalityKeyValue("batch.job.id", item.jobId().toString())
                .highCardinalityKeyValue("batch.item.seq", Integer.toString(item.seq()))
                .highCardinalityKeyValue("batch.item.merchant", item.merchantId().toString())
                .highCardinalityKeyValue("batch.item.attempt", Integer.toString(item.attempts()));
    }

    private Mono<Void> attempt(BatchStore.Claimed item) {
        return plan(item)
                .flatMap(plan -> execution.execute(plan, item, item.work()))
                // past its lease the item may already be another node's: this attempt stops (its transaction rolls
                // back) instead of holding one of this node's slots for good
                .timeout(properties.lease())
                // a schema stored before a bound existed is refused when the plan parses it: fail now, not after
                // max-attempts leases (execution maps its own refusals to outcomes)
                .onErrorResume(InvalidInputException.class, refused -> Mono.just(ItemOutcome.failed(
                        "the template version's ext config schema is not accepted: " + refused.errors().stream()
                                .map(error -> error.field() + " (" + error.code() + ")")
                                .collect(Collectors.joining(", ")))))
                .flatMap(outcome -> record(item, outcome))
                .onErrorResume(JobCannotRun.class, cannot -> jobCannotRun(item, cannot))
                .onErrorResume(failure -> attemptFailed(item, failure));
    }

    private Mono<Void> jobCannotRun(BatchStore.Claimed item, JobCannotRun cannot) {
        log.warn("Batch job {} cannot run; its open items fail: {}", item.jobId(), cannot.getMessage());
        return inIsv(item.isvId(), store.failOpenItems(item.jobId(), cannot.getMessage(), clock.instant()))
                .then(store.completeIfDone(item.isvId(), item.jobId()))
                .onErrorResume(failure -> attemptFailed(item, failure));
    }

    /** An attempt failed for a reason not the item's own: tried again after retry-delay, or, at max-attempts, FAILED. */
    private Mono<Void> attemptFailed(BatchStore.Claimed item, Throwable failure) {
        log.warn("Batch item {}#{} of merchant {} did not finish (attempt {} of {}): {}", item.jobId(), item.seq(),
                item.merchantId(), item.attempts(), properties.maxAttempts(), failure.toString());
        String last = describe(failure);
        Mono<Void> next = item.attempts() >= properties.maxAttempts()
                ? inIsv(item.isvId(), store.finish(item.jobId(), item.seq(), BatchItemState.FAILED, null, null,
                        "failed %d attempts; last: %s. Start a new job for this merchant once that is fixed (merchants already done are SKIPPED)"
                                .formatted(item.attempts(), last), clock.instant()))
                        .then(store.completeIfDone(item.isvId(), item.jobId()))
                : inIsv(item.isvId(), store.retryLater(item.jobId(), item.seq(), node, item.attempts(),
                        "attempt %d failed: %s".formatted(item.attempts(), last), properties.retryDelay()));
        // the database itself may be what failed: then the lease runs out and the item is claimed again anyway
        return next.onErrorResume(unrecorded -> Mono.empty());
    }

    /** What went wrong, for the person reading the item: the kind of failure and its message, bounded. */
    private static String describe(Throwable failure) {
        String text = failure instanceof TimeoutException
                ? "the attempt did not finish within the lease"
                : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private Mono<Void> record(BatchStore.Claimed item, ItemOutcome outcome) {
        Mono<Void> invalidate = outcome.catalogChanged() && outcome.appId() != null
                ? changes.committed(MiniProgramChanged.modified(outcome.appId()))
                : Mono.empty();
        Mono<Void> result = outcome.recorded() ? Mono.empty()
                : inIsv(item.isvId(), store.finish(item.jobId(), item.seq(), outcome.state(), outcome.appId(),
                outcome.version(), outcome.reason(), clock.instant()));
        return invalidate
                .then(result)
                // after the result committed: the last item to commit sees every other one
                .then(store.completeIfDone(item.isvId(), item.jobId()));
    }

    private Mono<JobPlan> plan(BatchStore.Claimed item) {
        Mono<JobPlan> known = plans.getIfPresent(item.jobId());
        if (known != null) {
            return known;
        }
        Mono<JobPlan> loading = loadPlan(item.isvId(), item.jobId())
                .cache(plan -> Duration.ofMinutes(10), failure -> Duration.ZERO, () -> Duration.ZERO);
        Mono<JobPlan> raced = plans.asMap().putIfAbsent(item.jobId(), loading);
        return raced != null ? raced : loading;
    }

    private Mono<JobPlan> loadPlan(UUID isvId, UUID jobId) {
        return directory.byTenant(isvId)
                .switchIfEmpty(Mono.error(() -> JobCannotRun.noApplication(isvId)))
                .flatMap(isv -> inIsv(isvId, store.job(jobId))
                        .flatMap(job -> job.kind() == BatchJobKind.APPLY_TEMPLATE
                                ? inIsv(isvId, templates.version(job.templateId(), job.templateVersion()))
                                .switchIfEmpty(Mono.error(() -> JobCannotRun.templateVersionGone(job.templateId(), job.templateVersion())))
                                .flatMap(version -> inIsv(isvId, packages.load(isvId, version.sha256()))
                                        .publishOn(Schedulers.boundedElastic())
                                        .map(bytes -> new JobPlan(jobId, job.kind(), isvId, isv.name(), isv.clientId(),
                                                job.templateId(), SemanticVersion.parse("version", version.version()),
                                                version.description(), ExtConfigSchema.parse("extSchema", version.extSchema()),
                                                version.sha256(), bytes, null, null, null)))
                                : Mono.just(new JobPlan(jobId, job.kind(), isvId, isv.name(), isv.clientId(),
                                job.templateId(), null, null, null, null, null, job.walletId(),
                                Environment.valueOf(job.environment()), job.grayPercent()))));
    }

    private <T> Mono<T> inIsv(UUID isvId, Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(isvId, null));
    }
}
