package dev.miniplatform.api.template;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.industry.SelectableIndustries;
import dev.miniplatform.api.authorization.InsufficientScopeException;
import dev.miniplatform.api.isv.IsvDirectory;
import dev.miniplatform.api.miniprogram.MiniProgramService;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.GrayPercent;
import dev.miniplatform.model.template.BatchItemState;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.BatchJobState;
import dev.miniplatform.model.template.CheckBudget;
import dev.miniplatform.model.template.ExtConfigSchema;
import dev.miniplatform.model.template.TemplateVersionState;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.wallet.WalletRepository;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Batch jobs of an ISV workspace (its owner or masters): created once per {@code Idempotency-Key}, with every item
 * checked before the job exists (a bad item is a 400 naming it, never a half-created job), then run by
 * {@link BatchRunner} on whichever nodes are up.
 */
@Service
class BatchJobService {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TemplateService templates;
    private final TemplateStore templateStore;
    private final BatchStore store;
    private final SelectableIndustries industries;
    private final WalletRepository wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final BatchProperties properties;
    private final BatchRunner runner;
    private final IsvDirectory directory;
    private final Clock clock;

    BatchJobService(TemplateService templates, TemplateStore templateStore, BatchStore store,
                    SelectableIndustries industries, WalletRepository wallets, AuditLog audit, JsonMapper json,
                    BatchProperties properties, BatchRunner runner, IsvDirectory directory, Clock clock) {
        this.templates = templates;
        this.templateStore = templateStore;
        this.store = store;
        this.industries = industries;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
        this.properties = properties;
        this.runner = runner;
        this.directory = directory;
        this.clock = clock;
    }

    /** The created (or, for a replayed key with the same body, the existing) job, and whether it was replayed. */
    record Created(BatchJobView job, boolean replayed) {
    }

    /**
     * Checked before the body is read (a stranger makes the platform read nothing), in a transaction of its own that
     * ends before the body arrives; {@link #create} checks again.
     */
    Mono<Void> checkAllowed(String isvId, String key) {
        return Mono.fromCallable(() -> checkedKey(key))
                .then(templates.asIsvManager(isvId, access -> Mono.just(Boolean.TRUE)))
                .then();
    }

    /**
     * A request as read: the hash of its canonical form, its fields but the items, and each item's canonical JSON
     * (null without an items array).
     */
    private record Parsed(String sha256, BatchJobRequest request, List<String> items) {
    }

    /**
     * Reads the body as it arrives ({@link BatchRequestReader}: items counted and bounded while read, never the
     * whole body as a tree), then creates the job or replays it. What is cheap comes first: the key and the
     * caller's access before the body ({@link #checkAllowed}), the template as soon as the body has named it.
     */
    Mono<Created> create(String isvId, String key, Flux<DataBuffer> body) {
        String idempotencyKey = checkedKey(key);
        return read(isvId, idempotencyKey, body)
                .flatMap(parsed -> templates.asIsvManager(isvId, access -> store.byKey(idempotencyKey)
                        .map(existing -> replay(existing, parsed.sha256()))
                        .switchIfEmpty(Mono.defer(() -> createNew(access, idempotencyKey, parsed)))))
                .flatMap(created -> view(isvId, created.job().id().toString())
                        .map(view -> new Created(view, created.replayed())))
                .doOnNext(created -> runner.wake());
    }

