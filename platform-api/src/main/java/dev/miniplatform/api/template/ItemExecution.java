package dev.miniplatform.api.template;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.ForbiddenException;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.miniprogram.MiniProgramRequest;
import dev.miniplatform.api.miniprogram.MiniProgramService;
import dev.miniplatform.api.release.ReleaseService;
import dev.miniplatform.api.release.VersionService;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.CheckBudget;
import dev.miniplatform.model.release.IllegalTransitionException;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One item of a job, for one merchant, in ONE transaction in the merchant's tenant (row-level security keyed by the
 * merchant, as for an ISV's delegated request):
 * <ol>
 *     <li>the merchant's tenant row is locked, so items of one merchant (from any job, on any node) take turns;</li>
 *     <li>the ISV must hold an ACTIVE authorization there granting {@code template:apply}, and for RELEASE and
 *     ROLLBACK also {@code miniprogram:release} (read under a share lock: a revocation waits for this item and every
 *     later item sees it), else the item fails with that reason — never the job;</li>
 *     <li>the work runs with an {@link Access} carrying that delegation, so audit entries read
 *     "isv:… on behalf of merchant …" and the mini program belongs to the merchant.</li>
 * </ol>
 * The item's result is written at the end of the same transaction (which then acts in the ISV's tenant), so effect
 * and result commit together. Execution is idempotent besides: a merchant has at most one mini program per template
 * ({@code template_instances}, V20), which also records the job item that last wrote it, so a second run of an item
 * finds its own effect and reports it instead of repeating it.
 */
@Component
class ItemExecution {

    static final String NO_GRANT = "no ACTIVE authorization of this ISV at the merchant";

    private final TenantTransactions transactions;
    private final TenantRepository tenants;
    private final DatabaseClient database;
    private final MiniProgramService miniPrograms;
    private final VersionService versions;
    private final ReleaseService releases;
    private final AuditLog audit;
    private final JsonMapper json;
    private final BatchStore store;
    private final TemplateProperties properties;
    private final Clock clock;

