package dev.miniplatform.api.authorization;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.DelegatedAccess;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.isv.IsvDirectory;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.auth.principal.PlatformPrincipal.IsvApplication;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.isv.Authorization;
import dev.miniplatform.model.isv.AuthorizationRepository;
import dev.miniplatform.model.isv.AuthorizationState;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.validation.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides whether an ISV application's token is honoured on a merchant's workspace, before any of the merchant's
 * data is touched:
 * <ol>
 *     <li>the token's {@code organization} must name this merchant (another merchant → 404, as if absent);</li>
 *     <li>the request the token answers (its {@code nonce}), if still PENDING_CONSENT, is activated by it (see
 *     {@link #activate});</li>
 *     <li>the ISV must hold an ACTIVE authorization there ({@link GrantCache}, PostgreSQL behind it);</li>
 *     <li>the scope the operation needs must be both granted and carried by the token (else 403
 *     insufficient_scope).</li>
 * </ol>
 */
@Component
class Delegations implements DelegatedAccess {

    private static final Logger log = LoggerFactory.getLogger(Delegations.class);

    private final GrantCache cache;
    private final AuthorizationRepository authorizations;
    private final MembershipRepository memberships;
    private final IsvDirectory directory;
    private final TenantTransactions transactions;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;

    Delegations(GrantCache cache, AuthorizationRepository authorizations, MembershipRepository memberships,
                IsvDirectory directory, TenantTransactions transactions, AuditLog audit, Outbox outbox, Clock clock) {
        this.cache = cache;
        this.authorizations = authorizations;
        this.memberships = memberships;
        this.directory = directory;
        this.transactions = transactions;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Mono<Access.Delegation> authorize(UUID merchantId, IsvApplication isv, DelegationScope needed) {
        if (!merchantId.toString().equals(isv.merchantOrganization())) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        UUID consented = consentedRequest(isv);
        return cache.get(isv.clientId(), merchantId, () -> load(merchantId, isv.clientId()))
                .flatMap(grant -> withConsent(grant, merchantId, isv, consented))
                .switchIfEmpty(Mono.defer(() -> activate(merchantId, isv, consented)))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .map(grant -> effective(grant, isv.scopes(), needed))
                .map(grant -> new Access.Delegation(grant.isvTenantId(), grant.isvName(), isv.clientId(),
                        grant.authorizationId(), grant.scopes()));
    }

    /** The request the token's consent answered, or null (no nonce, or not one the platform made). */
    private static UUID consentedRequest(IsvApplication isv) {
        if (isv.consentedRequest() == null) {
            return null;
        }
        try {
            return UUID.fromString(isv.consentedRequest());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A grant already includes the token's consent, or the token answers another request of the same ISV (another
     * service) that it now activates. A token of a request that is not pending (revoked, superseded, withdrawn)
     * activates nothing, and is honoured only as far as the grant goes, as any token of this client and merchant.
     */
    private Mono<Grant> withConsent(Grant grant, UUID merchantId, IsvApplication isv, UUID consented) {
        if (consented == null || grant.includes(consented)) {
            return Mono.just(grant);
        }
        return activate(merchantId, isv, consented)
                .defaultIfEmpty(grant);
    }

    private static Grant effective(Grant grant, Set<String> tokenScopes, DelegationScope needed) {
        Set<String> scopes = new HashSet<>(grant.scopes());
        scopes.retainAll(tokenScopes);
        if (!scopes.contains(needed.scope())) {
            throw new InsufficientScopeException(needed.scope());
        }
        return new Grant(grant.authorizationId(), grant.isvTenantId(), grant.isvName(), Set.copyOf(scopes),
                grant.authorizationIds());
    }

    /** The union of the client's ACTIVE authorizations at the merchant; nothing if the ISV is suspended. */
    private Mono<Grant> load(UUID merchantId, String clientId) {
        Mono<Grant> work = directory.byClient(clientId)
                .filter(IsvDirectory.Entry::active)
                .flatMap(isv -> activeGrant(isv, clientId));
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(merchantId, null));
    }

    private Mono<Grant> activeGrant(IsvDirectory.Entry isv, String clientId) {
        return authorizations.findAllByClientIdAndStateOrderByRequestedAtDesc(clientId, AuthorizationState.ACTIVE)
                .collectList()
                .filter(active -> !active.isEmpty())
                .map(active -> grantOf(isv, active));
    }

    private static Grant grantOf(IsvDirectory.Entry isv, List<Authorization> active) {
        Set<String> scopes = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        active.forEach(authorization -> {
            scopes.addAll(authorization.scopeSet());
            ids.add(authorization.id());
        });
        return new Grant(active.getFirst().id(), isv.tenantId(), isv.name(), Set.copyOf(scopes), ids);
    }

    /**
     * Consent happens in Keycloak, which the platform does not see directly; a token is its proof. Keycloak issues
     * an ISV client a token naming this merchant's organization only after a member of that organization logged in
     * and consented to the client, and the token's {@code nonce} names the platform's request whose authorize URL
     * started that consent (Keycloak keeps it through refreshes, see {@code IsvClients}). The platform activates
     * exactly that request, when
     * <ul>
     *     <li>it is still PENDING_CONSENT, of this merchant (row-level security) and of this ISV client;</li>
     *     <li>the token carries every scope of the request (the consent page listed them all; a token with fewer
     *     answers some other consent);</li>
     *     <li>the consenting user ({@code sub}) is, now, an active owner or master of the merchant (a developer or a
     *     former member cannot grant the merchant's workspace away).</li>
     * </ul>
     * How soon after the request the token was issued does not matter: the request's id exists only from the
     * request on, so no older token can name it, and another request's token names that other request. Older
     * pending requests for the same service are superseded. The change and its {@code authorization.granted} event
     * commit together; then every node's cached grant is dropped, so the next request sees the new union.
     */
    private Mono<Grant> activate(UUID merchantId, IsvApplication isv, UUID consented) {
        if (consented == null) {
            return Mono.empty();
        }
        Mono<Grant> work = directory.byClient(isv.clientId())
                .filter(IsvDirectory.Entry::active)
                .flatMap(entry -> memberships.findByTenantIdAndUserId(merchantId, isv.merchantUserId())
                        .filter(Delegations::mayGrant)
                        .flatMap(member -> pending(consented, merchantId, isv))
                        .flatMap(pending -> grant(merchantId, entry, pending, isv.merchantUserId())));
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(merchantId, isv.merchantUserId()))
                .flatMap(grant -> dropCached(merchantId, isv).thenReturn(grant))
                .onErrorResume(OptimisticLockingFailureException.class, raced -> activatedMeanwhile(merchantId, isv, raced));
    }

    /**
     * A grant only widens here, so a drop that Redis did not take costs at most a cached grant without the new
     * service's scopes for its one-minute life (403 insufficient_scope, never more access): the activation stands
     * and the request goes on. Drops that narrow a grant (revocation, suspension) are queued and retried instead.
     */
    private Mono<Void> dropCached(UUID merchantId, IsvApplication isv) {
        return cache.invalidate(isv.clientId(), merchantId)
                .onErrorResume(failure -> {
                    log.warn("activation at {} committed; dropping the cached grant of {} failed, it ages out: {}",
                            merchantId, isv.clientId(), failure.toString());
                    return Mono.empty();
                });
    }

    /** Two first requests with the same token: one activated the request, the other reads what it did. */
    private Mono<Grant> activatedMeanwhile(UUID merchantId, IsvApplication isv, Exception raced) {
        log.debug("authorization activated concurrently for {} at {}: {}", isv.clientId(), merchantId, raced.toString());
        return load(merchantId, isv.clientId());
    }

    private static boolean mayGrant(Membership member) {
        return member.isActive() && (member.role() == MemberRole.OWNER || member.role() == MemberRole.MASTER);
    }

    private Mono<Authorization> pending(UUID consented, UUID merchantId, IsvApplication isv) {
        return authorizations.findById(consented)
                .filter(request -> request.state() == AuthorizationState.PENDING_CONSENT)
                .filter(request -> request.tenantId().equals(merchantId) && request.clientId().equals(isv.clientId()))
                .filter(request -> isv.scopes().containsAll(request.scopeSet()));
    }

    private Mono<Grant> grant(UUID merchantId, IsvDirectory.Entry isv, Authorization pending, String userId) {
        Instant now = clock.instant();
        Authorization active = pending.consented(userId, now);
        return supersedeOthers(pending, now)
                .then(authorizations.save(active))
                .flatMap(saved -> audit.record(merchantId, "user:" + userId, "authorization.granted", "authorization",
                                saved.id().toString(), Map.of("state", pending.state().name()),
                                Map.of("state", saved.state().name(), "isv", isv.name(), "scopes", saved.scopes()))
                        .then(outbox.append(merchantId, "authorization.granted", event(saved)))
                        .thenReturn(saved))
                .then(activeGrant(isv, pending.clientId()));
    }

    private Mono<Void> supersedeOthers(Authorization chosen, Instant now) {
        return authorizations.findAllByClientIdAndStateOrderByRequestedAtDesc(chosen.clientId(), AuthorizationState.PENDING_CONSENT)
                .filter(other -> !other.id().equals(chosen.id()) && other.serviceId().equals(chosen.serviceId()))
                .concatMap(other -> authorizations.save(other.superseded(now)))
                .then();
    }

    /** The payload of authorization.* events; the relay routes them by {@code isvTenantId}. */
    static Map<String, Object> event(Authorization authorization) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("authorizationId", authorization.id().toString());
        event.put("isvTenantId", authorization.isvTenantId().toString());
        event.put("serviceId", authorization.serviceId().toString());
        event.put("scopes", List.of(authorization.scopes().split(" ")));
        event.put("state", authorization.state().name());
        if (authorization.grantedBy() != null) {
            event.put("grantedBy", authorization.grantedBy());
        }
        return event;
    }
}
