package dev.miniplatform.auth.keycloak;

import dev.miniplatform.auth.config.KeycloakProperties;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The platform's hands in Keycloak, through the official (blocking) admin client. Every call is fenced onto
 * {@link Schedulers#boundedElastic()} so no Netty event-loop thread ever waits on Keycloak.
 */
@Component
public class KeycloakAdmin implements DisposableBean {

    /** The scope a wallet token must carry to read metadata. */
    public static final String WALLET_SCOPE = "metadata:read";

    private final Keycloak keycloak;
    private final String realm;
    private final String audience;

    public KeycloakAdmin(KeycloakProperties properties) {
        this.realm = properties.realm();
        this.audience = properties.audience();
        this.keycloak = KeycloakBuilder.builder()
                .serverUrl(properties.url())
                .realm(properties.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(properties.adminClientId())
                .clientSecret(properties.adminClientSecret())
                .build();
    }

    /**
     * Creates the tenant's organization (alias = tenant id, so an ISV token's {@code organization} claim names the
     * tenant directly) and its role groups, and makes the user a member and OWNER.
     */
    public Mono<TenantRealmEntry> registerTenant(String tenantId, String displayName, String ownerUserId, String ownerRole) {
        return blocking(() -> {
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
     * Makes the user a member of the tenant's organization and of its role group ({@code /tenant-{id}/{role}}),
     * which the {@code groups} claim of their next token carries.
     */
    public Mono<Void> joinTenant(TenantRealmEntry tenant, String userId, String role) {
        return blocking(() -> {
            RealmResource realmResource = realm();
            try (Response added = realmResource.organizations().get(tenant.organizationId()).members().addMember(userId)) {
                if (added.getStatus() != Response.Status.CONFLICT.getStatusCode()) {
                    requireSuccess(added, "add member to organization");
                }
            }
            realmResource.users().get(userId).joinGroup(roleGroup(realmResource, tenant.groupId(), role));
            return null;
        }).then();
    }

    /** Moves the user from one role group of the tenant to another. */
    public Mono<Void> changeTenantRole(TenantRealmEntry tenant, String userId, String oldRole, String newRole) {
        return blocking(() -> {
            RealmResource realmResource = realm();
            realmResource.users().get(userId).leaveGroup(roleGroup(realmResource, tenant.groupId(), oldRole));
            realmResource.users().get(userId).joinGroup(roleGroup(realmResource, tenant.groupId(), newRole));
            return null;
        }).then();
    }

    /** Removes the user from the tenant's role groups and, unless only blocked, from its organization. */
    public Mono<Void> leaveTenant(TenantRealmEntry tenant, String userId, String role, boolean keepOrganization) {
        return blocking(() -> {
            RealmResource realmResource = realm();
            realmResource.users().get(userId).leaveGroup(roleGroup(realmResource, tenant.groupId(), role));
            if (!keepOrganization) {
                realmResource.organizations().get(tenant.organizationId()).members().member(userId).delete().close();
            }
            return null;
        }).then();
    }

    private static String roleGroup(RealmResource realm, String tenantGroupId, String role) {
        return realm.groups().group(tenantGroupId).getSubGroups(0, 10, true).stream()
                .filter(group -> group.getName().equals(role))
                .map(GroupRepresentation::getId)
                .findFirst()
                .orElseGet(() -> createRoleGroup(realm, tenantGroupId, role));
    }

    /**
     * Creates a wallet's confidential client: client credentials only, the platform audience, and the
     * {@code metadata:read} scope by default. Returns the generated client secret.
     */
    public Mono<String> registerWalletClient(String clientId, String name) {
        return blocking(() -> {
            RealmResource realmResource = realm();
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setName(name);
            client.setPublicClient(false);
            client.setServiceAccountsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setProtocolMappers(List.of(audienceMapper()));
            String id;
            try (Response created = realmResource.clients().create(client)) {
                id = CreatedResponseUtil.getCreatedId(created);
            }
            realmResource.clients().get(id).addDefaultClientScope(clientScope(realmResource, WALLET_SCOPE));
            return realmResource.clients().get(id).getSecret().getValue();
        });
    }

    private ProtocolMapperRepresentation audienceMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("platform-api audience");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(Map.of("included.custom.audience", audience, "access.token.claim", "true"));
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

    /** Undoes {@link #registerTenant} when the database part of a sign-up fails. */
    public Mono<Void> removeTenant(TenantRealmEntry entry) {
        return blocking(() -> {
            deleteQuietly(realm(), entry);
            return null;
        }).then();
    }

    /** Exposed for provisioning demo data and for tests; same fencing rule applies to callers. */
    public <T> Mono<T> call(Function<RealmResource, T> work) {
        return blocking(() -> work.apply(realm()));
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
        } catch (WebApplicationException ignored) {
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

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call)
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(KeycloakAdmin::isAdminClientFailure,
                        e -> new IdentityServiceException("Keycloak admin call failed: " + e.getMessage(), e));
    }

    private static boolean isAdminClientFailure(Throwable e) {
        return e instanceof WebApplicationException || e instanceof ProcessingException;
    }

    @Override
    public void destroy() {
        keycloak.close();
    }
}
