package dev.miniplatform.api.demo;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.workspace.TenantService;
import dev.miniplatform.api.walletregistry.WalletService;
import dev.miniplatform.auth.config.KeycloakProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code bin/run} seeds (the dev profile's {@link DemoData}, run here on the test server): every demo login
 * works, and the demo ISV's service is in the marketplace, approved, with a working OAuth client — so a newcomer
 * can walk through the ISV flow of docs/isv.md without setting anything up.
 */
class DemoDataIntegrationTest extends IntegrationTest {

    @Autowired
    TenantService tenants;
    @Autowired
    WalletService wallets;
    @Autowired
    KeycloakProperties keycloakProperties;
    @Autowired
    WebServerApplicationContext context;

    @Test
    void theDevRunSeedsAnIsvWithAnApprovedServiceInTheMarketplace() {
        new DemoData(keycloakAdmin(), tenants, keycloakProperties, context, wallets).run(null);

        String merchantOwner = demoLogin("merchant-owner", "demo-merchant");
        JsonNode services = api.get().uri("/api/v1/marketplace/services?q={q}", DemoIsv.SERVICE_NAME)
                .headers(h -> h.setBearerAuth(merchantOwner))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<JsonNode> items = services.path("items").valueStream().toList();
        assertThat(items).hasSize(1);
        assertThat(items.getFirst().path("type").asString()).isEqualTo("DEVELOPMENT");
        assertThat(items.getFirst().path("state").asString()).isEqualTo("APPROVED");

        String isvOwner = demoLogin("isv-owner", "demo-isv");
        String isvId = api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(isvOwner))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .valueStream().filter(each -> "ISV".equals(each.path("kind").asString()))
                .findFirst().orElseThrow().path("id").asString();
        JsonNode application = api.get().uri("/api/v1/tenants/{isvId}/isv-application", isvId)
                .headers(h -> h.setBearerAuth(isvOwner))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(application.path("redirectUris").valueStream().map(JsonNode::asString).toList())
                .containsExactly(DemoIsv.REDIRECT_URI);
        assertThat(application.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(application.path("webhookUrl").asString()).isEqualTo(DemoIsv.WEBHOOK_URL);
        String clientId = application.path("clientId").asString();
        List<String> redirectUris = keycloakAdmin().call(realm -> realm.clients().findByClientId(clientId).getFirst()
                        .getRedirectUris())
                .block(Duration.ofSeconds(30));
        assertThat(redirectUris).containsExactly(DemoIsv.REDIRECT_URI);
    }

    private String demoLogin(String username, String password) {
        return keycloak.login(new KeycloakUsers.TestUser(null, username, password, null)).accessToken();
    }
}