    ItemExecution(TenantTransactions transactions, TenantRepository tenants, DatabaseClient database,
                  MiniProgramService miniPrograms, VersionService versions, ReleaseService releases, AuditLog audit,
                  JsonMapper json, BatchStore store, TemplateProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.transactions = transactions;
        this.tenants = tenants;
        this.database = database;
        this.miniPrograms = miniPrograms;
        this.versions = versions;
        this.releases = releases;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** What an APPLY_TEMPLATE item carries. */
    record Payload(JsonNode extConfig, MiniProgramRequest miniProgram) {
    }

    /** The merchant's existing instance of the template. */
    private record Instance(String appId, String templateVersion, String extConfig, UUID jobId, Integer itemSeq) {
    }

    /**
     * @return the outcome; an error only for failures that say nothing about the item (the database went away):
     * the item is then left to its lease and claimed again
     */
    Mono<ItemOutcome> execute(JobPlan plan, BatchStore.Claimed item, BatchStore.ItemWork work) {
        Mono<ItemOutcome> inMerchant = lockedMerchant(item.merchantId())
                .flatMap(merchant -> delegated(plan, merchant))
                .flatMap(access -> switch (plan.kind()) {
                    case APPLY_TEMPLATE -> apply(plan, item, work, access);
                    case RELEASE -> release(plan, work, access);
                    case ROLLBACK -> rollback(plan, work, access);
                })
                .flatMap(outcome -> recordedWithEffect(plan, item, outcome));
        return transactions.inTransaction(inMerchant)
                .contextWrite(TenantContext.forTenant(item.merchantId(), null))
                .onErrorResume(ItemExecution::itemFailure, failure -> Mono.just(ItemOutcome.failed(reason(failure))))
                .onErrorResume(NoGrant.class, failure -> Mono.just(ItemOutcome.failed(failure.getMessage())));
    }

    /** The result, written in this same transaction after the merchant's part: the transaction now acts in the ISV's tenant. */
    private Mono<ItemOutcome> recordedWithEffect(JobPlan plan, BatchStore.Claimed item, ItemOutcome outcome) {
        return transactions.enterTenant(plan.isvId())
                .then(store.finish(item.jobId(), item.seq(), outcome.state(), outcome.appId(), outcome.version(),
                        outcome.reason(), clock.instant()))
                .thenReturn(outcome.asRecorded());
    }

    /**
     * Locks the merchant's tenant row. Also: this transaction commits without waiting for the WAL flush — the item's
     * effect and its result commit together, so a commit the database loses in a crash loses both, and the item
     * (claimed durably, its lease running out) simply runs again (decision 135).
     */
    private Mono<Tenant> lockedMerchant(UUID merchantId) {
        return database.sql("select set_config('synchronous_commit', 'off', true), t.id from tenants t where t.id = $1 for update")
                .bind(0, merchantId)
                .fetch()
                .all()
                .then(tenants.findById(merchantId))
                .filter(Tenant::isActive)
                .switchIfEmpty(Mono.error(() -> new NoGrant(NO_GRANT)));
    }

    /** The ISV's ACTIVE authorizations at the merchant (and the ISV not suspended), as a delegated Access. */
    private Mono<Access> delegated(JobPlan plan, Tenant merchant) {
        return database.sql("""
                        select a.id, a.scopes from authorizations a
                        where a.isv_tenant_id = $1 and a.state = 'ACTIVE'
                          and exists (select 1 from isv_directory($1, null) d where d.tenant_id = $1 and d.status = 'ACTIVE')
                        order by a.granted_at desc
                        for share of a""")
                .bind(0, plan.isvId())
                .map(row -> Map.entry(row.get("id", UUID.class), row.get("scopes", String.class)))
                .all()
                .collectList()
                .flatMap(grants -> {
                    if (grants.isEmpty()) {
                        return Mono.error(new NoGrant(NO_GRANT));
                    }
                    Set<String> scopes = grants.stream()
                            .flatMap(grant -> List.of(grant.getValue().split(" ")).stream())
                            .collect(Collectors.toCollection(HashSet::new));
                    String missing = missingScope(plan.kind(), scopes);
                    if (missing != null) {
                        return Mono.error(new NoGrant("the merchant's authorization does not grant " + missing));
                    }
                    Access.Delegation delegation = new Access.Delegation(plan.isvId(), plan.isvName(), plan.clientId(),
                            grants.getFirst().getKey(), Set.copyOf(scopes));
                    return Mono.just(new Access(merchant, delegation));
                });
    }

    /**
     * Every item acts under {@code template:apply}; RELEASE and ROLLBACK put a version live, so they also need
     * {@code miniprogram:release}, as the same operations outside batches do. There is no ISV token in a batch: the
     * job was started in the ISV's console, so the merchant's grant alone bounds what an item may do.
     */
    private static String missingScope(BatchJobKind kind, Set<String> granted) {
        List<DelegationScope> needed = switch (kind) {
            case APPLY_TEMPLATE -> List.of(DelegationScope.TEMPLATE_APPLY);
            case RELEASE, ROLLBACK -> List.of(DelegationScope.TEMPLATE_APPLY, DelegationScope.MINIPROGRAM_RELEASE);
        };
        return needed.stream()
                .map(DelegationScope::scope)
                .filter(scope -> !granted.contains(scope))
                .findFirst()
                .orElse(null);
    }

    private Mono<ItemOutcome> apply(JobPlan plan, BatchStore.Claimed item, BatchStore.ItemWork work, Access access) {
        Payload payload = json.readValue(work.payload(), Payload.class);
        // checked when the job was created; again here, since this is what lets the version skip its review
        return Mono.fromCallable(() -> plan.schema().check("extConfig", payload.extConfig(),
                        CheckBudget.of(properties.checkBudget())))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(errors -> errors.isEmpty() ? createOrUpdate(plan, item, access, payload)
                        : Mono.just(ItemOutcome.failed("the ext config does not match the template version's schema: "
                        + errors.stream().map(error -> error.field() + " (" + error.code() + ")").collect(Collectors.joining(", ")))));
    }

    private Mono<ItemOutcome> createOrUpdate(JobPlan plan, BatchStore.Claimed item, Access access, Payload payload) {
        String extConfig = json.writeValueAsString(payload.extConfig());
        return instance(plan.templateId())
                .flatMap(existing -> update(plan, item, access, payload, extConfig, existing))
                .switchIfEmpty(Mono.defer(() -> create(plan, item, access, payload, extConfig)));
    }

    private Mono<ItemOutcome> create(JobPlan plan, BatchStore.Claimed item, Access access, Payload payload, String extConfig) {
        return miniPrograms.createInTransaction(access, payload.miniProgram())
                .flatMap(created -> build(plan, access, created.appId(), extConfig)
                        .then(database.sql("""
                                        insert into template_instances (tenant_id, template_id, isv_tenant_id, app_id,
                                            template_version, ext_config, job_id, item_seq, created_at, updated_at)
                                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)""")
                                .bind(0, access.tenantId())
                                .bind(1, plan.templateId())
                                .bind(2, plan.isvId())
                                .bind(3, created.appId())
                                .bind(4, plan.version().toString())
                                .bind(5, extConfig)
                                .bind(6, item.jobId())
                                .bind(7, item.seq())
                                .bind(8, clock.instant())
                                .then())
                        .then(applied(plan, access, created.appId(), item, null))
                        .thenReturn(ItemOutcome.succeeded(created.appId(), plan.version().toString(), false)));
    }

    private Mono<ItemOutcome> update(JobPlan plan, BatchStore.Claimed item, Access access, Payload payload,
                                     String extConfig, Instance existing) {
        String version = plan.version().toString();
        if (item.jobId().equals(existing.jobId()) && Integer.valueOf(item.seq()).equals(existing.itemSeq())) {
            // this very item committed before its node died: report what it did
            return Mono.just(ItemOutcome.succeeded(existing.appId(), existing.templateVersion(), false));
        }
        if (existing.templateVersion().equals(version)) {
            return Mono.just(existing.extConfig().equals(extConfig)
                    ? ItemOutcome.skipped(existing.appId(), version, "already built from template version " + version
                    + " with this ext config")
                    : ItemOutcome.failed("the mini program %s is already built from template version %s with another ext config; apply a newer template version to change it"
                    .formatted(existing.appId(), version)));
        }
        return miniPrograms.replaceInTransaction(access, existing.appId(), payload.miniProgram())
                .then(build(plan, access, existing.appId(), extConfig))
                .then(database.sql("""
                                update template_instances set template_version = $1, ext_config = $2, job_id = $3,
                                    item_seq = $4, updated_at = $5
                                where template_id = $6""")
                        .bind(0, version)
                        .bind(1, extConfig)
                        .bind(2, item.jobId())
                        .bind(3, item.seq())
                        .bind(4, clock.instant())
                        .bind(5, plan.templateId())
                        .then())
                .then(applied(plan, access, existing.appId(), item, existing.templateVersion()))
                .thenReturn(ItemOutcome.succeeded(existing.appId(), version, true));
    }

    private Mono<Void> build(JobPlan plan, Access access, String appId, String extConfig) {
        return versions.storeFromTemplate(access, appId, plan.version(), plan.description(), plan.sha256(),
                plan.packageBytes(), new VersionService.TemplateSource(plan.isvId(), plan.templateId(),
                        plan.version().toString(), extConfig)).then();
    }

    private Mono<Void> applied(JobPlan plan, Access access, String appId, BatchStore.Claimed item, String before) {
        return audit.record(access.tenantId(), access.actor(), "template.applied", "mini-program", appId,
                before == null ? null : Map.of("templateVersion", before),
                Map.of("template", plan.templateId().toString(), "templateVersion", plan.version().toString(),
                        "job", item.jobId().toString(), "item", item.seq()));
    }

    private Mono<Instance> instance(UUID templateId) {
        return database.sql("""
                        select app_id, template_version, ext_config, job_id, item_seq from template_instances
                        where template_id = $1 for update""")
                .bind(0, templateId)
                .map(row -> new Instance(row.get("app_id", String.class), row.get("template_version", String.class),
                        row.get("ext_config", String.class), row.get("job_id", UUID.class), row.get("item_seq", Integer.class)))
                .one();
    }

    /** RELEASE and ROLLBACK act only on a mini program that is still this ISV's template instance. */
    private Mono<Void> requireInstance(JobPlan plan, String appId) {
        return database.sql("select 1 as found from template_instances where app_id = $1 and isv_tenant_id = $2")
                .bind(0, appId)
                .bind(1, plan.isvId())
                .fetch()
                .first()
                .switchIfEmpty(Mono.error(() -> new NoGrant(
                        "the mini program %s is no longer an instance of this ISV's template".formatted(appId))))
                .then();
    }

    private Mono<ItemOutcome> release(JobPlan plan, BatchStore.ItemWork work, Access access) {
        return requireInstance(plan, work.appId())
                .then(releases.submitAndRelease(access, work.appId(), work.version(), plan.walletId(), plan.environment(),
                        plan.grayPercent()))
                .map(view -> ItemOutcome.succeeded(work.appId(), work.version(), true))
                .defaultIfEmpty(ItemOutcome.skipped(work.appId(), work.version(), "already fully released on this target"));
    }

    private Mono<ItemOutcome> rollback(JobPlan plan, BatchStore.ItemWork work, Access access) {
        return requireInstance(plan, work.appId())
                .then(releases.rollbackInTransaction(access, work.appId(), work.version(), plan.walletId(), plan.environment()))
                .map(view -> ItemOutcome.succeeded(work.appId(), work.version(), true));
    }

    /** Failures that are the item's own (its merchant, its data, its state): the item fails, the job goes on. */
    private static boolean itemFailure(Throwable failure) {
        return failure instanceof ConflictException || failure instanceof IllegalTransitionException
                || failure instanceof InvalidInputException || failure instanceof NotFoundException
                || failure instanceof ForbiddenException || failure instanceof DataIntegrityViolationException;
    }

    private static String reason(Throwable failure) {
        if (failure instanceof InvalidInputException invalid) {
            return "invalid: " + invalid.errors().stream()
                    .map(error -> error.field() + " (" + error.code() + ")")
                    .collect(Collectors.joining(", "));
        }
        if (failure instanceof DataIntegrityViolationException) {
            return "refused by the database: " + failure.getClass().getSimpleName();
        }
        return failure.getMessage();
    }

    /** The item cannot act for the merchant: it fails with this reason, the transaction rolls back. */
    static final class NoGrant extends RuntimeException {

        NoGrant(String reason) {
            super(reason, null, false, false);
        }
    }
}
