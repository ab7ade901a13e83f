package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
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
 * An ISV onboarded through the API (application, one approved service with the given scopes) and its real delegated
 * token for a merchant: the merchant requests the authorization, its owner consents on Keycloak's pages, the ISV
 * redeems the code with its secret and PKCE verifier. The steps of IsvDelegationIntegrationTest, for tests of other
 * features that must hold against an ISV.
 */
public final class DelegatedIsv {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final TestUser owner;
    public final String tenantId;
    public final String serviceId;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;

    private DelegatedIsv(TestUser owner, String tenantId, String serviceId, String clientId, String clientSecret,
                         String redirectUri) {
        this.owner = owner;
        this.tenantId = tenantId;
        this.serviceId = serviceId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
    }

    /** @param admin a platform admin, who approves the service */
    public static DelegatedIsv onboard(WebTestClient api, KeycloakUsers keycloak, TestUser admin, WebhookReceiver receiver,
                                       List<String> scopes) {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "Domains ISV " + UUID.randomUUID().toString().substring(0, 8);
        String tenantId = body(send(api, owner, "POST", "/api/v1/tenants", Map.of("kind", "ISV", "name", name))
                .expectStatus().isCreated()).get("id").asString();
        JsonNode application = body(send(api, owner, "PUT", "/api/v1/tenants/" + tenantId + "/isv-application",
                Map.of("name", name, "redirectUris", List.of(receiver.url("/callback")), "webhookUrl", receiver.url("/hooks")))
                .expectStatus().isOk());
        String serviceId = body(send(api, owner, "POST", "/api/v1/tenants/" + tenantId + "/services",
                Map.of("type", "DEVELOPMENT", "name", name + " dev", "description", "We build your mini program for you.",
                        "industries", List.of("food.tea-coffee"), "scopes", scopes))
                .expectStatus().isCreated()).get("id").asString();
        api.post().uri("/api/v1/admin/services/" + serviceId + "/approve")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk();
        return new DelegatedIsv(owner, tenantId, serviceId, application.get("clientId").asString(),
                application.get("clientSecret").asString(), receiver.url("/callback"));
    }

    /** An authorization granted by the merchant's owner, and the ISV's access token under it. */
    public record Grant(String authorizationId, String accessToken) {
    }

    public Grant authorizedBy(WebTestClient api, Workspace merchant, KeycloakProperties keycloak,
                              TenantTransactions transactions, DatabaseClient database) {
        JsonNode authorization = body(send(api, merchant.owner, "POST", merchant.path("/authorizations"),
                Map.of("serviceId", serviceId)).expectStatus().isCreated());
        String authorizationId = authorization.get("id").asString();
        String verifier = transactions.inTransaction(database.sql("""
                                select (payload::jsonb)->>'codeVerifier' as verifier from outbox_events
                                where type = 'authorization.requested' and (payload::jsonb)->>'authorizationId' = $1""")
                        .bind(0, authorizationId)
                        .map(row -> row.get("verifier", String.class))
                        .one())
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(10));
        URI back = new KeycloakBrowser().consent(authorization.get("authorizeUrl").asString(), merchant.owner.username(),
                merchant.owner.password(), true);
        Map<String, String> query = UriComponentsBuilder.fromUri(back).build().getQueryParams().toSingleValueMap();
        HttpResponse<String> exchanged = tokenRequest(keycloak, Map.of("grant_type", "authorization_code",
                "code", query.get("code"), "redirect_uri", redirectUri, "client_id", clientId,
                "client_secret", clientSecret, "code_verifier", verifier));
        if (exchanged.statusCode() != 200) {
            throw new AssertionError("code exchange failed: " + exchanged.body());
        }
        return new Grant(authorizationId, JSON.readTree(exchanged.body()).get("access_token").asString());
    }

    private static HttpResponse<String> tokenRequest(KeycloakProperties keycloak, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static WebTestClient.ResponseSpec send(WebTestClient api, TestUser as, String method, String path, Object body) {
        return api.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static JsonNode body(WebTestClient.ResponseSpec response) {
        return response.expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
