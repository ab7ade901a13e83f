package dev.miniplatform.api.marketplace;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.industry.IndustryRepository;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.isv.IsvApplicationRepository;
import dev.miniplatform.model.isv.IsvService;
import dev.miniplatform.model.isv.IsvServiceRepository;
import dev.miniplatform.model.isv.ServiceAction;
import dev.miniplatform.model.isv.ServiceState;
import dev.miniplatform.model.isv.ServiceType;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.data.r2dbc.convert.R2dbcConverter;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * ISV services: created by an ISV's owner or master (PENDING_APPROVAL), decided by a platform admin through
 * {@link dev.miniplatform.model.isv.ServiceStateMachine}, and listed in the marketplace once APPROVED.
 */
@Service
class Marketplace {

    private final TenantScope scope;
    private final IsvServiceRepository services;
    private final IsvApplicationRepository applications;
    private final IndustryRepository industries;
    private final TenantTransactions transactions;
    private final DatabaseClient database;
    private final AuditLog audit;
    private final Clock clock;
    private final R2dbcConverter converter;

    Marketplace(TenantScope scope, IsvServiceRepository services, IsvApplicationRepository applications,
                   IndustryRepository industries, TenantTransactions transactions, DatabaseClient database,
                   AuditLog audit, Clock clock, R2dbcEntityTemplate template) {
        this.converter = template.getConverter();
        this.scope = scope;
        this.services = services;
        this.applications = applications;
        this.industries = industries;
        this.transactions = transactions;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    private record Draft(ServiceType type, String name, String description, List<String> industries, List<String> scopes) {
    }

    public Mono<ServiceView> create(String isvId, ServiceRequest request) {
        Draft draft = validate(request);
        return scope.run(isvId, access -> requireIsv(access.requireManager())
                .then(knownIndustries(draft.industries()))
                .then(applications.findById(access.tenantId()))
                .switchIfEmpty(Mono.error(() -> new ConflictException(
                        "Register the ISV application (PUT …/isv-application) before creating services.")))
                .flatMap(application -> insert(access, application.name(), draft)));
    }

    public Mono<List<ServiceView>> list(String isvId) {
        return scope.run(isvId, access -> services.findAllByTenantIdOrderByCreatedAtDesc(access.tenantId())
                .map(ServiceView::of)
                .collectList());
    }

    /** Approve or reject; runs in the ISV's tenant context (found through {@code isv_service_tenant}). */
    public Mono<ServiceView> decide(String serviceId, ServiceAction action, String reason, String adminUserId) {
        UUID id = TenantScope.parse(serviceId).orElse(null);
        if (id == null) {
            return Mono.error(new NotFoundException("Service"));
        }
        if (action == ServiceAction.REJECT && (reason == null || reason.isBlank() || reason.length() > 500)) {
            return Mono.error(InvalidInputException.of("reason", "required", "a rejection needs a reason of 1–500 characters"));
        }
        return database.sql("select isv_service_tenant($1) as tenant_id")
                .bind(0, id)
                .map(row -> java.util.Optional.ofNullable(row.get("tenant_id", UUID.class)))
                .one()
                .flatMap(tenant -> tenant.map(Mono::just).orElseGet(() -> Mono.error(new NotFoundException("Service"))))
                .flatMap(tenant -> transactions.inTransaction(services.findById(id)
                                .switchIfEmpty(Mono.error(() -> new NotFoundException("Service")))
                                .flatMap(service -> apply(service, action, reason, adminUserId)))
                        .contextWrite(TenantContext.forTenant(tenant, adminUserId)));
    }

    private Mono<ServiceView> apply(IsvService service, ServiceAction action, String reason, String adminUserId) {
        IsvService decided = service.apply(action, action == ServiceAction.REJECT ? reason.strip() : null, clock.instant());
        return services.save(decided)
                .flatMap(saved -> audit.record(saved.tenantId(), "user:" + adminUserId, "service." + action.name().toLowerCase(),
                                "service", saved.id().toString(), Map.of("state", service.state().name()),
                                reason == null ? Map.of("state", saved.state().name())
                                        : Map.of("state", saved.state().name(), "reason", reason))
                        .thenReturn(ServiceView.of(saved)));
    }

    /** A platform admin's queue: services of every ISV in one state (default PENDING_APPROVAL), oldest first. */
    public Mono<List<ServiceView>> inState(String state, PageParams params) {
        ServiceState parsed;
        try {
            parsed = state == null ? ServiceState.PENDING_APPROVAL : ServiceState.valueOf(state);
        } catch (IllegalArgumentException e) {
            return Mono.error(InvalidInputException.of("state", "enum", "one of PENDING_APPROVAL, APPROVED, REJECTED"));
        }
        return database.sql("select * from isv_services_in_state($1, $2, $3)")
                .bind(0, parsed.name())
                .bind(1, params.size())
                .bind(2, params.page() * params.size())
                .map((row, metadata) -> converter.read(IsvService.class, row, metadata))
                .all()
                .map(ServiceView::of)
                .collectList();
    }

    /**
     * The marketplace: APPROVED services only (row-level security shows exactly those outside the owning ISV's
     * tenant, and the query asks for them too), newest first.
     */
    public Mono<Page<ServiceView>> marketplace(String type, String industry, String q, PageParams params) {
        ServiceType parsedType = type == null || type.isBlank() ? null : parseType(type);
        StringBuilder where = new StringBuilder("where state = 'APPROVED'");
        List<Object> binds = new ArrayList<>();
        if (parsedType != null) {
            binds.add(parsedType.name());
            where.append(" and type = $").append(binds.size());
        }
        if (industry != null && !industry.isBlank()) {
            binds.add(industry.strip());
            where.append(" and $").append(binds.size()).append(" = any(string_to_array(industries, ' '))");
        }
        if (q != null && !q.isBlank()) {
            binds.add("%" + q.strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.append(" and (lower(name) like $").append(binds.size()).append(" or lower(description) like $")
                    .append(binds.size()).append(" or lower(isv_name) like $").append(binds.size()).append(")");
        }
        String filter = where.toString();
        Mono<Long> total = bind(database.sql("select count(*) as total from isv_services " + filter), binds)
                .map(row -> row.get("total", Long.class))
                .one();
        Flux<UUID> ids = bind(database.sql("select id from isv_services " + filter
                + " order by created_at desc, id limit " + params.size() + " offset " + ((long) params.page() * params.size())), binds)
                .map(row -> row.get("id", UUID.class))
                .all();
        Mono<Page<ServiceView>> page = ids.concatMap(services::findById)
                .map(ServiceView::of)
                .collectList()
                .zipWith(total, (items, count) -> Page.of(items, params, count));
        return transactions.inTransaction(page);
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, List<Object> binds) {
        DatabaseClient.GenericExecuteSpec bound = spec;
        for (int i = 0; i < binds.size(); i++) {
            bound = bound.bind(i, binds.get(i));
        }
        return bound;
    }

    private Mono<ServiceView> insert(Access access, String isvName, Draft draft) {
        Instant now = clock.instant();
        IsvService service = new IsvService(access.tenantId(), UUID.randomUUID(), isvName, draft.type(), draft.name(),
                draft.description(), String.join(" ", draft.industries()), String.join(" ", draft.scopes()),
                ServiceState.PENDING_APPROVAL, null, now, now, null);
        return services.save(service)
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "service.created", "service",
                                saved.id().toString(), Map.of(), Map.of("name", saved.name(), "scopes", saved.scopes()))
                        .thenReturn(ServiceView.of(saved)));
    }

