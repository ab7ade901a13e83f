package dev.miniplatform.api.identity;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.infra.effects.ClaimedEffect;
import dev.miniplatform.infra.effects.EffectHandler;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.MembershipStatus;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Performs {@link IdentitySync#memberChanged}: reads the member's current state in a short transaction of its own
 * tenant, then (transaction closed) makes Keycloak match it: active → in the organization and exactly their role
 * group; blocked → in the organization, no role group; gone → neither. A closed workspace has nothing left to
 * converge (its removal takes the groups with it).
 */
@Component
class MemberConvergence implements EffectHandler {

    private final TenantTransactions transactions;
    private final TenantRepository tenants;
    private final MembershipRepository memberships;
    private final KeycloakAdmin keycloak;

    MemberConvergence(TenantTransactions transactions, TenantRepository tenants, MembershipRepository memberships,
                      KeycloakAdmin keycloak) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.memberships = memberships;
        this.keycloak = keycloak;
    }

    @Override
    public String kind() {
        return IdentitySync.MEMBER;
    }

    private record Wanted(TenantRealmEntry tenant, String role, boolean inOrganization) {

        static Wanted of(Tenant tenant, Optional<Membership> membership) {
            TenantRealmEntry entry = new TenantRealmEntry(tenant.organizationId(), tenant.groupId());
            return membership
                    .map(member -> member.status() == MembershipStatus.ACTIVE
                            ? new Wanted(entry, member.role().name(), true)
                            : new Wanted(entry, null, true))
                    .orElseGet(() -> new Wanted(entry, null, false));
        }
    }

    @Override
    public Mono<Void> perform(ClaimedEffect effect) {
        String userId = effect.text("userId");
        return wanted(effect, userId)
                .flatMap(wanted -> keycloak.syncMembership(wanted.tenant(), userId, wanted.role(), wanted.inOrganization()));
    }

    private Mono<Wanted> wanted(ClaimedEffect effect, String userId) {
        Mono<Wanted> read = tenants.findById(effect.tenantId())
                .filter(Tenant::isActive)
                .flatMap(tenant -> memberships.findByTenantIdAndUserId(effect.tenantId(), userId)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(membership -> Wanted.of(tenant, membership)));
        return transactions.inTransaction(read)
                .contextWrite(TenantContext.forTenant(effect.tenantId(), null));
    }
}
