package dev.miniplatform.auth.keycloak;

import dev.miniplatform.auth.config.KeycloakProperties;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ISV applications in Keycloak: one confidential client per ISV that merchants consent to. Everything goes through
 * {@link KeycloakAdmin#call}, so it runs on boundedElastic with the admin client's failure mapping. Callers keep
 * these calls outside database transactions.
 *
 * <p>The client: standard flow only, PKCE S256 required, consent required (with the ISV's name on the consent
 * page), redirect URIs exactly as registered, the platform audience, and as optional scopes only the delegation
 * scopes plus {@code organization} (which names the merchant). Default scope {@code basic} gives the {@code sub}.
 *
 * <p>Binding a token to its request: the platform puts its authorization id into the authorize URL as the OIDC
 * {@code nonce}; Keycloak carries the nonce with the authorization code, and the client's
 * {@value #NONCE_MAPPER} mapper puts it into the access token and the refresh token, from which Keycloak restores it
 * on every refresh, online or offline. So every token of one consent names the request that was consented, and only
 * that one. (Keycloak 26's parameterized scopes, the other candidate, reject {@code organization:<alias>} once
 * enabled, keycloak#51437; a client-session note mapper would follow the latest login of the user's browser session,
 * not the token's own consent.)
 */
@Component
public class IsvClients {

    /** Keycloak's built-in scope that yields the {@code organization} claim; the alias picks the merchant. */
    public static final String ORGANIZATION_SCOPE = "organization";
    /** Keycloak's mapper that copies the authorization request's nonce into access and refresh tokens. */
    static final String NONCE_MAPPER = "oidc-nonce-backwards-compatible-mapper";
    private static final String NONCE_MAPPER_NAME = "authorization request (nonce)";

    private final KeycloakAdmin admin;
    private final KeycloakProperties properties;

    public IsvClients(KeycloakAdmin admin, KeycloakProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    public record Registered(String clientUuid, String secret) {
    }

    /**
     * Creates the ISV's client and returns Keycloak's id for it and the generated secret.
     *
     * @param delegationScopes scope name → consent text shown to the merchant
     */
    public Mono<Registered> register(String clientId, String name, List<String> redirectUris,
                                     Map<String, String> delegationScopes) {
        return admin.call("registerIsvClient", realm -> {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setName(name);
            client.setDescription("ISV application " + name);
            client.setProtocol("openid-connect");
            client.setPublicClient(false);
            client.setStandardFlowEnabled(true);
            client.setImplicitFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setServiceAccountsEnabled(false);
            client.setConsentRequired(true);
            client.setFullScopeAllowed(false);
            client.setRedirectUris(redirectUris);
            client.setWebOrigins(List.of());
            client.setAttributes(new HashMap<>(Map.of(
                    "pkce.code.challenge.method", "S256",
                    "display.on.consent.screen", "true",
                    "consent.screen.text", name + " (ISV) asks to act on the merchant's behalf")));
            client.setProtocolMappers(List.of(audienceMapper(), nonceMapper()));
            String id;
            try (Response created = realm.clients().create(client)) {
                id = CreatedResponseUtil.getCreatedId(created);
            }
            restrictScopes(realm, realm.clients().get(id), delegationScopes);
            return new Registered(id, realm.clients().get(id).getSecret().getValue());
        });
    }

    /** Changes name and redirect URIs (exact match, as registered). */
    public Mono<Void> update(String clientUuid, String name, List<String> redirectUris) {
        return admin.call("updateIsvClient", realm -> {
            ClientResource client = realm.clients().get(clientUuid);
            ClientRepresentation representation = client.toRepresentation();
            representation.setName(name);
            representation.setRedirectUris(redirectUris);
            client.update(representation);
            return clientUuid;
        }).then();
    }

    public Mono<String> rotateSecret(String clientUuid) {
        return admin.call("rotateIsvClientSecret", realm -> realm.clients().get(clientUuid).generateNewSecret().getValue());
    }

    /** A disabled client can get no token and refresh none; the platform refuses its access tokens by itself. */
    public Mono<Void> setEnabled(String clientUuid, boolean enabled) {
        return admin.call("setIsvClientEnabled", realm -> {
            ClientResource client = realm.clients().get(clientUuid);
            ClientRepresentation representation = client.toRepresentation();
            representation.setEnabled(enabled);
            client.update(representation);
            return clientUuid;
        }).then();
    }

    /** Undoes {@link #register} when recording the application fails. */
    public Mono<Void> delete(String clientUuid) {
        return admin.call("deleteIsvClient", realm -> {
            try {
                realm.clients().get(clientUuid).remove();
            } catch (NotFoundException ignored) {
                // already gone
            }
            return clientUuid;
        }).then();
    }

    /**
     * Revokes the user's consent to the client and with it the client's offline and refresh tokens for that
     * user: the ISV's next refresh fails with {@code invalid_grant}. A missing user or consent counts as done.
     */
    public Mono<Void> revokeConsent(String userId, String clientId) {
        return admin.call("revokeConsent", realm -> {
            try {
                realm.users().get(userId).revokeConsent(clientId);
            } catch (NotFoundException ignored) {
                // nothing left to revoke
            }
            return userId;
        }).then();
    }

    /**
     * Adds the nonce mapper to a client registered before tokens were bound to their request (clients registered
     * since have it); does nothing if it is there.
     *
     * @return whether the client had to be changed
     */
    public Mono<Boolean> bindTokensToRequests(String clientId) {
        return admin.call("bindTokensToRequests", realm -> {
            ClientRepresentation client = realm.clients().findByClientId(clientId).stream().findFirst().orElse(null);
            if (client == null || hasNonceMapper(client)) {
                return Boolean.FALSE;
            }
            try (Response created = realm.clients().get(client.getId()).getProtocolMappers().createMapper(nonceMapper())) {
                return created.getStatus() < 300;
            }
        });
    }

    private static boolean hasNonceMapper(ClientRepresentation client) {
        return client.getProtocolMappers() != null && client.getProtocolMappers().stream()
                .anyMatch(mapper -> NONCE_MAPPER.equals(mapper.getProtocolMapper()));
    }

    private void restrictScopes(RealmResource realm, ClientResource client, Map<String, String> delegationScopes) {
        Map<String, String> ids = new HashMap<>();
        for (ClientScopeRepresentation scope : realm.clientScopes().findAll()) {
            ids.put(scope.getName(), scope.getId());
        }
        delegationScopes.forEach((scope, consentText) ->
                ids.computeIfAbsent(scope, missing -> createDelegationScope(realm, missing, consentText)));
        updateConsentTexts(realm, delegationScopes);
        client.getDefaultClientScopes().stream()
                .filter(scope -> !"basic".equals(scope.getName()))
                .forEach(scope -> client.removeDefaultClientScope(scope.getId()));
        client.getOptionalClientScopes()
                .forEach(scope -> client.removeOptionalClientScope(scope.getId()));
        if (ids.containsKey("basic") && client.getDefaultClientScopes().isEmpty()) {
            client.addDefaultClientScope(ids.get("basic"));
        }
        Set<String> optional = new java.util.TreeSet<>(delegationScopes.keySet());
        optional.add(ORGANIZATION_SCOPE);
        optional.forEach(scope -> client.addOptionalClientScope(ids.get(scope)));
    }

    /** A delegation scope: in the token's scope claim, shown on the consent page with its plain-words text. */
    private static String createDelegationScope(RealmResource realm, String name, String consentText) {
        ClientScopeRepresentation scope = new ClientScopeRepresentation();
        scope.setName(name);
        scope.setDescription(consentText);
        scope.setProtocol("openid-connect");
        scope.setAttributes(Map.of("include.in.token.scope", "true", "display.on.consent.screen", "true",
                "consent.screen.text", consentText));
        try (Response created = realm.clientScopes().create(scope)) {
            if (created.getStatus() == Response.Status.CONFLICT.getStatusCode()) {
                return realm.clientScopes().findAll().stream()
                        .filter(existing -> name.equals(existing.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getId();
            }
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /**
     * A delegation scope made by an earlier release keeps its name but gets today's consent text: the consent page
     * must say what the scope allows now.
     */
    private static void updateConsentTexts(RealmResource realm, Map<String, String> delegationScopes) {
        for (ClientScopeRepresentation scope : realm.clientScopes().findAll()) {
            String text = delegationScopes.get(scope.getName());
            Map<String, String> attributes = scope.getAttributes() == null ? new HashMap<>() : new HashMap<>(scope.getAttributes());
            if (text != null && !text.equals(attributes.get("consent.screen.text"))) {
                attributes.put("consent.screen.text", text);
                attributes.put("display.on.consent.screen", "true");
                scope.setAttributes(attributes);
                scope.setDescription(text);
                realm.clientScopes().get(scope.getId()).update(scope);
            }
        }
    }

    private static ProtocolMapperRepresentation nonceMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(NONCE_MAPPER_NAME);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(NONCE_MAPPER);
        mapper.setConfig(Map.of());
        return mapper;
    }

    private ProtocolMapperRepresentation audienceMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("platform-api audience");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(Map.of("included.custom.audience", properties.audience(), "access.token.claim", "true"));
        return mapper;
    }

    /** The Keycloak authorization endpoint of the realm (what a merchant's browser is sent to). */
    public String authorizationEndpoint() {
        return properties.issuer() + "/protocol/openid-connect/auth";
    }
}
