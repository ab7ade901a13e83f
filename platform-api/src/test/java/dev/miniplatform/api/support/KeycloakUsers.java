package dev.miniplatform.api.support;

import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Creates real Keycloak users and clients for a test and gets real tokens for them from Keycloak's token
 * endpoint. Runs on the test thread, where blocking is fine.
 */
public final class KeycloakUsers {

    public record TestUser(String id, String username, String password, String accessToken) {

        public String email() {
            return username + "@example.com";
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KeycloakAdmin admin;
    private final KeycloakProperties keycloak;

    public KeycloakUsers(KeycloakAdmin admin, KeycloakProperties keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
    }

    /** A new person with a unique username, logged in through the password grant of the dev CLI client. */
    public TestUser newUser(String prefix) {
        return login(created(prefix));
    }

    /** A new person, not logged in yet (no token). */
    private TestUser created(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String id = admin.call(realm -> {
            UserRepresentation user = new UserRepresentation();
            user.setUsername(username);
            user.setEmail(username + "@example.com");
            user.setEmailVerified(true);
            user.setFirstName(prefix);
            user.setLastName("Test");
            user.setEnabled(true);
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(password);
            credential.setTemporary(false);
            user.setCredentials(List.of(credential));
            try (Response created = realm.users().create(user)) {
                return CreatedResponseUtil.getCreatedId(created);
            }
        }).block(Duration.ofSeconds(30));
        return new TestUser(id, username, password, null);
    }

    /**
     * The user's address becomes {@code email}: unverified is what changing it in the account console gives.
     * Returns them logged in again, so the token carries the new address.
     */
    public TestUser withEmail(TestUser user, String email, boolean verified) {
        admin.call(realm -> {
            UserRepresentation changed = realm.users().get(user.id()).toRepresentation();
            changed.setEmail(email);
            changed.setEmailVerified(verified);
            realm.users().get(user.id()).update(changed);
            return email;
        }).block(Duration.ofSeconds(30));
        return login(user);
    }

    /** A new person holding a platform realm role (platform-admin, platform-reviewer), logged in. */
    public TestUser newUserWithRealmRole(String prefix, String role) {
        // the role before the first login: two password logins of one user within the realm's quick-login-check
        // second have been seen to lock the user out (Keycloak's brute-force detector, no failure in between)
        TestUser user = created(prefix);
        admin.call(realm -> {
            realm.users().get(user.id()).roles().realmLevel().add(List.of(realm.roles().get(role).toRepresentation()));
            return role;
        }).block(Duration.ofSeconds(30));
        return login(user);
    }

    /** A token for a client that already exists, e.g. a wallet registered through the API. */
    public String clientCredentialsToken(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** Logs the user in again: the new token reflects their current groups. */
    public TestUser login(TestUser user) {
        String token = token(Map.of("grant_type", "password", "client_id", "platform-cli",
                "username", user.username(), "password", user.password()));
        return new TestUser(user.id(), user.username(), user.password(), token);
    }

    /** A confidential client with a service account and the platform audience, and a client-credentials token. */
    public String clientCredentialsToken(String clientIdPrefix) {
        String clientId = clientIdPrefix + UUID.randomUUID().toString().substring(0, 8);
        String secret = "secret-" + UUID.randomUUID();
        admin.call(realm -> {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setSecret(secret);
            client.setPublicClient(false);
            client.setServiceAccountsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setProtocolMappers(List.of(audienceMapper()));
            try (Response created = realm.clients().create(client)) {
                return CreatedResponseUtil.getCreatedId(created);
            }
        }).block(Duration.ofSeconds(30));
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private ProtocolMapperRepresentation audienceMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("platform-api audience");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(Map.of("included.custom.audience", keycloak.audience(), "access.token.claim", "true"));
        return mapper;
    }

    /** A token for the bootstrap admin from the master realm: genuine Keycloak, wrong issuer and audience. */
    public String masterRealmAdminToken() {
        return token(URI.create(keycloak.url() + "/realms/master/protocol/openid-connect/token"),
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
    }

    private String token(Map<String, String> form) {
        return token(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"), form);
    }

    private static String token(URI endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body()).get("access_token").asString();
        } catch (IOException e) {
            throw new IllegalStateException("token request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
