package dev.miniplatform.api.authorization;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.isv.IsvDirectory;
import dev.miniplatform.api.ops.RequestIdFilter;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.auth.keycloak.IsvClients;
import dev.miniplatform.infra.effects.PendingEffects;
import dev.miniplatform.model.isv.Authorization;
import dev.miniplatform.model.isv.AuthorizationRepository;
import dev.miniplatform.model.isv.AuthorizationState;
import dev.miniplatform.model.isv.IsvService;
import dev.miniplatform.model.isv.IsvServiceRepository;
import dev.miniplatform.model.isv.ServiceState;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A merchant's side of delegation: request an authorization of an approved service (PENDING_CONSENT plus the
 * Keycloak URL where a merchant owner or master consents), list them, revoke them.
 *
 * <p>PKCE: the platform starts the authorization-code flow on the ISV's behalf, so it makes the PKCE pair; the
 * challenge goes into the authorize URL, the verifier to the ISV in the signed {@code authorization.requested}
 * webhook (with {@code state} = the authorization id), which is how the ISV redeems the code it receives at its
 * redirect URI. The verifier alone is useless: the code exchange also needs the ISV's client secret.
 *
 * <p>Binding: the authorize URL also carries {@code nonce} = the authorization id, which Keycloak keeps in every token
 * of that consent ({@link IsvClients}); {@link Delegations} activates exactly the request a token names.
 */
