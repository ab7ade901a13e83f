package dev.miniplatform.api.isv;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.auth.keycloak.IsvClients;
import dev.miniplatform.infra.effects.PendingEffects;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.isv.IsvApplication;
import dev.miniplatform.model.isv.IsvApplicationRepository;
import dev.miniplatform.model.isv.IsvStatus;
import dev.miniplatform.model.isv.RedirectUri;
import dev.miniplatform.model.isv.WebhookUrl;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * ISV onboarding: the ISV's confidential Keycloak client and its webhook endpoint. Keycloak is called outside any
 * database transaction: first the client is created, then recorded; if recording fails, the client is deleted
 * again (compensation), so no client exists without its record for longer than the failed request.
 */
@Service
class IsvApplicationService {

    private static final int MAX_REDIRECT_URIS = 10;

    private final TenantScope scope;
    private final IsvApplicationRepository applications;
    private final IsvClients clients;
    private final PendingEffects effects;
    private final TenantTransactions transactions;
    private final AuditLog audit;
    private final IsvProperties properties;
    private final Clock clock;

    IsvApplicationService(TenantScope scope, IsvApplicationRepository applications, IsvClients clients,
                          PendingEffects effects, TenantTransactions transactions, AuditLog audit, IsvProperties properties,
                          Clock clock) {
        this.scope = scope;
        this.applications = applications;
        this.clients = clients;
        this.effects = effects;
        this.transactions = transactions;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    public Mono<IsvApplicationView> get(String tenantId) {
        return scope.run(tenantId, access -> applications.findById(isvWorkspace(access).tenantId())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("ISV application")))
                .map(application -> IsvApplicationView.of(application, null, null)));
    }

    public Mono<IsvApplicationView> put(String tenantId, IsvApplicationRequest request) {
        List<String> redirectUris = validate(request);
        return scope.run(tenantId, access -> applications.findById(isvWorkspace(access.requireManager()).tenantId())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(existing -> new Current(access.tenantId(), access.actor(), existing)))
                .flatMap(current -> current.application().isPresent()
                        ? change(current, request, redirectUris)
                        : register(current, request, redirectUris));
    }

    private record Current(UUID tenantId, String actor, Optional<IsvApplication> application) {
    }

    private static Access isvWorkspace(Access access) {
        if (access.tenant().kind() != TenantKind.ISV) {
            throw new ConflictException("Only an ISV workspace registers an ISV application; this one is a "
                    + access.tenant().kind() + " workspace.");
        }
        return access;
    }

    private Mono<IsvApplicationView> register(Current current, IsvApplicationRequest request, List<String> redirectUris) {
        String clientId = "isv-" + current.tenantId();
        String name = request.name().strip();
        return clients.register(clientId, name, redirectUris, consentTexts())
                .flatMap(created -> record(current, clientId, created, name, redirectUris, request.webhookUrl())
                        .onErrorResume(failure -> clients.delete(created.clientUuid())
                                .onErrorResume(ignored -> Mono.empty())
                                .then(Mono.error(failure))));
    }

    private Mono<IsvApplicationView> record(Current current, String clientId, IsvClients.Registered created, String name,
                                            List<String> redirectUris, String webhookUrl) {
        Instant now = clock.instant();
        String webhookSecret = WebhookSecrets.generate();
        IsvApplication application = new IsvApplication(current.tenantId(), clientId, created.clientUuid(), name,
                String.join(" ", redirectUris), blankToNull(webhookUrl), webhookSecret, null, null, IsvStatus.ACTIVE,
                now, now, null);
        return inTenant(current, applications.save(application)
                .flatMap(saved -> audit.record(current.tenantId(), current.actor(), "isv-application.registered",
                                "isv-application", clientId, Map.of(), settings(saved))
                        .thenReturn(IsvApplicationView.of(saved, created.secret(), webhookSecret))));
    }

    private Mono<IsvApplicationView> change(Current current, IsvApplicationRequest request, List<String> redirectUris) {
        IsvApplication existing = current.application().orElseThrow();
        String name = request.name().strip();
        Mono<Void> keycloakSettings = name.equals(existing.name()) && redirectUris.equals(existing.redirectUriList())
                ? Mono.empty()
                : clients.update(existing.clientUuid(), name, redirectUris);
        Mono<String> clientSecret = request.rotatesClientSecret()
                ? clients.rotateSecret(existing.clientUuid())
                : Mono.empty();
        return keycloakSettings
                .then(clientSecret.map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(secret -> save(current, existing, request, name, redirectUris, secret.orElse(null)));
    }

    private Mono<IsvApplicationView> save(Current current, IsvApplication before, IsvApplicationRequest request,
                                          String name, List<String> redirectUris, String clientSecret) {
        Instant now = clock.instant();
        String webhookSecret = request.rotatesWebhookSecret() ? WebhookSecrets.generate() : null;
        Mono<IsvApplication> work = applications.findById(before.tenantId())
                .map(latest -> latest.withSettings(name, String.join(" ", redirectUris), blankToNull(request.webhookUrl()), now))
                .map(latest -> webhookSecret == null ? latest
                        : latest.withRotatedWebhookSecret(webhookSecret, now.plus(properties.webhookSecretOverlap()), now))
                .flatMap(applications::save)
                .flatMap(saved -> audit.record(current.tenantId(), current.actor(), "isv-application.changed",
                                "isv-application", saved.clientId(), settings(before), rotations(settings(saved), clientSecret, webhookSecret))
                        .thenReturn(saved));
        return inTenant(current, work.map(saved -> IsvApplicationView.of(saved, clientSecret, webhookSecret)));
    }

    /**
     * A platform admin suspends (or reinstates) an ISV: recorded first, so the platform refuses the ISV's tokens at
     * once (its cached grants are dropped on every node by a {@link IsvClientChange} queued with the change, retried until
     * Redis takes it), then its Keycloak client is disabled so it gets no new
     * tokens and refreshes none. Repeating the call re-applies the Keycloak part if that failed.
     */
    public Mono<IsvApplicationView> setStatus(String isvId, IsvStatus status, String adminUserId) {
        UUID tenant = TenantScope.parse(isvId).orElse(null);
        if (tenant == null) {
            return Mono.error(new NotFoundException("ISV application"));
        }
        Instant now = clock.instant();
        Mono<IsvApplication> work = applications.findById(tenant)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("ISV application")))
                .flatMap(application -> applications.save(application.withStatus(status, now))
                        .flatMap(saved -> audit.record(tenant, "user:" + adminUserId, "isv-application." + status.name().toLowerCase(),
                                "isv-application", saved.clientId(), Map.of("status", application.status().name()),
                                Map.of("status", status.name())).thenReturn(saved)))
                .flatMap(saved -> effects.enqueue(IsvClientChange.grantsToDrop(tenant, saved.clientId())).thenReturn(saved));
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(tenant, adminUserId))
                .flatMap(saved -> clients.setEnabled(saved.clientUuid(), status == IsvStatus.ACTIVE)
                        .thenReturn(IsvApplicationView.of(saved, null, null)));
    }

    private <T> Mono<T> inTenant(Current current, Mono<T> work) {
        return scope.run(current.tenantId().toString(), access -> work);
    }

    private List<String> validate(IsvApplicationRequest request) {
        Validation validation = new Validation();
        if (request.name() == null || request.name().strip().length() < 3 || request.name().strip().length() > 60) {
            validation.reject("name", "length", "must be 3–60 characters");
        }
        List<String> uris = request.redirectUris() == null ? List.of() : request.redirectUris();
        if (uris.isEmpty() || uris.size() > MAX_REDIRECT_URIS) {
            validation.reject("redirectUris", "size", "must list 1–" + MAX_REDIRECT_URIS + " redirect URIs");
        }
        for (int i = 0; i < uris.size(); i++) {
            int index = i;
            RedirectUri.problem(uris.get(i), true)
                    .ifPresent(problem -> validation.reject("redirectUris[" + index + "]", "url", problem));
        }
        if (request.webhookUrl() != null && !request.webhookUrl().isBlank()) {
            WebhookUrl.problem(request.webhookUrl(), properties.webhookAllowLoopbackHttp())
                    .ifPresent(problem -> validation.reject("webhookUrl", "url", problem));
        }
        validation.throwIfInvalid();
        return uris.stream().distinct().toList();
    }

    private static Map<String, String> consentTexts() {
        Map<String, String> texts = new LinkedHashMap<>();
        Arrays.stream(DelegationScope.values()).forEach(scope -> texts.put(scope.scope(), scope.consentText()));
        return texts;
    }

    private static Map<String, Object> settings(IsvApplication application) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", application.name());
        settings.put("redirectUris", application.redirectUriList());
        settings.put("webhookUrl", String.valueOf(application.webhookUrl()));
        return settings;
    }

    private static Map<String, Object> rotations(Map<String, Object> settings, String clientSecret, String webhookSecret) {
        settings.put("clientSecretRotated", clientSecret != null);
        settings.put("webhookSecretRotated", webhookSecret != null);
        return settings;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
