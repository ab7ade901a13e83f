package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts mini programs into wallets' catalogs through the console API, as a merchant and a reviewer would: register
 * wallets, upload versions, submit, pilot, gray and full releases, modify.
 */
public final class Catalog {

    /** A registered wallet with a real client-credentials token from Keycloak. */
    public record RegisteredWallet(String id, String clientId, String secret, String token) {
    }

    private final WebTestClient api;
    private final KeycloakUsers keycloak;
    private final TestUser admin;

    public Catalog(WebTestClient api, KeycloakUsers keycloak, TestUser admin) {
        this.api = api;
        this.keycloak = keycloak;
        this.admin = admin;
    }

    public RegisteredWallet registerWallet(String name) {
        Map<?, ?> body = api.post().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "sandboxReview", false))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        String clientId = body.get("clientId").toString();
        String secret = body.get("clientSecret").toString();
        return new RegisteredWallet(body.get("id").toString(), clientId, secret,
                keycloak.clientCredentialsToken(clientId, secret));
    }

    public void upload(Workspace workspace, String appId, String version) {
        upload(workspace, appId, version, CodePackagesForTests.zip(Map.of(
                "app.json", "{\"pages\": [\"pages/index/index\"]}", "pages/index/index.js", "Page({v: '" + version + "'});")))
                .expectStatus().isCreated();
    }

    /** Uploads {@code zip} as the version, as the owner; the caller checks the answer. */
    public WebTestClient.ResponseSpec upload(Workspace workspace, String appId, String version, byte[] zip) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Release " + version + " of the menu page");
        parts.part("package", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    /** Uploads the version and takes it to full release on the wallet's DEV environment (no review there). */
    public void fullRelease(Workspace workspace, String appId, String version, String walletId) {
        upload(workspace, appId, version);
        releaseUploaded(workspace, appId, version, walletId);
    }

    /** Takes an uploaded version to full release on the wallet's DEV environment. */
    public void releaseUploaded(Workspace workspace, String appId, String version, String walletId) {
        act(workspace, appId, version, "submit", walletId, "DEV", Map.of()).expectStatus().isAccepted();
        act(workspace, appId, version, "release", walletId, "DEV", Map.of("grayPercent", 100)).expectStatus().isOk();
    }

    public WebTestClient.ResponseSpec act(Workspace workspace, String appId, String version, String action,
                                          String walletId, String environment, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("target", Map.of("wallet", walletId, "environment", environment));
        return api.post().uri(workspace.path("/mini-programs/" + appId + "/versions/" + version + "/" + action))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** Renames the mini program's en-US localization (a full modify, as the console sends it). */
    public void rename(Workspace workspace, String appId, String englishName) {
        Map<?, ?> current = api.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        Map<String, Object> body = Workspace.validMiniProgram(englishName);
        body.put("revision", current.get("revision"));
        api.put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk();
    }

    public static List<String> languages() {
        return List.of("zh-CN", "en-US");
    }
}
