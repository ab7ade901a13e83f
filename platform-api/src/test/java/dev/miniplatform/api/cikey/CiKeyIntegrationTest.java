package dev.miniplatform.api.cikey;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/**
 * CI keys against the real stack: a real Keycloak client per key, real client-credentials tokens, and every limit
 * a pipeline could try to step over (another mini program, another workspace, an operation it was not given, an
 * address outside its blocks, a rotated secret, a revoked key).
 */
class CiKeyIntegrationTest extends IntegrationTest {

    private static final Map<String, Object> TEST_TARGET_OF = Map.of("environment", "TEST");

    private static TestUser admin;
    private static RegisteredWallet wallet;
    private ReleaseSteps steps;

    @BeforeEach
    void wallet() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            wallet = new Catalog(api, keycloak, admin).registerWallet("CI Key Wallet");
        }
        steps = new ReleaseSteps(api);
    }

    @Test
    void aKeyUploadsPreviewsAndSubmitsItsOwnMiniProgramsAndNothingElse() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Pipeline");
        String otherApp = workspace.createMiniProgram(workspace.owner, "Tea Other");
        Workspace stranger = Workspace.create(api, keycloak);
        String strangerApp = stranger.createMiniProgram(stranger.owner, "Stranger Tea");

        JsonNode created = create(workspace, workspace.owner, Map.of("name", "main branch", "appIds", List.of(appId),
                "allowSubmit", true)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(created.get("clientId").asString()).startsWith("ci-main-branch-");
        assertThat(created.get("key").asString()).isEqualTo(created.get("clientId").asString() + ":" + created.get("clientSecret").asString());
        assertThat(created.get("tokenUrl").asString()).endsWith("/protocol/openid-connect/token");
        TestUser key = keyUser(created);

        api.get().uri("/api/v1/ci-key").headers(h -> h.setBearerAuth(key.accessToken())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.workspaceId").isEqualTo(workspace.tenantId)
                .jsonPath("$.appIds[0]").isEqualTo(appId)
                .jsonPath("$.allowSubmit").isEqualTo(true);

        steps.upload(workspace, key, appId, "1.0.0").expectStatus().isCreated()
                .expectBody().jsonPath("$.uploadedBy").isEqualTo("ci-key:" + created.get("clientId").asString());
        preview(workspace.tenantId, key, appId).expectStatus().isCreated();
        steps.act(workspace, key, appId, "1.0.0", "submit", Map.of("target", target()))
                .expectStatus().is2xxSuccessful();

        // another mini program of its workspace, and anything of another workspace: as if it did not exist
        steps.upload(workspace, key, otherApp, "1.0.0").expectStatus().isNotFound();
        preview(workspace.tenantId, key, otherApp).expectStatus().isNotFound();
        steps.upload(stranger, key, strangerApp, "1.0.0").expectStatus().isNotFound();
        steps.upload(stranger, key, appId, "1.0.0").expectStatus().isNotFound();
        preview(stranger.tenantId, key, strangerApp).expectStatus().isNotFound();

        // operations it was never given, on its own mini program: refused, not hidden
        steps.act(workspace, key, appId, "1.0.0", "release", Map.of("target", target(), "grayPercent", 100))
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:forbidden");
        api.get().uri(workspace.path("/mini-programs")).headers(h -> h.setBearerAuth(key.accessToken())).exchange()
                .expectStatus().isForbidden();
        api.put().uri(workspace.path("/mini-programs/" + appId + "/domains")).headers(h -> h.setBearerAuth(key.accessToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("revision", 0, "request", List.of("https://x.example.com")))
                .exchange().expectStatus().isForbidden();
        // the console's own operations (members, keys, audit, workspaces) do not exist for it
        for (String path : List.of("/members", "/ci-keys", "/audit-events")) {
            api.get().uri(workspace.path(path)).headers(h -> h.setBearerAuth(key.accessToken())).exchange()
                    .expectStatus().isNotFound();
        }
        create(workspace, key, Map.of("name", "escalate", "appIds", List.of(appId, otherApp))).expectStatus().isNotFound();
        api.post().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(key.accessToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Key's own", "kind", "MERCHANT"))
                .exchange().expectStatus().value(status -> assertThat(status).isIn(401, 403, 404));
        // what every console user may read, a pipeline may too: the wallets it can preview on and submit to
        api.get().uri("/api/v1/wallets").headers(h -> h.setBearerAuth(key.accessToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[*].id").value(hasItem(wallet.id()));

        // nothing of the above wrote anything: one version, uploaded by the key, and the audit log says who
        api.get().uri(workspace.path("/mini-programs/" + otherApp + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
        String actor = "ci-key:" + created.get("id").asString() + " (main branch)";
        api.get().uri(workspace.path("/audit-events?size=100")).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.action == 'version.uploaded')].actor").value(hasItem(actor))
                .jsonPath("$.items[?(@.action == 'preview.created')].actor").value(hasItem(actor))
                .jsonPath("$.items[?(@.action == 'ci-key.created')].actor").value(hasItem("user:" + workspace.owner.id()));
    }

    @Test
    void aKeyWithoutSubmitCanUploadButNotSubmit() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Upload Only");
        TestUser key = keyUser(create(workspace, workspace.owner, Map.of("name", "uploads", "appIds", List.of(appId)))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody());

        steps.upload(workspace, key, appId, "1.0.0").expectStatus().isCreated();
        steps.act(workspace, key, appId, "1.0.0", "submit", Map.of("target", target()))
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("not allowed to submit"));
        api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void aKeyIsUsableOnlyFromItsAddressBlocks() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Addresses");
        TestUser elsewhere = keyUser(create(workspace, workspace.owner, Map.of("name", "runner net", "appIds", List.of(appId),
                "allowedSources", List.of("203.0.113.0/24", "2001:db8::/32"))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody());
        TestUser here = keyUser(create(workspace, workspace.owner, Map.of("name", "loopback", "appIds", List.of(appId),
                "allowedSources", List.of("127.0.0.0/8", "::1"))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody());

        steps.upload(workspace, elsewhere, appId, "1.0.0").expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("203.0.113.0/24").containsAnyOf("127.0.0.1", "::1"));
        // refused before anything else: not even its own description leaks to a request from elsewhere
        api.get().uri("/api/v1/ci-key").headers(h -> h.setBearerAuth(elsewhere.accessToken())).exchange()
                .expectStatus().isForbidden();
        steps.upload(workspace, here, appId, "1.0.0").expectStatus().isCreated();

        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.name == 'loopback')].allowedSources[*]").value(sources ->
                        assertThat((List<Object>) sources).containsExactly("127.0.0.0/8", "::1/128"))
                .jsonPath("$[*].clientSecret").isEmpty()
                .jsonPath("$[*].key").isEmpty();
    }

    @Test
    void rotationEndsTheOldSecretAndItsTokensAndRevocationEndsTheKeyOnTheNextRequest() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Rotation");
        JsonNode created = create(workspace, workspace.owner, Map.of("name", "rotating", "appIds", List.of(appId)))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String clientId = created.get("clientId").asString();
        String oldToken = keycloak.clientCredentialsToken(clientId, created.get("clientSecret").asString());
        steps.upload(workspace, token(oldToken), appId, "1.0.0").expectStatus().isCreated();
        // the stored login of a previewed ticket is the key's, made before the rotation
        bindTester(workspace);
        String ticket = preview(workspace.tenantId, token(oldToken), appId).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("ticket").asString();
        Thread.sleep(1100); // a token's issue time is in whole seconds: this one is from an earlier second

        JsonNode rotated = api.post().uri(workspace.path("/ci-keys/" + created.get("id").asString() + "/rotate"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(rotated.get("clientSecret").asString()).isNotEqualTo(created.get("clientSecret").asString());
        assertThatThrownBy(() -> keycloak.clientCredentialsToken(clientId, created.get("clientSecret").asString()))
                .hasMessageContaining("token request failed: 401");
        steps.upload(workspace, token(oldToken), appId, "1.0.1").expectStatus().isUnauthorized()
                .expectHeader().value("WWW-Authenticate", value -> assertThat(value).contains("invalid_token"))
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("rotated"));
        String newToken = keycloak.clientCredentialsToken(clientId, rotated.get("clientSecret").asString());
        steps.upload(workspace, token(newToken), appId, "1.0.1").expectStatus().isCreated();
        resolve(ticket).expectStatus().isOk();

        api.delete().uri(workspace.path("/ci-keys/" + created.get("id").asString()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isNoContent();
        // the very next request, with a token Keycloak issued and that has not expired
        steps.upload(workspace, token(newToken), appId, "1.0.2").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("revoked"));
        resolve(ticket).expectStatus().isNotFound();
        // its client goes from Keycloak after the revocation committed
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThatThrownBy(() ->
                keycloak.clientCredentialsToken(clientId, rotated.get("clientSecret").asString()))
                .hasMessageContaining("token request failed"));
        api.delete().uri(workspace.path("/ci-keys/" + created.get("id").asString()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isNoContent();
        api.post().uri(workspace.path("/ci-keys/" + created.get("id").asString() + "/rotate"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isEqualTo(409);
        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$[0].revokedBy").isEqualTo("user:" + workspace.owner.id())
                .jsonPath("$[0].revokedAt").isNotEmpty();
        api.get().uri(workspace.path("/audit-events?size=100")).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.action == 'ci-key.rotated')].targetId").value(hasItem(created.get("id").asString()))
                .jsonPath("$.items[?(@.action == 'ci-key.revoked')].targetId").value(hasItem(created.get("id").asString()));
    }

    @Test
    void onlyOwnersAndMastersOfTheWorkspaceManageKeysAndBadInputNamesEveryField() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Managed");
        TestUser master = workspace.join("MASTER", List.of());
        TestUser developer = workspace.join("DEVELOPER", List.of(appId));
        Workspace stranger = Workspace.create(api, keycloak);

        create(workspace, master, Map.of("name", "by master", "appIds", List.of(appId))).expectStatus().isCreated();
        create(workspace, developer, Map.of("name", "by developer", "appIds", List.of(appId))).expectStatus().isForbidden();
        create(workspace, stranger.owner, Map.of("name", "by stranger", "appIds", List.of(appId))).expectStatus().isNotFound();
        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(stranger.owner.accessToken())).exchange()
                .expectStatus().isNotFound();
        String keyId = api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(master.accessToken())).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get(0).get("id").asString();
        // a key id of another workspace, through the stranger's own workspace: unknown there
        for (String path : List.of("/ci-keys/" + keyId + "/rotate")) {
            api.post().uri(stranger.path(path)).headers(h -> h.setBearerAuth(stranger.owner.accessToken())).exchange()
                    .expectStatus().isNotFound();
        }
        api.delete().uri(stranger.path("/ci-keys/" + keyId)).headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.delete().uri(workspace.path("/ci-keys/not-a-uuid")).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.get().uri("/api/v1/ci-key").headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isNotFound();
        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(wallet.token())).exchange()
                .expectStatus().isForbidden();

        create(workspace, workspace.owner, null).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString()).contains("name", "appIds"));
        Map<String, Object> bad = new HashMap<>();
        bad.put("name", "x".repeat(65));
        bad.put("appIds", List.of(appId, stranger.createMiniProgram(stranger.owner, "Not Mine")));
        bad.put("allowedSources", List.of("10.0.0.0/8", "ci.example.com", "10.1.2.3/8", "::1/129"));
        create(workspace, workspace.owner, bad).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:validation")
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString())
                        .contains("name", "allowedSources[1]", "allowedSources[2]", "allowedSources[3]")
                        .doesNotContain("allowedSources[0]"))
                .jsonPath("$.errors[?(@.field == 'allowedSources[2]')].message").value(messages ->
                        assertThat((List<?>) messages).singleElement().asString().contains("did you mean 10.0.0.0/8"));
        bad.put("name", "fine");
        bad.put("allowedSources", List.of());
        create(workspace, workspace.owner, bad).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("appIds[1]");
        // none of the refusals left a key behind
        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void aWorkspaceHoldsAtMostTwentyKeysInForce() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Many Keys");
        String first = null;
        for (int i = 0; i < CiKeyService.MAX_LIVE_KEYS; i++) {
            JsonNode created = create(workspace, workspace.owner, Map.of("name", "key " + i, "appIds", List.of(appId)))
                    .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
            first = first == null ? created.get("id").asString() : first;
        }
        create(workspace, workspace.owner, Map.of("name", "one too many", "appIds", List.of(appId)))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("20 CI keys"));
        api.delete().uri(workspace.path("/ci-keys/" + first)).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isNoContent();
        create(workspace, workspace.owner, Map.of("name", "in its place", "appIds", List.of(appId))).expectStatus().isCreated();
        api.get().uri(workspace.path("/ci-keys")).headers(h -> h.setBearerAuth(workspace.owner.accessToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(CiKeyService.MAX_LIVE_KEYS + 1);
    }

    @Test
    void closingTheWorkspaceRevokesItsKeys() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Closing");
        TestUser key = keyUser(create(workspace, workspace.owner, Map.of("name", "closing", "appIds", List.of(appId)))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody());
        api.delete().uri("/api/v1/tenants/" + workspace.tenantId).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().is2xxSuccessful();
        api.get().uri("/api/v1/ci-key").headers(h -> h.setBearerAuth(key.accessToken())).exchange()
                .expectStatus().isUnauthorized();
    }

    private WebTestClient.ResponseSpec create(Workspace workspace, TestUser as, Map<String, Object> body) {
        WebTestClient.RequestBodySpec request = api.post().uri(workspace.path("/ci-keys"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON);
        return (body == null ? request : request.bodyValue(body)).exchange();
    }

    private TestUser keyUser(JsonNode created) {
        return token(keycloak.clientCredentialsToken(created.get("clientId").asString(), created.get("clientSecret").asString()));
    }

    private static TestUser token(String accessToken) {
        return new TestUser("ci-key", "ci-key", "", accessToken);
    }

    private static Map<String, Object> target() {
        Map<String, Object> target = new HashMap<>(TEST_TARGET_OF);
        target.put("wallet", wallet.id());
        return target;
    }

    private void bindTester(Workspace workspace) {
        api.put().uri(workspace.path("/members/me/testers")).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("accounts", List.of(Map.of("wallet", wallet.id(), "userId", "ci-tester"))))
                .exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec resolve(String ticket) {
        return api.get().uri("/wallet/v1/previews/" + ticket + "?userId=ci-tester")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange();
    }

    private WebTestClient.ResponseSpec preview(String tenantId, TestUser as, String appId) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "preview.zip";
            }
        });
        return api.post().uri("/api/v1/tenants/" + tenantId + "/mini-programs/" + appId + "/previews?wallet=" + wallet.id())
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }
}
