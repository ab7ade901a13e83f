package dev.miniplatform.api.access;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformAuthentication;
import dev.miniplatform.auth.principal.PlatformPrincipal.CiKey;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.auth.principal.PlatformPrincipal.IsvApplication;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.member.DeveloperAssignment;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
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
    private final DelegatedAccess delegations;

    TenantScope(TenantRepository tenants, MembershipRepository memberships, R2dbcEntityTemplate template,
                TenantTransactions transactions, DelegatedAccess delegations) {
        this.tenants = tenants;
        this.memberships = memberships;
        this.template = template;
        this.transactions = transactions;
        this.delegations = delegations;
    }

    /**
     * Like {@link #run(String, Function)}, and also open to an ISV application acting for this merchant under an
     * ACTIVE authorization that grants {@code delegated} (see {@link DelegatedAccess}). Only operations that call this
     * overload are open to ISVs at all; members, invitations, authorizations, audit and ownership never are.
     */
    public <T> Mono<T> run(String tenantId, DelegationScope delegated, Function<Access, Mono<T>> work) {
        return run(tenantId, delegated, null, work);
    }

    /**
     * Like {@link #run(String, DelegationScope, Function)}, and also open to a CI key of this workspace that may do
     * {@code keyAction} (a key of another workspace finds nothing here; one that may not do this is refused with 403).
     * The key's mini programs are the access's assigned ones, so {@link Access#requireVisible} keeps it to them.
     */
    public <T> Mono<T> run(String tenantId, DelegationScope delegated, KeyAction keyAction, Function<Access, Mono<T>> work) {
        UUID tenant = parse(tenantId).orElse(null);
        if (tenant == null) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .ofType(PlatformAuthentication.class)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .flatMap(authentication -> switch (authentication.platformPrincipal()) {
                    case ConsoleUser user -> run(tenant, user, work);
                    case IsvApplication isv -> delegations
                            .authorize(tenant, isv, delegated)
                            .flatMap(delegation -> runDelegated(tenant, delegation, work));
                    case CiKey key -> runAsKey(tenant, key, keyAction, work);
                    default -> Mono.error(new NotFoundException("Tenant"));
                });
    }

    private <T> Mono<T> runAsKey(UUID tenant, CiKey key, KeyAction action, Function<Access, Mono<T>> work) {
        if (!key.workspaceId().equals(tenant)) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        return Access.KeyGrant.current()
                .filter(grant -> grant.keyId().equals(key.keyId()))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .flatMap(grant -> grant.permits(action) ? inTenant(tenant, found -> new Access(found, grant), work)
                        : Mono.error(new ForbiddenException("A CI key can only upload versions and create previews of its "
                        + "mini programs" + (grant.allowSubmit() ? ", and submit their versions for review." : "; this one "
                        + "was not allowed to submit for review either."))));
    }

    private <T> Mono<T> runDelegated(UUID tenant, Access.Delegation delegation, Function<Access, Mono<T>> work) {
        return inTenant(tenant, found -> new Access(found, delegation), work);
    }

    /** For callers that are no member: the open workspace, in a transaction with the tenant set. */
    private <T> Mono<T> inTenant(UUID tenant, Function<Tenant, Access> accessOf, Function<Access, Mono<T>> work) {
        Mono<Access> access = tenants.findById(tenant)
                .filter(Tenant::isActive)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .map(accessOf);
        return transactions.inTransaction(access.flatMap(work))
                .contextWrite(TenantContext.forTenant(tenant, null));
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

    /**
     * The second, narrow door, for a hot read that checks the caller's access itself inside ONE SQL statement
     * (a function that sets the row-level-security settings for its own implicit transaction, e.g. V11's
     * console_mini_program): no transaction and no separate membership queries, so one round trip per request,
     * and access is still read on this request. Callers that are not console users take {@code regular}.
     */
    public <T> Mono<T> read(String tenantId, DelegationScope delegated, BiFunction<UUID, ConsoleUser, Mono<T>> statement,
                            Function<Access, Mono<T>> regular) {
        UUID tenant = parse(tenantId).orElse(null);
        if (tenant == null) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        return CurrentPrincipal.consoleUser()
                .flatMap(user -> statement.apply(tenant, user))
                .switchIfEmpty(Mono.defer(() -> run(tenantId, delegated, regular)));
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
