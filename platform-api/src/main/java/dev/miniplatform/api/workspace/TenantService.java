package dev.miniplatform.api.workspace;

import dev.miniplatform.api.change.MiniProgramChanged;
import dev.miniplatform.api.change.MiniProgramChanges;
import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.cikey.CiKeyService;
import dev.miniplatform.api.identity.IdentitySync;
import dev.miniplatform.api.ops.RequestIdFilter;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.MembershipStatus;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sign-up and "my workspaces". A sign-up needs its Keycloak organization before it can answer (the tenant row records
 * where it lives in Keycloak, and the owner's next token must carry it), so it is recorded in Keycloak first, outside
 * any transaction (fast 503 when Keycloak is down, see {@code KeycloakAdmin}), and then in PostgreSQL in one
 * transaction; if the database part fails, the Keycloak part is removed again (and, if Keycloak refuses that too,
 * the removal is queued), so no half-created workspace remains on either side. Ownership transfer and closing
 * change the database and queue the Keycloak side ({@link IdentitySync}).
 */
@Service
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final MembershipRepository memberships;
    private final TenantTransactions transactions;
    private final KeycloakAdmin keycloak;
    private final IdentitySync identity;
    private final TenantScope scope;
    private final AuditLog audit;
    private final Clock clock;
    private final WorkspaceQuota quota;
    private final MiniProgramChanges changes;

    private final CiKeyService ciKeys;

    TenantService(TenantRepository tenants, MembershipRepository memberships, TenantTransactions transactions,
                  KeycloakAdmin keycloak, IdentitySync identity, TenantScope scope, AuditLog audit, Clock clock,
                  WorkspaceQuota quota, MiniProgramChanges changes, CiKeyService ciKeys) {
        this.quota = quota;
        this.ciKeys = ciKeys;
        this.changes = changes;
        this.scope = scope;
        this.identity = identity;
        this.audit = audit;
        this.tenants = tenants;
        this.memberships = memberships;
        this.transactions = transactions;
        this.keycloak = keycloak;
        this.clock = clock;
    }

    public Mono<TenantView> create(ConsoleUser owner, CreateTenantRequest request) {
        return Mono.fromCallable(() -> validate(request, owner))
                .flatMap(tenant -> quota.precheck(owner).thenReturn(tenant))
                .flatMap(tenant -> registerInKeycloak(tenant, owner))
                .flatMap(registered -> persist(registered, owner));
    }

    /** The owner hands the workspace to an active master and becomes a master. */
    public Mono<TenantView> transferOwnership(String tenantId, OwnershipTransfer request) {
        return scope.run(tenantId, access -> newOwner(access.requireOwner(), request)
                .flatMap(master -> transfer(access, master)));
    }

    /**
     * The owner closes the workspace: nobody can enter it afterwards; its records and audit log are kept, while the
     * bytes it stored (packages, logos) are deleted in this transaction (V27), so closing frees its storage; its CI
     * keys are revoked with it (their Keycloak clients deleted after the commit).
     */
    public Mono<Void> close(String tenantId) {
        return scope.run(tenantId, access -> tenants.save(access.requireOwner().tenant().closed())
                .then(changes.inTransaction(MiniProgramChanged.workspaceClosed()))
                .then(ciKeys.revokeAll(access))
                .then(audit.record(access.tenantId(), access.actor(), "tenant.closed", "tenant",
                        access.tenantId().toString(), Map.of("status", "ACTIVE"), Map.of("status", "CLOSED")))
                .then(identity.workspaceGone(access.tenantId(), access.realmEntry())));
    }

    public Flux<TenantView> listFor(ConsoleUser user) {
        return transactions.inTransaction(activeTenantsOf(user.userId()))
                .contextWrite(TenantContext.forUser(user.userId()));
    }

    private Tenant validate(CreateTenantRequest request, ConsoleUser owner) {
        Validation validation = new Validation();
        TenantKind kind = parseKind(request.kind(), validation);
        TenantName name = validation.attempt(() -> new TenantName(request.name()));
        validation.throwIfInvalid();
        return Tenant.create(kind, name, owner.userId(), clock.instant());
    }

    private static TenantKind parseKind(String kind, Validation validation) {
        if (kind == null || kind.isBlank()) {
            validation.reject("kind", "required", "must be one of " + Arrays.toString(TenantKind.values()));
            return null;
        }
        try {
            return TenantKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            validation.reject("kind", "enum", "must be one of " + Arrays.toString(TenantKind.values()));
            return null;
        }
    }

    private record Registered(Tenant tenant, TenantRealmEntry realmEntry) {
    }

    private Mono<Registered> registerInKeycloak(Tenant tenant, ConsoleUser owner) {
        return keycloak.registerTenant(tenant.id().toString(), tenant.name(), owner.userId(), MemberRole.OWNER.name())
                .map(entry -> new Registered(tenant.inRealm(entry.organizationId(), entry.groupId()), entry));
    }

    private Mono<TenantView> persist(Registered registered, ConsoleUser owner) {
        Tenant tenant = registered.tenant();
        Membership membership = Membership.owner(tenant, owner.userId());
        // sequential on purpose: all statements share the transaction's connection, and the FK needs the tenant first;
        // the quota counts the person's workspaces before the transaction enters the new tenant
        Mono<TenantView> save = quota.reserve(owner)
                .then(transactions.enterTenant(tenant.id()))
                .then(tenants.save(tenant))
                .flatMap(saved -> memberships.save(membership)
                        .map(owned -> TenantView.of(saved, owned)));
        return transactions.inTransaction(save)
                .contextWrite(TenantContext.forUser(owner.userId()))
                .onErrorResume(e -> undoRegistration(registered).then(Mono.error(e)));
    }

    /** The database refused the sign-up: take it out of Keycloak now, or queue that if Keycloak refuses too. */
    private Mono<Void> undoRegistration(Registered registered) {
        UUID tenantId = registered.tenant().id();
        return keycloak.removeTenant(registered.realmEntry())
                .onErrorResume(e -> transactions.inTransaction(identity.workspaceGone(tenantId, registered.realmEntry()))
                        .contextWrite(TenantContext.forTenant(tenantId, null)))
                .onErrorResume(e -> RequestIdFilter.logged(() -> log.error(
                        "Sign-up of tenant {} failed and its Keycloak organization {} could not be removed: {}",
                        tenantId, registered.realmEntry().organizationId(), e.toString())));
    }

    private Flux<TenantView> activeTenantsOf(String userId) {
        return memberships.findByUserId(userId)
                .filter(membership -> membership.status() == MembershipStatus.ACTIVE)
                .collectMap(Membership::tenantId, Function.identity())
                .flatMapMany(this::withTenants);
    }

    private Mono<Membership> newOwner(Access access, OwnershipTransfer request) {
        if (request.userId() == null || request.userId().isBlank()) {
            return Mono.error(InvalidInputException.of("userId", "required",
                    "name the master who becomes the owner"));
        }
        return memberships.findByTenantIdAndUserId(access.tenantId(), request.userId())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Member")))
                .filter(member -> member.role() == MemberRole.MASTER && member.isActive())
                .switchIfEmpty(Mono.error(() -> new ConflictException("Ownership can only go to an active master.")));
    }

    private Mono<TenantView> transfer(Access access, Membership master) {
        Membership formerOwner = access.membership();
        return memberships.save(formerOwner.withRole(MemberRole.MASTER))
                .then(memberships.save(master.withRole(MemberRole.OWNER)))
                .then(identity.memberChanged(access.tenantId(), formerOwner.userId()))
                .then(identity.memberChanged(access.tenantId(), master.userId()))
                .then(audit.record(access.tenantId(), access.actor(), "tenant.ownership-transferred", "tenant",
                        access.tenantId().toString(), Map.of("owner", formerOwner.userId()), Map.of("owner", master.userId())))
                .thenReturn(new TenantView(access.tenantId(), access.tenant().kind(), access.tenant().name(),
                        MemberRole.MASTER, access.tenant().createdAt()));
    }

    private Flux<TenantView> withTenants(Map<UUID, Membership> byTenant) {
        return tenants.findAllById(byTenant.keySet())
                .filter(Tenant::isActive)
                .map(tenant -> TenantView.of(tenant, byTenant.get(tenant.id())))
                .sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    }
}