    /** Chunk by chunk, off the event loop (parsing and hashing up to platform.batch.max-request-bytes is CPU work). */
    private Mono<Parsed> read(String isvId, String key, Flux<DataBuffer> body) {
        BatchRequestReader reader = new BatchRequestReader(json, properties);
        return body
                .map(BatchJobService::bytesOf)
                .publishOn(Schedulers.boundedElastic(), 2)
                .concatMap(chunk -> readChunk(reader, chunk, isvId, key), 1)
                .then(Mono.fromCallable(() -> parsed(reader.finish()))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    /** A chunk; where the items begin and the template is named, reading waits for the template check. */
    private Mono<Void> readChunk(BatchRequestReader reader, byte[] chunk, String isvId, String key) {
        return Mono.fromCallable(() -> reader.feed(chunk))
                .filter(step -> step == BatchRequestReader.Step.HEAD)
                .flatMap(paused -> templateBeforeItems(isvId, key, reader.head())
                        .publishOn(Schedulers.boundedElastic())
                        .then(Mono.fromCallable(reader::resume)))
                .then();
    }

    /**
     * An unknown template is a 404 before a single item is read. Not for a key already used: a replay is answered
     * by comparing the whole body's hash, whatever it names.
     */
    private Mono<Void> templateBeforeItems(String isvId, String key, BatchRequestReader.Head head) {
        return templates.asIsvManager(isvId, access -> store.byKey(key)
                .hasElement()
                .flatMap(replay -> replay ? Mono.<Void>empty() : requireRunnable(access)
                        .then(templateVersion(head.template(), head.version()))
                        .then()));
    }

    /**
     * A job whose items cannot run for any merchant is refused before it exists (409, saying what to do), rather
     * than created to fail item by item: the ISV workspace must have its OAuth application (without it no merchant
     * can have authorized it), and the platform must not have suspended it.
     */
    private Mono<Void> requireRunnable(Access access) {
        return directory.byTenant(access.tenantId())
                .switchIfEmpty(Mono.error(() -> new ConflictException("Batch jobs cannot run: "
                        + JobCannotRun.noApplicationReason(access.tenantId()) + ".", "NO_APPLICATION",
                        List.of("register-isv-application"))))
                .filter(IsvDirectory.Entry::active)
                .switchIfEmpty(Mono.error(() -> new ConflictException("Batch jobs cannot run: the platform has suspended "
                        + "this ISV, so it may not act for any merchant; contact the platform to be reinstated.",
                        "SUSPENDED", List.of())))
                .then();
    }

    private Parsed parsed(BatchRequestReader.Request read) {
        return new Parsed(read.sha256(), request(read.fields()), read.items());
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    Mono<BatchJobView> view(String isvId, String jobId) {
        return templates.asIsvManager(isvId, access -> job(jobId).flatMap(this::view));
    }

    Mono<Page<BatchJobView>> list(String isvId, PageParams params) {
        return templates.asIsvManager(isvId, access -> store.jobs(params.size(), (long) params.page() * params.size())
                .concatMap(this::view)
                .collectList()
                .zipWith(store.countJobs())
                .map(found -> Page.of(found.getT1(), params, found.getT2())));
    }

    Mono<Page<BatchItemView>> items(String isvId, String jobId, String state, PageParams params) {
        BatchItemState filter = itemState(state);
        return templates.asIsvManager(isvId, access -> job(jobId)
                .flatMap(job -> store.items(job.id(), filter, params.size(), (long) params.page() * params.size())
                        .collectList()
                        .zipWith(store.countItems(job.id(), filter))
                        .map(found -> Page.of(found.getT1(), params, found.getT2()))));
    }

    /** Open items are SKIPPED at once; items already under way finish and report. */
    Mono<BatchJobView> cancel(String isvId, String jobId) {
        return templates.asIsvManager(isvId, access -> job(jobId)
                .flatMap(found -> store.lockJob(found.id()))
                .flatMap(job -> {
                    job.state().cancel();
                    return store.cancel(job.id(), clock.instant())
                            .then(audit.record(access.tenantId(), access.actor(), "batch-job.canceled", "batch-job",
                                    job.id().toString(), Map.of("state", job.state().name()),
                                    Map.of("state", BatchJobState.CANCELED.name())))
                            .then(store.job(job.id()))
                            .flatMap(this::view);
                }));
    }

    /** Progress as Server-Sent Events until the job ends; each tick checks the caller's access again. */
    Flux<BatchJobView> progress(String isvId, String jobId) {
        return Flux.interval(java.time.Duration.ZERO, properties.eventsInterval())
                .onBackpressureDrop()
                .concatMap(tick -> view(isvId, jobId), 1)
                .distinctUntilChanged()
                .takeUntil(view -> view.state() != BatchJobState.RUNNING);
    }

    private Created replay(BatchStore.Job existing, String sha256) {
        if (!existing.requestSha256().equals(sha256)) {
            throw keyReused();
        }
        return new Created(summary(existing), true);
    }

    private static ErrorResponseException keyReused() {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(ProblemType.IDEMPOTENCY_KEY_REUSED.status(),
                "This Idempotency-Key was used for another request body; use a new key for a new job.");
        return new ErrorResponseException(ProblemType.IDEMPOTENCY_KEY_REUSED.status(), detail, null);
    }

    private Mono<Created> createNew(Access access, String key, Parsed parsed) {
        BatchJobKind kind = kind(parsed.request());
        return requireRunnable(access).then(Mono.defer(() -> switch (kind) {
            case APPLY_TEMPLATE -> createApply(access, key, parsed);
            case RELEASE, ROLLBACK -> createFollowUp(access, key, parsed.sha256(), kind, parsed.request());
        }));
    }

    private Mono<Created> createApply(Access access, String key, Parsed parsed) {
        String sha256 = parsed.sha256();
        return templateVersion(parsed.request().template(), String.valueOf(parsed.request().version()))
                .flatMap(version -> version.state() == TemplateVersionState.APPROVED ? Mono.just(version)
                        : Mono.error(new ConflictException("Template version %s is %s; only an APPROVED version can be applied."
                        .formatted(version.version(), version.state()), version.state().name(), List.of())))
                .flatMap(version -> checkedItems(parsed.items(), version.extSchema())
                        .flatMap(items -> {
                            Instant now = clock.instant();
                            return store.insertJob(access.tenantId(), UUID.randomUUID(), key, sha256, BatchJobKind.APPLY_TEMPLATE,
                                            version.templateId(), version.version(), null, null, null, null, access.actingUserId(), now)
                                    .flatMap(id -> store.insertApplyItems(access.tenantId(), id, items.merchants(), items.payloads(), now)
                                            .flatMap(total -> created(access, id, BatchJobKind.APPLY_TEMPLATE, total)))
                                    .switchIfEmpty(Mono.defer(() -> raced(key, sha256)));
                        }));
    }

    private Mono<Created> createFollowUp(Access access, String key, String sha256, BatchJobKind kind, BatchJobRequest request) {
        UUID fromJob = TenantScope.parse(request.fromJob()).orElseThrow(() -> new NotFoundException("Batch job"));
        List<FieldError> errors = new ArrayList<>();
        Environment environment = null;
        UUID walletId = null;
        if (request.target() == null) {
            errors.add(new FieldError("target", "required", "give the target: {\"wallet\": \"<walletId>\", \"environment\": \"PROD\"}"));
        } else {
            try {
                environment = Environment.of("target.environment", request.target().environment());
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
            walletId = TenantScope.parse(request.target().wallet()).orElse(null);
            if (walletId == null) {
                errors.add(new FieldError("target.wallet", "unknown", "not the id of a registered wallet"));
            }
        }
        Integer gray = null;
        if (kind == BatchJobKind.RELEASE) {
            try {
                gray = GrayPercent.of("grayPercent", request.grayPercent() == null ? 100 : request.grayPercent()).value();
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            return Mono.error(new InvalidInputException(errors));
        }
        UUID wallet = walletId;
        String env = environment.name();
        Integer percent = gray;
        return store.job(fromJob)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Batch job")))
                .filter(from -> from.kind() == BatchJobKind.APPLY_TEMPLATE || from.kind() == BatchJobKind.RELEASE)
                .switchIfEmpty(Mono.error(() -> InvalidInputException.of("fromJob", "kind",
                        "name an APPLY_TEMPLATE or RELEASE job: its mini programs are the ones acted on")))
                .flatMap(from -> from.state() == BatchJobState.RUNNING
                        ? Mono.error(new ConflictException("Job %s is still running; act on its mini programs once it has ended."
                        .formatted(from.id()), from.state().name(), List.of("cancel")))
                        : Mono.just(from))
                .flatMap(from -> requireReleaseGrant(from).thenReturn(from))
                .flatMap(from -> wallets.findById(wallet)
                        .switchIfEmpty(Mono.error(() -> InvalidInputException.of("target.wallet", "unknown",
                                "not the id of a registered wallet")))
                        .flatMap(found -> {
                            Instant now = clock.instant();
                            return store.insertJob(access.tenantId(), UUID.randomUUID(), key, sha256, kind, from.templateId(),
                                            from.templateVersion(), from.id(), wallet, env, percent, access.actingUserId(), now)
                                    .flatMap(id -> store.insertItemsFrom(access.tenantId(), id, from.id(), now)
                                            .flatMap(total -> created(access, id, kind, total)))
                                    .switchIfEmpty(Mono.defer(() -> raced(key, sha256)));
                        }));
    }

    /**
     * RELEASE and ROLLBACK put versions live, which needs {@code miniprogram:release} as it does outside batches.
     * A job none of whose merchants grants it could do nothing but fail: refused at once (403 insufficient_scope).
     * Where only some merchants grant it, the job is created and the others' items fail with that reason, as do
     * items of a merchant whose grant loses the scope (or ends) before its item runs: {@link ItemExecution} checks
     * again in the item's own transaction.
     */
    private Mono<Void> requireReleaseGrant(BatchStore.Job from) {
        String release = DelegationScope.MINIPROGRAM_RELEASE.scope();
        return store.granting(from.id(), release)
                .filter(granting -> granting.merchants() > 0 && granting.granting() == 0)
                .flatMap(none -> Mono.error(new InsufficientScopeException(release,
                        ("None of the %d merchants of job %s grants this ISV '%s': releasing and rolling back put versions "
                                + "live, which a merchant allows by authorizing a service with that scope.")
                                .formatted(none.merchants(), from.id(), release))));
    }

    private Mono<Created> created(Access access, UUID id, BatchJobKind kind, long total) {
        return store.setTotal(id, total)
                .then(audit.record(access.tenantId(), access.actor(), "batch-job.created", "batch-job", id.toString(),
                        null, Map.of("kind", kind.name(), "total", total)))
                .then(store.job(id))
                .map(job -> new Created(summary(job), false));
    }

    /** Another request with this key won the insert and has committed: the same body is the same job. */
    private Mono<Created> raced(String key, String sha256) {
        return store.byKey(key)
                .switchIfEmpty(Mono.error(() -> new ConflictException("A job with this Idempotency-Key is being created; try again.")))
                .map(existing -> replay(existing, sha256));
    }

    /** The items as the arrays inserted in one statement, after every item passed its checks. */
    private record CheckedItems(UUID[] merchants, String[] payloads) {
    }

    /**
     * Every item checked (thousands of schema validations: on boundedElastic, not on the event loop), then the
     * industries they name, once per distinct industry.
     */
    private Mono<CheckedItems> checkedItems(List<String> items, String extSchema) {
        Map<String, List<Integer>> industriesUsed = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        return Mono.fromCallable(() -> checkedShapes(items, ExtConfigSchema.parse(TemplateService.EXT_SCHEMA, extSchema),
                        errors, industriesUsed))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(checked -> Flux.fromIterable(industriesUsed.entrySet())
                        .concatMap(used -> industries.contains(used.getKey())
                                .filter(known -> !known)
                                .map(unknown -> used.getValue()))
                        .collectList()
                        .map(unknown -> {
                            unknown.forEach(indexes -> indexes.forEach(i -> errors.add(SelectableIndustries.notSelectable(
                                    "items[" + i + "].miniProgram.industry"))));
                            if (!errors.isEmpty()) {
                                throw new InvalidInputException(errors);
                            }
                            return checked;
                        }));
    }

    /**
     * Each item in turn, its text dropped once its payload is built (never two copies of the items); all the schema
     * checks together within {@code platform.batch.check-budget}, and at most
     * {@link ExtConfigSchema#MAX_REPORTED_ERRORS} failures reported.
     */
    private CheckedItems checkedShapes(List<String> items, ExtConfigSchema schema, List<FieldError> errors,
                                       Map<String, List<Integer>> industriesUsed) {
        if (items == null || items.isEmpty()) {
            throw InvalidInputException.of("items", "required", "list the merchants to apply the template to");
        }
        CheckBudget budget = CheckBudget.of(properties.checkBudget());
        UUID[] merchants = new UUID[items.size()];
        String[] payloads = new String[items.size()];
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size() && !budget.exhausted(); i++) {
            if (errors.size() >= ExtConfigSchema.MAX_REPORTED_ERRORS) {
                errors.add(new FieldError("items", "too-many-errors", "checking stopped after %d failures; fix these first"
                        .formatted(errors.size())));
                break;
            }
            String prefix = "items[" + i + "]";
            BatchJobRequest.Item item = item(prefix, items.set(i, null), errors);
            if (item == null) {
                continue;
            }
            UUID merchant = TenantScope.parse(item.merchant()).orElse(null);
            if (merchant == null) {
                errors.add(new FieldError(prefix + ".merchant", "format", "the merchant's tenant id (a UUID)"));
            } else if (seen.putIfAbsent(merchant, i) != null) {
                errors.add(new FieldError(prefix + ".merchant", "duplicate", "the same merchant is already items[%d]"
                        .formatted(seen.get(merchant))));
            }
            errors.addAll(schema.check(prefix + ".extConfig", item.extConfig(), budget));
            errors.addAll(MiniProgramService.shapeErrors(prefix + ".miniProgram", item.miniProgram()));
            if (item.miniProgram() != null && item.miniProgram().industry() != null && !item.miniProgram().industry().isBlank()) {
                industriesUsed.computeIfAbsent(item.miniProgram().industry(), code -> new ArrayList<>()).add(i);
            }
            merchants[i] = merchant;
            payloads[i] = payload(item);
        }
        return new CheckedItems(merchants, payloads);
    }

    /** One item's text as the documented item, or null with the reason in the errors. */
    private BatchJobRequest.Item item(String prefix, String text, List<FieldError> errors) {
        try {
            BatchJobRequest.Item item = json.readValue(text, BatchJobRequest.Item.class);
            if (item == null) {
                errors.add(new FieldError(prefix, "required", "give merchant, extConfig and miniProgram"));
            }
            return item;
        } catch (JacksonException e) {
            errors.add(new FieldError(prefix, "shape", "fields of the wrong type: " + e.getOriginalMessage()));
            return null;
        }
    }

    private String payload(BatchJobRequest.Item item) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("extConfig", item.extConfig());
        payload.put("miniProgram", item.miniProgram());
        return json.writeValueAsString(payload);
    }

    private Mono<TemplateVersionView> templateVersion(String template, String version) {
        return Mono.justOrEmpty(TenantScope.parse(template))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Template")))
                .flatMap(templateId -> templateStore.version(templateId, version))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Template version")));
    }

    private Mono<BatchStore.Job> job(String jobId) {
        return Mono.justOrEmpty(TenantScope.parse(jobId))
                .flatMap(store::job)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Batch job")));
    }

    private Mono<BatchJobView> view(BatchStore.Job job) {
        return store.counts(job.id()).map(counts -> {
            BatchJobView summary = summary(job);
            long pending = counts.getOrDefault(BatchItemState.PENDING, 0L) + counts.getOrDefault(BatchItemState.RUNNING, 0L);
            return new BatchJobView(summary.id(), summary.kind(), summary.state(), summary.total(),
                    counts.getOrDefault(BatchItemState.SUCCEEDED, 0L), counts.getOrDefault(BatchItemState.FAILED, 0L),
                    counts.getOrDefault(BatchItemState.SKIPPED, 0L), pending, summary.template(), summary.version(),
                    summary.fromJob(), summary.target(), summary.grayPercent(), summary.createdBy(),
                    summary.createdAt(), summary.finishedAt());
        });
    }

    private static BatchJobView summary(BatchStore.Job job) {
        BatchJobView.Target target = job.walletId() == null ? null : new BatchJobView.Target(job.walletId(), job.environment());
        return new BatchJobView(job.id(), job.kind(), job.state(), job.total(), 0, 0, 0, 0, job.templateId(),
                job.templateVersion(), job.fromJobId(), target, job.grayPercent(), job.createdBy(), job.createdAt(),
                job.finishedAt());
    }

    private static String checkedKey(String key) {
        if (key == null || key.isBlank()) {
            throw InvalidInputException.of(IDEMPOTENCY_KEY, "required",
                    "send an Idempotency-Key header (e.g. a UUID) so that a retried request cannot create a second job");
        }
        if (key.length() > 200 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw InvalidInputException.of(IDEMPOTENCY_KEY, "format", "1 to 200 visible ASCII characters");
        }
        return key;
    }

    private BatchJobRequest request(JsonNode tree) {
        try {
            return json.treeToValue(tree, BatchJobRequest.class);
        } catch (JacksonException e) {
            throw InvalidInputException.of("body", "shape", "fields of the wrong type: " + e.getOriginalMessage());
        }
    }

    private static BatchJobKind kind(BatchJobRequest request) {
        try {
            return BatchJobKind.valueOf(String.valueOf(request.kind()));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("kind", "enum", "one of APPLY_TEMPLATE, RELEASE, ROLLBACK");
        }
    }

    private static BatchItemState itemState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return BatchItemState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("state", "enum", "one of PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED");
        }
    }
}
