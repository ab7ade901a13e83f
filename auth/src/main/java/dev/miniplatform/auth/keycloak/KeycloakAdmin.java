package dev.miniplatform.auth.keycloak;

import dev.miniplatform.auth.config.KeycloakAdminProperties;
import dev.miniplatform.auth.config.KeycloakProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.observation.ObservationRegistry;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.admin.client.spi.ResteasyClientClassicProvider;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.idm.UserSessionRepresentation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The platform's hands in Keycloak, through the official (blocking) admin client. Every call is fenced onto a
 * bounded-elastic scheduler of its own ({@link Schedulers#newBoundedElastic}, sized like the HTTP pool) so no Netty
 * event-loop thread, and no thread of the shared {@link Schedulers#boundedElastic()}, ever waits on Keycloak; has connect and read
 * timeouts, and passes a circuit breaker: while Keycloak keeps failing, calls fail at once with
 * {@link IdentityServiceException} instead of occupying threads. Never call this inside a database transaction:
 * request paths that change identities queue the change (see {@code PendingEffects}) instead.
 */
@Component
public class KeycloakAdmin implements DisposableBean {

    /** The scope a wallet token must carry to read metadata. */
    public static final String WALLET_SCOPE = "metadata:read";

    /** The access-token claim that names the platform's wallet id. */
    public static final String WALLET_ID_CLAIM = "wallet_id";
    /** The claim naming a CI key's platform id. */
    public static final String CI_KEY_ID_CLAIM = "ci_key_id";
    /** The claim naming the workspace a CI key belongs to. */
    public static final String WORKSPACE_ID_CLAIM = "workspace_id";

    private final Keycloak keycloak;
    private final Keycloak lookupClient;
    private final String realm;
    private final String audience;
    private final CircuitBreaker breaker;
    private final Duration retryAfter;
    private final Scheduler calls;
    private final Scheduler lookups;
    private final ObservationRegistry observations;

    public KeycloakAdmin(KeycloakProperties properties, KeycloakAdminProperties admin, ObservationRegistry observations) {
        this.observations = observations;
        this.realm = properties.realm();
        this.audience = properties.audience();
        this.breaker = breaker(admin.breaker());
        this.retryAfter = admin.breaker().openFor();
        // a bulkhead: Keycloak calls get bounded-elastic threads of their own (as many as HTTP connections, queue
        // bounded), so a hanging Keycloak can never occupy the shared boundedElastic threads that JWT handling, uploads
        // and mail need
        this.calls = Schedulers.newBoundedElastic(admin.poolSize(), 1000, "keycloak-admin");
        this.keycloak = client(properties, admin);
        // and a second one for the reads that keep account standings fresh (account, realmNotBefore): they come with
        // request traffic, many at once after a node starts, and must not starve sign-ups and membership changes of
        // threads or pooled connections (nor the reverse)
        this.lookups = Schedulers.newBoundedElastic(admin.poolSize(), 1000, "keycloak-lookups");
        this.lookupClient = client(properties, admin);
    }

    private static Keycloak client(KeycloakProperties properties, KeycloakAdminProperties admin) {
        return KeycloakBuilder.builder()
                .serverUrl(admin.urlOr(properties.url()))
                .realm(properties.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(properties.adminClientId())
                .clientSecret(properties.adminClientSecret())
                .resteasyClient(httpClient(admin))
                .build();
    }

    /**
     * The admin client's default HTTP client waits forever. This one is built the way the admin client builds its
     * own (same pool, same JSON provider), plus limits on connecting, on each response and on waiting for a pooled
     * connection.
     */
    private static jakarta.ws.rs.client.Client httpClient(KeycloakAdminProperties admin) {
        return ResteasyClientClassicProvider.createClientBuilder()
                .register(JacksonProvider.class, 100)
                .connectionPoolSize(admin.poolSize())
                .maxPooledPerRoute(admin.poolSize())
                .connectTimeout(admin.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(admin.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .connectionCheckoutTimeout(admin.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    private static CircuitBreaker breaker(KeycloakAdminProperties.Breaker settings) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.probeCalls())
                .recordException(KeycloakAdmin::meansKeycloakIsDown)
                .build();
        return CircuitBreaker.of("keycloak-admin", config);
    }

    /** Unreachable, timed out, or a server error. A 4xx is Keycloak answering, so it does not count. */
    static boolean meansKeycloakIsDown(Throwable failure) {
        return failure instanceof ProcessingException
                || failure instanceof WebApplicationException web && web.getResponse() != null
                && web.getResponse().getStatus() >= 500;
    }

    /** The breaker's state, for health and metrics: CLOSED, OPEN, HALF_OPEN. */
    public String breakerState() {
        return breaker.getState().name();
    }

    /**
     * Creates the tenant's organization (alias = tenant id, so an ISV token's {@code organization} claim names the
     * tenant directly) and its role groups, and makes the user a member and OWNER.
     */
    public Mono<TenantRealmEntry> registerTenant(String tenantId, String displayName, String ownerUserId, String ownerRole) {
        return blocking("registerTenant", () -> {
            RealmResource realmResource = realm();
            String organizationId = createOrganization(realmResource, tenantId, displayName);
            try {
                try (Response added = realmResource.organizations().get(organizationId).members().addMember(ownerUserId)) {
                    requireSuccess(added, "add member to organization");
                }
                String groupId = createTenantGroup(realmResource, tenantId);
                String roleGroupId = createRoleGroup(realmResource, groupId, ownerRole);
                realmResource.users().get(ownerUserId).joinGroup(roleGroupId);
                return new TenantRealmEntry(organizationId, groupId);
            } catch (RuntimeException e) {
                deleteQuietly(realmResource, new TenantRealmEntry(organizationId, null));
                throw e;
            }
        });
    }

    /**
     * Makes Keycloak match what the database says about one member of a tenant: in the tenant's organization when
     * {@code inOrganization}, in exactly the role group {@code role} ({@code /tenant-{id}/{role}}, which the
     * {@code groups} claim of their next token carries) or in none when {@code role} is null. Idempotent, so a
     * retry after a partial run, or a run for an outdated request, converges to the same state.
     * A user Keycloak no longer knows has nothing to converge.
     */
    public Mono<Void> syncMembership(TenantRealmEntry tenant, String userId, String role, boolean inOrganization) {
        return blocking("syncMembership", () -> {
            RealmResource realmResource = realm();
            UserResource user = realmResource.users().get(userId);
            Set<String> current;
            try {
                current = user.groups(0, 1000, true).stream()
                        .map(GroupRepresentation::getId)
                        .collect(Collectors.toSet());
            } catch (NotFoundException unknownUser) {
                return null;
            }
            List<GroupRepresentation> roleGroups = realmResource.groups().group(tenant.groupId()).getSubGroups(0, 10, true);
            String wanted = role == null ? null : roleGroup(realmResource, tenant.groupId(), roleGroups, role);
            roleGroups.stream()
                    .map(GroupRepresentation::getId)
                    .filter(id -> current.contains(id) && !id.equals(wanted))
                    .forEach(user::leaveGroup);
            if (wanted != null && !current.contains(wanted)) {
                user.joinGroup(wanted);
            }
            syncOrganization(realmResource, tenant, userId, inOrganization);
            return null;
        }).then();
    }

    private static void syncOrganization(RealmResource realm, TenantRealmEntry tenant, String userId, boolean member) {
        if (member) {
            try (Response added = realm.organizations().get(tenant.organizationId()).members().addMember(userId)) {
                if (added.getStatus() != Response.Status.CONFLICT.getStatusCode()) {
                    requireSuccess(added, "add member to organization");
                }
            }
            return;
        }
        try (Response removed = realm.organizations().get(tenant.organizationId()).members().member(userId).delete()) {
            if (removed.getStatus() != Response.Status.NOT_FOUND.getStatusCode()) {
                requireSuccess(removed, "remove member from organization");
            }
        }
    }

    /** The id of the role group {@code role} among the tenant's {@code roleGroups}, created if it is not there yet. */
    private static String roleGroup(RealmResource realm, String tenantGroupId, List<GroupRepresentation> roleGroups,
                                    String role) {
        return roleGroups.stream()
                .filter(group -> group.getName().equals(role))
                .map(GroupRepresentation::getId)
                .findFirst()
                .orElseGet(() -> createRoleGroup(realm, tenantGroupId, role));
    }

    /**
     * What Keycloak says about the user's account now: {@link AccountState#INACTIVE} when it is deleted or disabled,
     * else its not-before and live session ids. Two reads (the user, then their sessions); one when the user is gone
     * or disabled.
     */
    public Mono<AccountState> account(String userId) {
        return lookup("account", realm -> {
            UserResource user = realm.users().get(userId);
            try {
                UserRepresentation representation = user.toRepresentation();
                if (!Boolean.TRUE.equals(representation.isEnabled())) {
                    return AccountState.INACTIVE;
                }
                Set<String> sessions = user.getUserSessions().stream()
                        .map(UserSessionRepresentation::getId)
                        .collect(Collectors.toUnmodifiableSet());
                return new AccountState(true, instant(representation.getNotBefore()), sessions);
            } catch (NotFoundException deleted) {
                return AccountState.INACTIVE;
            }
        });
    }

    /**
     * The realm's not-before (Sessions → Revocation in the admin console): tokens issued before it are revoked, for
     * every user. Empty when none is set.
     */
    public Mono<Instant> realmNotBefore() {
        return lookup("realmNotBefore", realm -> instant(realm.toRepresentation().getNotBefore()));
    }

    /** Keycloak's not-before values are epoch seconds, 0 (or absent) for "never set". */
    private static Instant instant(Integer epochSeconds) {
        return epochSeconds == null || epochSeconds <= 0 ? null : Instant.ofEpochSecond(epochSeconds);
    }

    /**
     * Creates a wallet's confidential client: client credentials only, the platform audience, and the
     * {@code metadata:read} scope by default, and a hard-coded {@code wallet_id} claim naming the platform's
     * wallet id, so a request names its wallet without a lookup. Returns the generated client secret.
     */
    public Mono<String> registerWalletClient(String clientId, String name, String walletId) {
        return registerServiceClient("registerWalletClient", clientId, name, Map.of(WALLET_ID_CLAIM, walletId), WALLET_SCOPE);
    }

    /**
     * Creates a workspace's CI key client: client credentials only, the platform audience, no scope, and hard-coded
     * {@code ci_key_id} and {@code workspace_id} claims; what the key may do is the platform's to decide on each
     * request. Returns the generated client secret.
     */
    public Mono<String> registerCiKeyClient(String clientId, String name, String keyId, String workspaceId) {
        return registerServiceClient("registerCiKeyClient", clientId, name,
                Map.of(CI_KEY_ID_CLAIM, keyId, WORKSPACE_ID_CLAIM, workspaceId), null);
    }

    private Mono<String> registerServiceClient(String operation, String clientId, String name, Map<String, String> claims,
                                               String scope) {
        return blocking(operation, () -> {
            RealmResource realmResource = realm();
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setName(name);
            client.setPublicClient(false);
            client.setServiceAccountsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            List<ProtocolMapperRepresentation> mappers = new ArrayList<>();
            mappers.add(audienceMapper());
            claims.forEach((claim, value) -> mappers.add(hardcodedClaim(claim, value)));
            client.setProtocolMappers(mappers);
            String id;
            try (Response created = realmResource.clients().create(client)) {
                id = CreatedResponseUtil.getCreatedId(created);
            }
            if (scope != null) {
                realmResource.clients().get(id).addDefaultClientScope(clientScope(realmResource, scope));
            }
            return realmResource.clients().get(id).getSecret().getValue();
        });
    }

    /**
     * Gives the client a new secret and returns it; the old one stops working at once (tokens already issued with
     * it stay valid until they expire, so the platform also refuses tokens issued before the rotation).
     */
    public Mono<String> regenerateSecret(String clientId) {
        return blocking("regenerateSecret", () -> {
            RealmResource realmResource = realm();
            ClientRepresentation client = realmResource.clients().findByClientId(clientId).stream()
                    .findFirst()
                    .orElseThrow(() -> new IdentityServiceException("Keycloak has no client " + clientId, null, retryAfter));
            return realmResource.clients().get(client.getId()).generateNewSecret().getValue();
        });
    }

    /** Deletes a client by its client id (the undo of a registration whose database part failed); idempotent. */
    public Mono<Void> removeClient(String clientId) {
        return blocking("removeClient", () -> {
            RealmResource realmResource = realm();
            realmResource.clients().findByClientId(clientId)
                    .forEach(client -> realmResource.clients().get(client.getId()).remove());
            return null;
        }).then();
    }

    private ProtocolMapperRepresentation audienceMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("platform-api audience");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(Map.of("included.custom.audience", audience, "access.token.claim", "true"));
        return mapper;
    }

    private static ProtocolMapperRepresentation hardcodedClaim(String claim, String value) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(claim.replace('_', ' '));
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-hardcoded-claim-mapper");
        mapper.setConfig(Map.of("claim.name", claim, "claim.value", value, "jsonType.label", "String",
                "access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false"));
        return mapper;
    }

    /** Finds the client scope by name, creating it (included in the token's scope claim) the first time. */
    private static String clientScope(RealmResource realm, String name) {
        return realm.clientScopes().findAll().stream()
                .filter(scope -> name.equals(scope.getName()))
                .map(ClientScopeRepresentation::getId)
                .findFirst()
                .orElseGet(() -> {
                    ClientScopeRepresentation scope = new ClientScopeRepresentation();
                    scope.setName(name);
                    scope.setProtocol("openid-connect");
                    scope.setAttributes(Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"));
                    try (Response created = realm.clientScopes().create(scope)) {
                        return CreatedResponseUtil.getCreatedId(created);
                    }
                });
    }

    /**
     * Removes the tenant's organization and groups (a closed workspace, or the undo of a failed sign-up). Idempotent:
     * what is already gone stays gone; failing to reach Keycloak is an error, so a queued removal is retried.
     */
    public Mono<Void> removeTenant(TenantRealmEntry entry) {
        return blocking("removeTenant", () -> {
            RealmResource realmResource = realm();
            if (entry.groupId() != null) {
                try {
                    realmResource.groups().group(entry.groupId()).remove();
                } catch (NotFoundException alreadyGone) {
                    // nothing to remove
                }
            }
            try (Response deleted = realmResource.organizations().get(entry.organizationId()).delete()) {
                if (deleted.getStatus() != Response.Status.NOT_FOUND.getStatusCode()) {
                    requireSuccess(deleted, "delete organization");
                }
            }
            return null;
        }).then();
    }

    /** Exposed for provisioning demo data and for tests; same fencing rule applies to callers. */
    public <T> Mono<T> call(Function<RealmResource, T> work) {
        return call("call", work);
    }

    /** {@link #call(Function)}, named in traces and in the {@code keycloak.admin} timer by {@code operation}. */
    public <T> Mono<T> call(String operation, Function<RealmResource, T> work) {
        return blocking(operation, () -> work.apply(realm()));
    }

    private static String createOrganization(RealmResource realm, String tenantId, String displayName) {
        OrganizationRepresentation organization = new OrganizationRepresentation();
        organization.setAlias(tenantId);
        // Keycloak wants organization names unique; the tenant id keeps two "Tea House"s apart.
        organization.setName(displayName + " (" + tenantId + ")");
        organization.setEnabled(true);
        try (Response created = realm.organizations().create(organization)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    private static String createTenantGroup(RealmResource realm, String tenantId) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName("tenant-" + tenantId);
        try (Response created = realm.groups().add(group)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    private static String createRoleGroup(RealmResource realm, String tenantGroupId, String role) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(role);
        try (Response created = realm.groups().group(tenantGroupId).subGroup(group)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    private static void deleteQuietly(RealmResource realm, TenantRealmEntry entry) {
        try {
            if (entry.groupId() != null) {
                realm.groups().group(entry.groupId()).remove();
            }
            realm.organizations().get(entry.organizationId()).delete().close();
        } catch (RuntimeException ignored) {
            // already gone, or Keycloak unreachable: an orphan organization holds no platform data
        }
    }

    private static void requireSuccess(Response response, String action) {
        if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
            throw new WebApplicationException("Keycloak refused to " + action + ": HTTP " + response.getStatus(), response);
        }
    }

    private RealmResource realm() {
        return keycloak.realm(realm);
    }

    /**
     * How a call reaches Keycloak: on its bulkhead's bounded-elastic threads, through the breaker (which, while open,
     * refuses before a thread is taken), with the admin client's exceptions translated.
     */
    private <T> Mono<T> blocking(String operation, Callable<T> call) {
        return fenced(operation, Mono.fromCallable(call), calls);
    }

    /**
     * Also observed: a {@code keycloak.admin} span (a child of the caller's, e.g. the request's) covers the call from
     * the wait for a thread to the answer, tagged with the operation and the outcome; the same observation times it.
     */
    private <T> Mono<T> fenced(String operation, Mono<T> call, Scheduler scheduler) {
        return call
                .subscribeOn(scheduler)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(KeycloakAdmin::isAdminClientFailure,
                        e -> new IdentityServiceException("Keycloak admin call failed: " + e.getMessage(), e, retryAfter))
                .name("keycloak.admin")
                .tag("keycloak.operation", operation)
                .tap(Micrometer.observation(observations));
    }

    /** A read for account standings: like {@link #blocking}, through the same breaker, in the lookups' own bulkhead. */
    private <T> Mono<T> lookup(String operation, Function<RealmResource, T> read) {
        return fenced(operation, Mono.fromCallable(() -> read.apply(lookupClient.realm(realm))), lookups);
    }

    private static boolean isAdminClientFailure(Throwable e) {
        return e instanceof WebApplicationException || e instanceof ProcessingException
                || e instanceof CallNotPermittedException;
    }

    @Override
    public void destroy() {
        calls.dispose();
        lookups.dispose();
        keycloak.close();
        lookupClient.close();
    }
}
