package dev.miniplatform.api.access;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.tenancy.TenantContext;
import dev.miniplatform.infra.tenancy.TenantTransactions;
import dev.miniplatform.model.member.DeveloperAssignment;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * The one way into a tenant's data: resolves the caller's active membership of an open workspace (else 404,
 * exactly as for a tenant that does not exist) and runs the work in one transaction with the tenant set for row-level security.
 */
@Component
public class TenantScope {

    private final TenantRepository tenants;
    private final MembershipRepository memberships;
    private final R2dbcEntityTemplate template;
    private final TenantTransactions transactions;

    TenantScope(TenantRepository tenants, MembershipRepository memberships, R2dbcEntityTemplate template,
                TenantTransactions transactions) {
        this.tenants = tenants;
        this.memberships = memberships;
        this.template = template;
        this.transactions = transactions;
    }

    public <T> Mono<T> run(String tenantId, Function<Access, Mono<T>> work) {
        UUID tenant = parse(tenantId).orElse(null);
        if (tenant == null) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .flatMap(user -> run(tenant, user, work));
    }

    private <T> Mono<T> run(UUID tenant, ConsoleUser user, Function<Access, Mono<T>> work) {
        return transactions.inTransaction(access(tenant, user).flatMap(work))
                .contextWrite(TenantContext.forTenant(tenant, user.userId()));
    }

    private Mono<Access> access(UUID tenantId, ConsoleUser user) {
        return memberships.findByTenantIdAndUserId(tenantId, user.userId())
                .filter(Membership::isActive)
                .zipWhen(membership -> tenants.findById(tenantId).filter(Tenant::isActive))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .flatMap(found -> withAssignments(found.getT2(), user, found.getT1()));
    }

    private Mono<Access> withAssignments(Tenant tenant, ConsoleUser user, Membership membership) {
        if (membership.role() != MemberRole.DEVELOPER) {
            return Mono.just(new Access(tenant, user, membership, Set.of()));
        }
        return template.select(query(where("user_id").is(user.userId())), DeveloperAssignment.class)
                .map(DeveloperAssignment::appId)
                .collect(Collectors.toUnmodifiableSet())
                .map(assigned -> new Access(tenant, user, membership, assigned));
    }

    public static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
