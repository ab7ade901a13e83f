package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.industry.SelectableIndustries;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.change.MiniProgramChanged;
import dev.miniplatform.api.change.MiniProgramChanges;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.api.workspace.Quotas;
import dev.miniplatform.model.miniprogram.Logo;
import dev.miniplatform.model.miniprogram.MiniProgram;
import dev.miniplatform.model.miniprogram.MiniProgramLocalization;
import dev.miniplatform.model.miniprogram.MiniProgramRepository;
import dev.miniplatform.model.miniprogram.StoredLogo;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Mini programs of a workspace. Every method enters through {@link TenantScope}, so the caller's membership and
 * role are checked on this request and row-level security confines the SQL to the tenant.
 */
@Service
public class MiniProgramService {

    private static final String TARGET = "mini-program";

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final MiniProgramRepository programs;
    private final SelectableIndustries industries;
    private final R2dbcEntityTemplate template;
    private final DatabaseClient database;
    private final AuditLog audit;
    private final Clock clock;
    private final MiniProgramChanges changes;
    private final ConsoleMiniProgramRead consoleRead;
    private final ConsoleReadCache consoleCache;
    private final Quotas quotas;

    MiniProgramService(TenantScope scope, MiniProgramLookup lookup, MiniProgramRepository programs, SelectableIndustries industries,
                       R2dbcEntityTemplate template, DatabaseClient database, AuditLog audit,
                       Clock clock, MiniProgramChanges changes,
                       ConsoleMiniProgramRead consoleRead,
                       ConsoleReadCache consoleCache, Quotas quotas) {
        this.changes = changes;
        this.consoleRead = consoleRead;
        this.consoleCache = consoleCache;
        this.quotas = quotas;
        this.scope = scope;
        this.lookup = lookup;
        this.programs = programs;
        this.industries = industries;
        this.template = template;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    public Mono<MiniProgramView> create(String tenantId, MiniProgramRequest request) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> validated(request, null)
                .flatMap(draft -> insert(access.requireManager(), draft)));
    }

    public Mono<Page<MiniProgramView>> list(String tenantId, PageParams params) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> page(access, params));
    }

    /**
     * The console's hottest read, as the JSON it answers: one SQL round trip that also checks access (see
     * {@link ConsoleMiniProgramRead}), or none while the tenant's epoch in Redis says nothing changed since this node read
     * it ({@link ConsoleReadCache}). ISV applications take the regular path.
     */
    Mono<byte[]> getJson(String tenantId, String appId) {
        return scope.read(tenantId, DelegationScope.MINIPROGRAM_READ,
                (tenant, user) -> consoleCache.find(tenant, user.userId(), appId,
                        () -> consoleRead.find(tenant, user.userId(), appId)),
                access -> lookup.visible(access, appId).flatMap(this::view).map(consoleCache::serialized));
    }

    public Mono<MiniProgramView> update(String tenantId, String appId, MiniProgramRequest request) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                        .flatMap(current -> modify(access, current, request))
                        .flatMap(view -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(view)))
                .flatMap(view -> changes.committed(MiniProgramChanged.modified(appId)).thenReturn(view));
    }

    public Mono<Void> delete(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                        .flatMap(current -> changes.inTransaction(MiniProgramChanged.removed(appId))
                                .then(remove(access.requireManager(), current))))
                .then(Mono.defer(() -> changes.committed(MiniProgramChanged.removed(appId))));
    }

    /**
     * Checked before the logo is read, in a transaction that ends before the body arrives, so nobody without
     * access makes the platform read one and a slow client holds no connection; {@link #putLogo} checks again.
     */
    public Mono<Void> checkLogoAllowed(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId).then());
    }

    public Mono<MiniProgramView> putLogo(String tenantId, String appId, byte[] bytes) {
        Logo logo = Logo.inspect(bytes);
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                        .flatMap(current -> storeLogo(access, current, logo, bytes))
                        .flatMap(view -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(view)))
                .flatMap(view -> changes.committed(MiniProgramChanged.modified(appId)).thenReturn(view));
    }

    public Mono<StoredLogo> getLogo(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> lookup.visible(access, appId)
                .filter(program -> program.logoSha256() != null)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Logo")))
                .flatMap(program -> template.selectOne(query(where("sha256").is(program.logoSha256())), StoredLogo.class)));
    }

    /**
     * The field errors of a create request that need no database (everything but whether the industry exists), each
     * under {@code prefix} (none when it is empty): how a batch job checks thousands of merchants' basic information
     * before it starts, and how a start from a sample reports them with its own fields.
     */
    public static List<FieldError> shapeErrors(String prefix, MiniProgramRequest request) {
        Validation validation = new Validation();
        if (request == null) {
            return List.of(new FieldError(prefix, "required", "give the mini program's basic information as on create"));
        }
        MiniProgramDraft.parse(request, validation);
        try {
            validation.throwIfInvalid();
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors().stream()
                    .map(error -> new FieldError(prefix.isEmpty() ? error.field() : prefix + "." + error.field(),
                            error.code(), error.message()))
                    .toList();
        }
    }

    /**
     * Creates a mini program inside a transaction the caller opened in the tenant (a batch job's item, acting as an
     * ISV for the merchant): the same checks, cap, audit entry as {@link #create}.
     */
    public Mono<MiniProgramView> createInTransaction(Access access, MiniProgramRequest request) {
        return validated(request, null).flatMap(draft -> insert(access, draft));
    }

    /** Replaces a mini program's basic information inside the caller's transaction (no revision check: the caller holds the row). */
    public Mono<MiniProgramView> replaceInTransaction(Access access, String appId, MiniProgramRequest request) {
        return lookup.visible(access, appId)
                .flatMap(current -> view(current).flatMap(before -> validated(request, current)
                        .flatMap(draft -> replace(current, draft))
                        .flatMap(after -> audit.record(access.tenantId(), access.actor(), "mini-program.modified", TARGET,
                                after.appId(), before.auditSummary(), after.auditSummary()).thenReturn(after))))
                .flatMap(view -> changes.inTransaction(MiniProgramChanged.modified(appId)).thenReturn(view));
    }

    private Mono<MiniProgramDraft> validated(MiniProgramRequest request, MiniProgram current) {
        Validation validation = new Validation();
        MiniProgramDraft draft = MiniProgramDraft.parse(request, validation);
        if (current != null) {
            draft.checkUnchangedChineseDefault(current.defaultLanguage(), current.releaseTo(), validation);
        }
        if (draft.industry() == null || draft.industry().isBlank()) {
            validation.throwIfInvalid();
            return Mono.just(draft);
        }
        return industries.check("industry", draft.industry(), validation)
                .thenReturn(draft);
    }

    private Mono<MiniProgramView> insert(Access access, MiniProgramDraft draft) {
        Instant now = clock.instant();
        MiniProgram program = new MiniProgram(access.tenantId(), AppIds.next(), draft.defaultLanguage().value(),
                RegionCodes.join(draft.releaseTo()), draft.industry(), draft.servicePhone().value(),
                draft.serviceEmail().value(), null, access.actingUserId(), now, now, null);
        return lockTenantBelowCap(access)
                .then(programs.save(program))
                .flatMap(saved -> saveTexts(saved, draft).then(view(saved)))
                .flatMap(view -> audit.record(access.tenantId(), access.actor(), "mini-program.created", TARGET,
                        view.appId(), null, view.auditSummary()).thenReturn(view));
    }

    /** Serializes creates per tenant (row lock on the tenant), so two parallel creates cannot both pass the cap. */
    private Mono<Void> lockTenantBelowCap(Access access) {
        return database.sql("select id from tenants where id = $1 for update")
                .bind(0, access.tenantId())
                .fetch()
                .all()
                .then(programs.count())
                .flatMap(quotas::requireMiniProgramRoom);
    }

    private Mono<MiniProgramView> modify(Access access, MiniProgram current, MiniProgramRequest request) {
        if (request.revision() == null) {
            return Mono.error(InvalidInputException.of("revision", "required",
                            "send the revision you last read, to avoid overwriting someone else's change"));
        }
        long revision = MiniProgramView.revisionOf(current);
        if (request.revision() != revision) {
            return Mono.error(new ConflictException("The mini program was changed since revision %d; it is now at %d."
                    .formatted(request.revision(), revision)));
        }
        return view(current).flatMap(before -> validated(request, current)
                .flatMap(draft -> replace(current, draft))
                .flatMap(after -> audit.record(access.tenantId(), access.actor(), "mini-program.modified", TARGET,
                        after.appId(), before.auditSummary(), after.auditSummary()).thenReturn(after)));
    }

    private Mono<MiniProgramView> replace(MiniProgram current, MiniProgramDraft draft) {
        MiniProgram changed = new MiniProgram(current.tenantId(), current.appId(), draft.defaultLanguage().value(),
                RegionCodes.join(draft.releaseTo()), draft.industry(), draft.servicePhone().value(),
                draft.serviceEmail().value(), current.logoSha256(), current.createdBy(), current.createdAt(),
                clock.instant(), current.version());
        return programs.save(changed)
                .flatMap(saved -> template.delete(query(where("app_id").is(saved.appId())), MiniProgramLocalization.class)
                        .then(saveTexts(saved, draft))
                        .then(view(saved)));
    }

    private Mono<Void> remove(Access access, MiniProgram current) {
        return view(current).flatMap(before -> programs.delete(current)
                .then(audit.record(access.tenantId(), access.actor(), "mini-program.deleted", TARGET,
                        current.appId(), before.auditSummary(), null)));
    }

    private Mono<MiniProgramView> storeLogo(Access access, MiniProgram current, Logo logo, byte[] bytes) {
        Instant now = clock.instant();
        return logoHeldIfStored(logo)
                .flatMap(held -> held ? Mono.<Void>empty() : insertLogo(access, logo, bytes, now))
                .then(programs.save(current.withLogo(logo.sha256(), now)))
                .flatMap(this::view)
                .flatMap(view -> audit.record(access.tenantId(), access.actor(), "mini-program.logo-changed", TARGET,
                        view.appId(), Map.of("logo", String.valueOf(current.logoSha256())),
                        Map.of("logo", logo.sha256(), "contentType", logo.contentType(), "size", logo.size()))
                        .thenReturn(view));
    }

    /**
     * Whether the tenant has this logo already (another mini program shows it); if so it stays locked until this
     * transaction ends, so that mini program dropping it at the same moment (V27 then deletes it) cannot take it away.
     */
    private Mono<Boolean> logoHeldIfStored(Logo logo) {
        return database.sql("select sha256 from logos where sha256 = $1 for key share")
                .bind(0, logo.sha256())
                .map(row -> row.get("sha256", String.class))
                .all()
                .count()
                .map(found -> found > 0);
    }

    /** A new logo counts against the storage quota, checked before it is written. */
    private Mono<Void> insertLogo(Access access, Logo logo, byte[] bytes, Instant now) {
        return quotas.reserveStorage(access.tenantId(), bytes.length)
                .then(database.sql("""
                                insert into logos (tenant_id, sha256, content_type, width, height, bytes, created_at)
                                values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing""")
                        .bind(0, access.tenantId())
                        .bind(1, logo.sha256())
                        .bind(2, logo.contentType())
                        .bind(3, logo.width())
                        .bind(4, logo.height())
                        .bind(5, ByteBuffer.wrap(bytes))
                        .bind(6, now)
                        .then());
    }

    private Mono<Void> saveTexts(MiniProgram program, MiniProgramDraft draft) {
        return Flux.fromIterable(draft.localizations().entrySet())
                .map(entry -> new MiniProgramLocalization(program.tenantId(), program.appId(), entry.getKey().value(),
                        entry.getValue().name().value(), entry.getValue().tagline().value(),
                        entry.getValue().description().value()))
                .concatMap(template::insert)
                .then();
    }

    private Mono<MiniProgramView> view(MiniProgram program) {
        return texts(List.of(program.appId()))
                .collectList()
                .map(texts -> MiniProgramView.of(program, texts));
    }

    private Flux<MiniProgramLocalization> texts(List<String> appIds) {
        return template.select(query(where("app_id").in(appIds)).sort(Sort.by("language")), MiniProgramLocalization.class);
    }

    private Mono<Page<MiniProgramView>> page(Access access, PageParams params) {
        if (!access.manages() && access.assignedAppIds().isEmpty()) {
            return Mono.just(Page.of(List.of(), params, 0));
        }
        var pageable = params.sortedBy(Sort.by("createdAt", "appId"));
        Flux<MiniProgram> rows = access.manages() ? programs.findAllBy(pageable)
                : programs.findByAppIdIn(access.assignedAppIds(), pageable);
        Mono<Long> total = access.manages() ? programs.count() : programs.countByAppIdIn(access.assignedAppIds());
        return rows.concatMap(this::view)
                .collectList()
                .flatMap(items -> total.map(count -> Page.of(items, params, count)));
    }
}
