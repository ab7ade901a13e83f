package dev.miniplatform.api.isv;

import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.auth.principal.PlatformPrincipal.IsvApplication;
import dev.miniplatform.infra.tenancy.TenantContext;
import dev.miniplatform.infra.tenancy.TenantTransactions;
import dev.miniplatform.model.isv.Authorization;
import dev.miniplatform.model.isv.AuthorizationRepository;
import dev.miniplatform.model.isv.AuthorizationState;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 *     <li>the ISV must hold an ACTIVE authorization there ({@link GrantCache}, PostgreSQL behind it) — if it holds
 *     only a PENDING_CONSENT one, this token is the proof of consent and activates it (see {@link #activate});</li>
 *     <li>the scope the operation needs must be both granted and carried by the token (else 403
 *     insufficient_scope).</li>
 * </ol>
 */
@Component
public class Delegations {

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

    /**
     * @param issuedAt when Keycloak issued the token (activation only accepts tokens issued after the request)
     * @return the grant with the effective scopes (granted ∩ in the token), or an error: 404 or 403
     */
    public Mono<Grant> authorize(UUID merchantId, IsvApplication isv, Instant issuedAt, DelegationScope needed) {
        if (!merchantId.toString().equals(isv.merchantOrganization())) {
            return Mono.error(new NotFoundException("Tenant"));
        }
        return cache.get(isv.clientId(), merchantId, () -> load(merchantId, isv.clientId()))
                .switchIfEmpty(Mono.defer(() -> activate(merchantId, isv, issuedAt)))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Tenant")))
                .map(grant -> effective(grant, isv.scopes(), needed));
    }

    private static Grant effective(Grant grant, Set<String> tokenScopes, DelegationScope needed) {
        Set<String> scopes = new HashSet<>(grant.scopes());
        scopes.retainAll(tokenScopes);
        if (!scopes.contains(needed.scope())) {
            throw new InsufficientScopeException(needed.scope());
        }
        return new Grant(grant.authorizationId(), grant.isvTenantId(), grant.isvName(), Set.copyOf(scopes));
    }

    /** The union of the client's ACTIVE authorizations at the merchant; nothing if the ISV is suspended. */
    private Mono<Grant> load(UUID merchantId, String clientId) {
        Mono<Grant> work = directory.byClient(clientId)
                .filter(IsvDirectory.Entry::active)
                .flatMap(isv -> authorizations.findAllByClientIdAndStateOrderByRequestedAtDesc(clientId, AuthorizationState.ACTIVE)
                        .collectList()
                        .filter(active -> !active.isEmpty())
                        .map(active -> grantOf(isv, active)));
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(merchantId, null));
    }

    private static Grant grantOf(IsvDirectory.Entry isv, List<Authorization> active) {
        Set<String> scopes = new HashSet<>();
        active.forEach(authorization -> scopes.addAll(authorization.scopeSet()));
        return new Grant(active.getFirst().id(), isv.tenantId(), isv.name(), Set.copyOf(scopes));
    }

    /**
     * Consent happens in Keycloak, which the platform does not see directly; a token is its proof. Keycloak issues
     * an ISV client a token naming this merchant's organization only after a member of that organization logged in
     * and consented to the client. The platform activates the newest PENDING_CONSENT request of this client when
     * <ul>
     *     <li>the token was issued after the request (an older token, e.g. from a revoked grant, proves nothing), and</li>
     *     <li>the consenting user ({@code sub}) is, now, an active owner or master of the merchant (a developer or a
     *     former member cannot grant the merchant's workspace away).</li>
     * </ul>
     * Older pending requests for the same service are superseded. The change and its
     * {@code authorization.granted} event commit together.
     */
    private Mono<Grant> activate(UUID merchantId, IsvApplication isv, Instant issuedAt) {
        if (issuedAt == null) {
            return Mono.empty();
        }
        Mono<Grant> work = directory.byClient(isv.clientId())
                .filter(IsvDirectory.Entry::active)
                .flatMap(entry -> memberships.findByTenantIdAndUserId(merchantId, isv.merchantUserId())
                        .filter(Delegations::mayGrant)
                        .flatMap(member -> newestPending(isv.clientId(), issuedAt))
                        .flatMap(pending -> grant(merchantId, entry, pending, isv.merchantUserId())));
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(merchantId, isv.merchantUserId()));
    }

    private static boolean mayGrant(Membership member) {
        return member.isActive() && (member.role() == MemberRole.OWNER || member.role() == MemberRole.MASTER);
    }

    private Mono<Authorization> newestPending(String clientId, Instant issuedAt) {
        // Keycloak's iat has whole seconds, so only a token of a LATER second than the request proves consent to it:
        // a token issued in the same second may predate the request (an old token must never activate a new record)
        return authorizations.findAllByClientIdAndStateOrderByRequestedAtDesc(clientId, AuthorizationState.PENDING_CONSENT)
                .filter(pending -> issuedAt.isAfter(pending.requestedAt().truncatedTo(ChronoUnit.SECONDS)))
                .next();
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
                .then(authorizations.findAllByClientIdAndStateOrderByRequestedAtDesc(pending.clientId(), AuthorizationState.ACTIVE)
                        .collectList()
                        .map(all -> grantOf(isv, all)));
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
