package dev.miniplatform.api.preview;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakBrowser;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Previews made by an ISV for a merchant, with real delegated tokens from Keycloak's consent pages: allowed with
 * {@code miniprogram:write}, refused without it; an ISV-issued ticket works for the merchant's testers and dies
 * with the authorization.
 */
class PreviewIsvIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WebhookReceiver receiver;
    static TestUser admin;
    static RegisteredWallet wallet;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    TemplateSteps steps;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            wallet = new Catalog(api, keycloak, admin).registerWallet("ISV Preview Wallet");
        }
        steps = new TemplateSteps(api, keycloak, keycloakProperties, receiver, admin, null, transactions, database);
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void anIsvWithWriteScopePreviewsForTheMerchantAndOneWithoutItIsRefused() {
        Workspace merchant = Workspace.create(api, keycloak);
        String appId = merchant.createMiniProgram(merchant.owner, "ISV Preview Tea");
        api.put().uri(merchant.path("/members/me/testers"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("accounts", List.of(Map.of("wallet", wallet.id(), "userId", "merchant-phone"))))
                .exchange()
                .expectStatus().isOk();

        TemplateSteps.Isv reader = steps.onboardIsv(List.of("miniprogram:read"));
        String readerToken = consent(merchant, reader).token();
        createPreview(merchant, readerToken, appId).expectStatus().isForbidden();
        api.get().uri(merchant.path("/mini-programs/" + appId + "/previews"))
                .headers(h -> h.setBearerAuth(readerToken))
                .exchange()
                .expectStatus().isOk();
        api.get().uri(merchant.path("/members/me/testers"))
                .headers(h -> h.setBearerAuth(readerToken))
                .exchange()
                .expectStatus().isNotFound();

        TemplateSteps.Isv writer = steps.onboardIsv(List.of("miniprogram:read", "miniprogram:write"));
        Consented granted = consent(merchant, writer);
        String ticket = createPreview(merchant, granted.token(), appId)
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("ticket").asString();
        resolve(ticket).expectStatus().isOk();

        steps.revoke(merchant, granted.authorizationId());

        resolve(ticket).expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec resolve(String ticket) {
        return api.get().uri("/wallet/v1/previews/" + ticket + "?userId=merchant-phone")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange();
    }

    private WebTestClient.ResponseSpec createPreview(Workspace merchant, String token, String appId) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "preview.zip";
            }
        });
        return api.post().uri(merchant.path("/mini-programs/" + appId + "/previews?wallet=" + wallet.id()))
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    private record Consented(String authorizationId, String token) {
    }

    /**
     * The merchant owner requests the authorization and consents on Keycloak's pages; the ISV redeems the code with
     * its secret and the PKCE verifier (read from the committed {@code authorization.requested} event, as an ISV
     * holding it would); its first request activates the authorization.
     */
    private Consented consent(Workspace merchant, TemplateSteps.Isv isv) {
        JsonNode requested = api.post().uri(merchant.path("/authorizations"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceId", isv.serviceId()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = requested.get("id").asString();
        String verifier = transactions.inTransaction(database.sql("""
                                select (payload::jsonb)->>'codeVerifier' as verifier from outbox_events
                                where type = 'authorization.requested' and (payload::jsonb)->>'authorizationId' = $1""")
                        .bind(0, id)
                        .map(row -> row.get("verifier", String.class))
                        .one())
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(10));
        URI back = new KeycloakBrowser().consent(requested.get("authorizeUrl").asString(), merchant.owner.username(),
                merchant.owner.password(), true);
        String code = UriComponentsBuilder.fromUri(back).build().getQueryParams().getFirst("code");
        HttpResponse<String> exchanged = tokenRequest(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", receiver.url("/callback"), "client_id", isv.clientId(), "client_secret", isv.clientSecret(),
                "code_verifier", verifier));
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        String token = JSON.readTree(exchanged.body()).get("access_token").asString();
        api.get().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk();
        return new Consented(id, token);
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(keycloakProperties.issuer() + "/protocol/openid-connect/token"))
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
}