    private static Mono<Void> requireIsv(Access access) {
        if (access.tenant().kind() != TenantKind.ISV) {
            return Mono.error(new ConflictException("Only an ISV workspace offers services; this one is a "
                    + access.tenant().kind() + " workspace."));
        }
        return Mono.empty();
    }

    private Mono<Void> knownIndustries(List<String> codes) {
        return Flux.fromIterable(codes)
                .concatMap(code -> industries.existsById(code).filter(exists -> !exists).map(missing -> code))
                .collectList()
                .flatMap(unknown -> unknown.isEmpty() ? Mono.<Void>empty()
                        : Mono.error(InvalidInputException.of("industries", "unknown",
                        "not in the industry catalog: " + String.join(", ", unknown))));
    }

    private static ServiceType parseType(String type) {
        try {
            return ServiceType.valueOf(type.strip());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("type", "enum", "must be DEVELOPMENT or TEMPLATE");
        }
    }

    private static Draft validate(ServiceRequest request) {
        Validation validation = new Validation();
        ServiceType type = null;
        if (request.type() == null) {
            validation.reject("type", "required", "must be DEVELOPMENT or TEMPLATE");
        } else {
            try {
                type = ServiceType.valueOf(request.type());
            } catch (IllegalArgumentException e) {
                validation.reject("type", "enum", "must be DEVELOPMENT or TEMPLATE");
            }
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.length() < 3 || name.length() > 60) {
            validation.reject("name", "length", "must be 3–60 characters");
        }
        String description = request.description() == null ? "" : request.description().strip();
        if (description.length() < 10 || description.length() > 500) {
            validation.reject("description", "length", "must be 10–500 characters");
        }
        List<String> industryCodes = request.industries() == null ? List.of() : request.industries().stream().distinct().toList();
        if (industryCodes.isEmpty() || industryCodes.size() > 10 || industryCodes.stream().anyMatch(c -> c == null || c.isBlank() || c.contains(" "))) {
            validation.reject("industries", "size", "must list 1–10 industry catalog codes");
        }
        List<String> scopes = request.scopes() == null ? List.of() : request.scopes().stream().distinct().toList();
        if (scopes.isEmpty()) {
            validation.reject("scopes", "required", "must name at least one scope");
        }
        for (int i = 0; i < scopes.size(); i++) {
            if (scopes.get(i) == null || DelegationScope.of(scopes.get(i)).isEmpty()) {
                validation.reject("scopes[" + i + "]", "unknown", "must be one of miniprogram:read, miniprogram:write, "
                        + "miniprogram:release, template:apply");
            }
        }
        validation.throwIfInvalid();
        return new Draft(type, name, description, industryCodes, scopes);
    }
}