@Service
class AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationService.class);

    private final TenantScope scope;
    private final AuthorizationRepository authorizations;
    private final IsvServiceRepository services;
    private final IsvDirectory directory;
    private final IsvClients clients;
    private final PendingEffects effects;
    private final DatabaseClient database;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    /** ISV clients known to bind their tokens to requests (checked once per node; registration adds the mapper). */
    private final Set<String> bindingClients = ConcurrentHashMap.newKeySet();

    AuthorizationService(TenantScope scope, AuthorizationRepository authorizations, IsvServiceRepository services,
                         IsvDirectory directory, IsvClients clients, PendingEffects effects, DatabaseClient database,
                         AuditLog audit, Outbox outbox, Clock clock) {
        this.scope = scope;
        this.authorizations = authorizations;
        this.services = services;
        this.directory = directory;
        this.clients = clients;
        this.effects = effects;
        this.database = database;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Mono<AuthorizationView> request(String merchantId, AuthorizationRequest request) {
        UUID serviceId = request == null || request.serviceId() == null ? null
                : TenantScope.parse(request.serviceId()).orElse(null);
        if (serviceId == null) {
            return Mono.error(InvalidInputException.of("serviceId", "required", "must be the id of a marketplace service"));
        }
        // the ISV's client is made to bind its tokens first, outside any transaction: if Keycloak does not answer,
        // the request fails before anything is written, rather than leaving a request no consent could activate
        return scope.run(merchantId, access -> requestable(access, serviceId).map(found -> found.isv().clientId()))
                .flatMap(this::bindingTokens)
                .then(Mono.defer(() -> scope.run(merchantId, access -> requestable(access, serviceId)
                        .flatMap(found -> requireNotActive(found.service())
                                .then(Mono.defer(() -> insert(access, found.service(), found.isv())))))));
    }

    private record Requestable(IsvService service, IsvDirectory.Entry isv) {
    }

    /** An approved service of an active ISV, requested by a manager of a merchant; else 404 (or 403/409). */
    private Mono<Requestable> requestable(Access access, UUID serviceId) {
        return requireMerchant(access.requireManager())
                .then(services.findById(serviceId))
                .filter(service -> service.state() == ServiceState.APPROVED)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Service")))
                .flatMap(service -> directory.byTenant(service.tenantId())
                        .filter(IsvDirectory.Entry::active)
                        .switchIfEmpty(Mono.error(() -> new NotFoundException("Service")))
                        .map(isv -> new Requestable(service, isv)));
    }

    /**
     * Before the merchant gets the authorize URL, the ISV's client must put the nonce into its tokens, or the
     * consent could never activate the request: a client registered before tokens were bound gets the mapper now,
     * before the request is written (never a Keycloak call inside a transaction).
     */
    private Mono<Void> bindingTokens(String clientId) {
        if (bindingClients.contains(clientId)) {
            return Mono.empty();
        }
        return clients.bindTokensToRequests(clientId)
                .doOnNext(changed -> {
                    if (changed) {
                        log.info("ISV client {} now binds its tokens to authorization requests (nonce mapper added)", clientId);
                    }
                    bindingClients.add(clientId);
                })
                .then();
    }

    public Mono<List<AuthorizationView>> list(String merchantId) {
        return scope.run(merchantId, access -> authorizations.findAllByOrderByRequestedAtDesc()
                .concatMap(this::view)
                .collectList());
    }

    public Mono<AuthorizationView> get(String merchantId, String id) {
        return scope.run(merchantId, access -> find(id).flatMap(this::view));
    }

    /**
     * Revokes (an ACTIVE one) or withdraws (a pending one). The grant's drop from every node's cache is queued with
     * the change ({@link GrantDrop}) and tried right after the commit, so the ISV's next request is refused
     * everywhere; if Redis does not answer, the relay retries the drop, and until then the cached entry's own expiry
     * bounds it. After the commit the consenting user's consent to the ISV's client is revoked in Keycloak, so
     * refresh fails. If Keycloak is down, the relay retries that later ({@code consent_revoked_at} stays empty until
     * it succeeded).
     */
    public Mono<Void> revoke(String merchantId, String id) {
        return scope.run(merchantId, access -> requireMerchant(access.requireManager())
                        .then(find(id))
                        .flatMap(authorization -> revoke(access, authorization))
                        .flatMap(revoked -> effects.enqueue(GrantDrop.ofMerchant(revoked.tenantId(), revoked.clientId()))
                                .thenReturn(revoked)))
                .flatMap(this::revokeConsent);
    }

    private Mono<Void> revokeConsent(Authorization revoked) {
        if (revoked.state() != AuthorizationState.REVOKED || revoked.grantedBy() == null) {
            return Mono.empty();
        }
        return revokeConsent(revoked.tenantId(), revoked.id(), revoked.grantedBy(), revoked.clientId());
    }

    /** Keycloak's part of a revocation, marked done when it succeeded; also the relay's retry. */
    Mono<Void> revokeConsent(UUID merchantId, UUID authorizationId, String userId, String clientId) {
        return clients.revokeConsent(userId, clientId)
                .retryWhen(Retry.backoff(2, Duration.ofMillis(200)))
                .then(database.sql("select mark_consent_revoked($1, $2)")
                        .bind(0, merchantId)
                        .bind(1, authorizationId)
                        .fetch()
                        .all()
                        .then())
                .onErrorResume(e -> RequestIdFilter.logged(() -> log.warn(
                        "Keycloak consent revocation for authorization {} failed; the relay retries it: {}",
                        authorizationId, e.toString())));
    }

    private Mono<Authorization> revoke(Access access, Authorization authorization) {
        Instant now = clock.instant();
        Authorization revoked = authorization.revoked(access.actor(), now);
        Mono<Void> event = revoked.state() == AuthorizationState.REVOKED
                ? outbox.append(access.tenantId(), "authorization.revoked", Delegations.event(revoked))
                : Mono.empty();
        return authorizations.save(revoked)
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "authorization.revoked", "authorization",
                                saved.id().toString(), Map.of("state", authorization.state().name()),
                                Map.of("state", saved.state().name()))
                        .then(event)
                        .thenReturn(saved));
    }

    private Mono<Authorization> find(String id) {
        return Mono.justOrEmpty(TenantScope.parse(id))
                .flatMap(authorizations::findById)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Authorization")));
    }

    private Mono<AuthorizationView> view(Authorization authorization) {
        return directory.byTenant(authorization.isvTenantId())
                .map(IsvDirectory.Entry::name)
                .defaultIfEmpty("")
                .map(name -> AuthorizationView.of(authorization, name, null));
    }

    private Mono<Void> requireNotActive(IsvService service) {
        return authorizations.findFirstByIsvTenantIdAndServiceIdAndState(service.tenantId(), service.id(), AuthorizationState.ACTIVE)
                .flatMap(active -> Mono.error(new ConflictException("This service is already authorized (authorization "
                        + active.id() + "); revoke it first to authorize again.", "ACTIVE", List.of("revoke"))));
    }

    private Mono<AuthorizationView> insert(Access access, IsvService service, IsvDirectory.Entry isv) {
        Instant now = clock.instant();
        Authorization pending = new Authorization(access.tenantId(), UUID.randomUUID(), service.tenantId(), service.id(),
                isv.clientId(), service.scopes(), AuthorizationState.PENDING_CONSENT, access.user().userId(), now,
                null, null, null, null, null, null);
        Pkce pkce = Pkce.generate();
        String authorizeUrl = authorizeUrl(pending, isv, pkce);
        Map<String, Object> requested = new LinkedHashMap<>(Delegations.event(pending));
        requested.put("state", pending.id().toString());
        requested.put("codeVerifier", pkce.verifier());
        requested.put("redirectUri", isv.redirectUri());
        return authorizations.save(pending)
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "authorization.requested", "authorization",
                                saved.id().toString(), Map.of(), Map.of("isv", isv.name(), "service", service.name(),
                                        "scopes", saved.scopes()))
                        .then(outbox.append(access.tenantId(), "authorization.requested", requested))
                        .thenReturn(AuthorizationView.of(saved, isv.name(), authorizeUrl)));
    }

    /**
     * Keycloak's authorization endpoint for the ISV's client: the service's scopes plus
     * {@code organization:<merchant>} (the organization alias is the tenant id, so the token names exactly this
     * merchant and only its members can consent), {@code prompt=consent} so the merchant sees the scopes every
     * time, state = nonce = the authorization id, and the PKCE challenge.
     */
    private String authorizeUrl(Authorization pending, IsvDirectory.Entry isv, Pkce pkce) {
        String scopes = pending.scopes() + " " + IsvClients.ORGANIZATION_SCOPE + ":" + pending.tenantId();
        return UriComponentsBuilder.fromUriString(clients.authorizationEndpoint())
                .queryParam("client_id", isv.clientId())
                .queryParam("response_type", "code")
                .queryParam("redirect_uri", isv.redirectUri())
                .queryParam("scope", scopes)
                .queryParam("state", pending.id())
                .queryParam("nonce", pending.id())
                .queryParam("prompt", "consent")
                .queryParam("code_challenge", pkce.challenge())
                .queryParam("code_challenge_method", "S256")
                .encode()
                .build()
                .toUriString();
    }

    private static Mono<Void> requireMerchant(Access access) {
        if (access.tenant().kind() != TenantKind.MERCHANT) {
            return Mono.error(new ConflictException("Only a merchant workspace authorizes ISV services."));
        }
        return Mono.empty();
    }
}
