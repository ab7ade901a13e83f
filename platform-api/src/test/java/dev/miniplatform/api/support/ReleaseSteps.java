package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.util.Map;
import java.util.Objects;

/** The release steps a workspace takes through the API, for tests that need a version in a given state. */
public final class ReleaseSteps {

    private final WebTestClient api;

    public ReleaseSteps(WebTestClient api) {
        this.api = api;
    }

    public String registerWallet(TestUser admin, String name, boolean sandboxReview) {
        return Objects.requireNonNull(api.post().uri("/api/v1/admin/wallets")
                        .headers(h -> h.setBearerAuth(admin.accessToken()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", name, "sandboxReview", sandboxReview))
                        .exchange()
                        .expectStatus().isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody())
                .get("id").toString();
    }

    public WebTestClient.ResponseSpec upload(Workspace workspace, TestUser user, String appId, String version) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Version " + version + " with the menu page");
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    public WebTestClient.ResponseSpec act(Workspace workspace, TestUser user, String appId, String version,
                                          String action, Map<String, Object> body) {
        return api.post().uri(workspace.path("/mini-programs/" + appId + "/versions/" + version + "/" + action))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** Uploads the version as the owner and submits it to PROD, where review is always required; returns the review id. */
    public String underReview(Workspace workspace, String appId, String version, String walletId) {
        upload(workspace, workspace.owner, appId, version).expectStatus().isCreated();
        return Objects.requireNonNull(act(workspace, workspace.owner, appId, version, "submit",
                        Map.of("target", Map.of("wallet", walletId, "environment", "PROD")))
                        .expectStatus().isAccepted()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody())
                .get("reviewId").toString();
    }

    public WebTestClient.ResponseSpec decide(TestUser reviewer, String reviewId, String decision) {
        var request = api.post().uri("/api/v1/reviews/" + reviewId + "/" + decision)
                .headers(h -> h.setBearerAuth(reviewer.accessToken()));
        return decision.equals("reject")
                ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "Add a privacy policy page.")).exchange()
                : request.exchange();
    }

    public WebTestClient.BodyContentSpec queue(TestUser reviewer) {
        return api.get().uri("/api/v1/reviews?state=PENDING")
                .headers(h -> h.setBearerAuth(reviewer.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody();
    }
}
