package dev.miniplatform.api.tenancy;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.tenancy.TenantContext;
import dev.miniplatform.infra.tenancy.TenantTransactions;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.MembershipStatus;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sign-up and "my workspaces". A sign-up is recorded in Keycloak first (organization, role group, membership)
 * and then in PostgreSQL in one transaction; if the database part fails, the Keycloak part is removed again,
 * so no half-created workspace remains on either side.
 */
@Service
public class TenantService {

    private final TenantRepository tenants;
    private final MembershipRepository memberships;
    private final TenantTransactions transactions;
    private final KeycloakAdmin keycloak;
    private final Clock clock;

    TenantService(TenantRepository tenants, MembershipRepository memberships, TenantTransactions transactions,
                  KeycloakAdmin keycloak, Clock clock) {
        this.tenants = tenants;
        this.memberships = memberships;
        this.transactions = transactions;
        this.keycloak = keycloak;
        this.clock = clock;
    }

    public Mono<TenantView> create(ConsoleUser owner, CreateTenantRequest request) {
        return Mono.fromCallable(() -> validate(request, owner))
                .flatMap(tenant -> registerInKeycloak(tenant, owner))
                .flatMap(registered -> persist(registered, owner));
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
        // sequential on purpose: both statements share the transaction's connection, and the FK needs the tenant first
        Mono<TenantView> save = tenants.save(tenant)
                .flatMap(saved -> memberships.save(membership)
                        .map(owned -> TenantView.of(saved, owned)));
        return transactions.inTransaction(save)
                .contextWrite(TenantContext.forTenant(tenant.id(), owner.userId()))
                .onErrorResume(e -> keycloak.removeTenant(registered.realmEntry()).then(Mono.error(e)));
    }

    private Flux<TenantView> activeTenantsOf(String userId) {
        return memberships.findByUserId(userId)
                .filter(membership -> membership.status() == MembershipStatus.ACTIVE)
                .collectMap(Membership::tenantId, Function.identity())
                .flatMapMany(this::withTenants);
    }

    private Flux<TenantView> withTenants(Map<UUID, Membership> byTenant) {
        return tenants.findAllById(byTenant.keySet())
                .map(tenant -> TenantView.of(tenant, byTenant.get(tenant.id())))
                .sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    }
}
