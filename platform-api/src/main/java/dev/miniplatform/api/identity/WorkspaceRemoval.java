package dev.miniplatform.api.identity;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.infra.effects.ClaimedEffect;
import dev.miniplatform.infra.effects.EffectHandler;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Performs {@link IdentitySync#workspaceGone}: removes the organization and groups of a workspace that is closed or
 * was never committed. Checks first that the workspace really is not active, so a stale request cannot take
 * an open workspace out of Keycloak.
 */
@Component
class WorkspaceRemoval implements EffectHandler {

    private final TenantTransactions transactions;
    private final TenantRepository tenants;
    private final KeycloakAdmin keycloak;

    WorkspaceRemoval(TenantTransactions transactions, TenantRepository tenants, KeycloakAdmin keycloak) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.keycloak = keycloak;
    }

    @Override
    public String kind() {
        return IdentitySync.WORKSPACE;
    }

    @Override
    public Mono<Void> perform(ClaimedEffect effect) {
        String groupId = effect.text("groupId");
        TenantRealmEntry entry = new TenantRealmEntry(effect.text("organizationId"),
                groupId == null || groupId.isEmpty() ? null : groupId);
        return stillActive(effect)
                .flatMap(active -> active ? Mono.<Void>empty() : keycloak.removeTenant(entry));
    }

    private Mono<Boolean> stillActive(ClaimedEffect effect) {
        return transactions.inTransaction(tenants.findById(effect.tenantId()).map(Tenant::isActive))
                .contextWrite(TenantContext.forTenant(effect.tenantId(), null))
                .defaultIfEmpty(false);
    }
}
