package dev.miniplatform.api.release;

import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

class ReleaseFlowIntegrationTest extends IntegrationTest {

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    CodePackageStore packageStore;

    @LocalServerPort
    int port;

    static TestUser admin;
    static TestUser reviewer;
    static String wallet;
    static String walletWithoutSandboxReview;

    Workspace workspace;
    String appId;

    @BeforeEach
    void workspaceWithAMiniProgram() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
            wallet = registerWallet("Demo Wallet", true).get("id").toString();
            walletWithoutSandboxReview = registerWallet("Quick Wallet", false).get("id").toString();
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Release Tea");
    }

    @Test
    void aVersionWalksFromUploadThroughReviewPilotGrayAndFullReleaseToRollbackAndOffline() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated()
                .expectBody().jsonPath("$.sha256").isNotEmpty().jsonPath("$.size").isNumber();
        String review1 = submitted("1.0.0", "PROD", "UNDER_REVIEW");
        api.get().uri("/api/v1/reviews?state=PENDING")
                .headers(h -> h.setBearerAuth(reviewer.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].id").value(hasItem(review1));
        decide(reviewer, review1, "approve", null).expectStatus().isOk();
        state("1.0.0", "PROD").isEqualTo("RELEASE_PREPARATION");

        act("pilot", "1.0.0", "PROD", Map.of("userIds", List.of("wallet-user-1", "wallet-user-2"))).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("PILOT_TESTING").jsonPath("$.pilotUserIds.length()").isEqualTo(2)
                .jsonPath("$.allowedActions").isEqualTo(List.of("pilot", "release", "cancel"));
        act("release", "1.0.0", "PROD", Map.of("grayPercent", 10)).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("GRAYSCALE").jsonPath("$.grayPercent").isEqualTo(10);
        act("release", "1.0.0", "PROD", Map.of("grayPercent", 50)).expectStatus().isOk()
                .expectBody().jsonPath("$.grayPercent").isEqualTo(50);
        act("release", "1.0.0", "PROD", Map.of("grayPercent", 10)).expectStatus().isEqualTo(409);
        act("release", "1.0.0", "PROD", Map.of("grayPercent", 100)).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("FULL_RELEASE")
                .jsonPath("$.allowedActions").isEqualTo(List.of("rollback", "offline"));

        upload(workspace.owner, "1.1.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        decide(reviewer, submitted("1.1.0", "PROD", "UNDER_REVIEW"), "approve", null).expectStatus().isOk();
        act("release", "1.1.0", "PROD", Map.of("grayPercent", 100)).expectStatus().isOk();
        state("1.1.0", "PROD").isEqualTo("FULL_RELEASE");
        state("1.0.0", "PROD").isEqualTo("ARCHIVED");

        act("rollback", "1.1.0", "PROD", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("ARCHIVED");
        state("1.0.0", "PROD").isEqualTo("FULL_RELEASE");

        act("offline", "1.0.0", "PROD", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("OFFLINE");

        api.get().uri(workspace.path("/audit-events?size=100"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody().jsonPath("$.items[*].action").value(hasItems("version.uploaded", "release.submit",
                        "release.approve", "release.pilot", "release.gray", "release.full", "release.archive",
                        "release.rollback", "release.restore", "release.offline"))
                .jsonPath("$.items[?(@.action == 'release.approve')].actor").value(hasItem("reviewer:" + reviewer.id()));
        api.get().uri(workspace.path("/audit-events?size=100&action=release."))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody()
                .jsonPath("$.items[*].action").value(actions -> assertThat((List<String>) actions)
                        .isNotEmpty()
                        .allMatch(action -> action.startsWith("release."))
                        .contains("release.full", "release.offline"))
                .jsonPath("$.total").value(total -> assertThat(((Number) total).intValue()).isGreaterThanOrEqualTo(10));
        // the filter is a prefix, not a pattern: LIKE wildcards match only themselves
        api.get().uri(workspace.path("/audit-events?action={action}"), "%")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody()
                .jsonPath("$.total").isEqualTo(0);
        assertThat(outboxTypes()).contains("release.submit", "release.approve", "release.full", "release.rollback");
    }

    @Test
    void reviewIsNeverNeededForDevAndTestAndFollowsTheWalletForSandbox() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();

        submitted("1.0.0", "DEV", "RELEASE_PREPARATION");
        submitted("1.0.0", "TEST", "RELEASE_PREPARATION");
        submitted("1.0.0", "SANDBOX", "UNDER_REVIEW");
        submitTo("1.0.0", walletWithoutSandboxReview, "SANDBOX").expectStatus().isAccepted()
                .expectBody().jsonPath("$.state").isEqualTo("RELEASE_PREPARATION");
    }

    @Test
    void illegalTransitionsAre409NamingTheStateAndTheAllowedActions() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();

        act("release", "1.0.0", "DEV", Map.of("grayPercent", 100)).expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.currentState").isEqualTo("CREATED")
                .jsonPath("$.allowedActions[0]").isEqualTo("submit");
        submitted("1.0.0", "DEV", "RELEASE_PREPARATION");
        act("rollback", "1.0.0", "DEV", Map.of()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.allowedActions").value(hasItems("pilot", "release", "cancel"));
        act("cancel", "1.0.0", "DEV", Map.of()).expectStatus().isOk();
        act("release", "1.0.0", "DEV", Map.of("grayPercent", 100)).expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.currentState").isEqualTo("CANCELED")
                .jsonPath("$.allowedActions.length()").isEqualTo(0);
        submitted("1.0.0", "TEST", "RELEASE_PREPARATION");
        act("release", "1.0.0", "TEST", Map.of("grayPercent", 100)).expectStatus().isOk();
        act("rollback", "1.0.0", "TEST", Map.of()).expectStatus().isEqualTo(409);
        act("release", "1.0.0", "TEST", Map.of("grayPercent", 0)).expectStatus().isBadRequest();
    }

    @Test
    void aRejectedVersionCarriesTheReasonAndMayBeResubmitted() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        String review = submitted("1.0.0", "PROD", "UNDER_REVIEW");

        decide(reviewer, review, "reject", Map.of()).expectStatus().isBadRequest();
        decide(reviewer, review, "reject", Map.of("reason", "The privacy policy page is missing.")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("REJECTED");
        api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody()
                .jsonPath("$[0].state").isEqualTo("REJECTED")
                .jsonPath("$[0].rejectReason").isEqualTo("The privacy policy page is missing.");
        decide(reviewer, review, "approve", null).expectStatus().isEqualTo(409);

        submitted("1.0.0", "PROD", "UNDER_REVIEW");
    }

    @Test
    void reviewersCannotReviewTheirOwnWorkspaceAndOthersCannotReviewAtAll() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        String review = submitted("1.0.0", "PROD", "UNDER_REVIEW");
        Workspace reviewersOwn = Workspace.create(api, keycloak);
        TestUser memberReviewer = keycloak.newUserWithRealmRole("insider", "platform-reviewer");
        String insiderApp = reviewersOwn.createMiniProgram(reviewersOwn.owner, "Insider Tea");
        api.post().uri(reviewersOwn.path("/invitations"))
                .headers(h -> h.setBearerAuth(reviewersOwn.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Insider", "email", memberReviewer.email(), "role", "MASTER"))
                .exchange()
                .expectStatus().isCreated();
        api.post().uri("/api/v1/invitations/" + Workspace.latestInvitationToken(memberReviewer.email()) + "/accept")
                .headers(h -> h.setBearerAuth(memberReviewer.accessToken()))
                .exchange()
                .expectStatus().isOk();
        uploadTo(reviewersOwn, insiderApp, "1.0.0").expectStatus().isCreated();
        String insiderReview = api.post().uri(reviewersOwn.path("/mini-programs/" + insiderApp + "/versions/1.0.0/submit"))
                .headers(h -> h.setBearerAuth(reviewersOwn.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("target", Map.of("wallet", wallet, "environment", "PROD")))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("reviewId").toString();

        // 404, as for an unknown review: the queue policy hides reviews of the reviewer's own workspaces
        decide(memberReviewer, insiderReview, "approve", null).expectStatus().isNotFound();
        decide(workspace.owner, review, "approve", null).expectStatus().isForbidden();
        api.get().uri("/api/v1/reviews")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isForbidden();
        decide(reviewer, UUID.randomUUID().toString(), "approve", null).expectStatus().isNotFound();
        decide(memberReviewer, review, "approve", null).expectStatus().isOk();
    }

    @Test
    void ofSimultaneousIdenticalTransitionsExactlyOneWins() {
        upload(workspace.owner, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        WebClient client = WebClient.create("http://127.0.0.1:" + port);

        List<Integer> submits = race(client, "submit", Map.of("target", Map.of("wallet", wallet, "environment", "DEV")));
        assertThat(submits).containsExactlyInAnyOrder(202, 409, 409, 409, 409);

        List<Integer> releases = race(client, "release", Map.of("target", Map.of("wallet", wallet, "environment", "DEV"),
                "grayPercent", 100));
        assertThat(releases).containsExactlyInAnyOrder(200, 409, 409, 409, 409);
        state("1.0.0", "DEV").isEqualTo("FULL_RELEASE");
    }

    @Test
    void badPackagesAndVersionsGetClear4xxAndLeaveNothingBehind() {
        upload(workspace.owner, "1.0.0", "this is not a zip".getBytes()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("not-zip");
        upload(workspace.owner, "1.0.0", CodePackagesForTests.zip(Map.of("index.js", "x"))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("manifest-missing");
        upload(workspace.owner, "1.0.0", CodePackagesForTests.zip(Map.of("app.json", "{\"pages\": []}"))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("manifest-pages");
        upload(workspace.owner, "1.0", CodePackagesForTests.valid()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("version");
        byte[] oversized = new byte[21 * 1024 * 1024];
        new java.util.Random(1).nextBytes(oversized);
        upload(workspace.owner, "1.0.0", oversized).expectStatus().isEqualTo(413);
        versions().isEqualTo(0);

        upload(workspace.owner, "2.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        upload(workspace.owner, "1.9.9", CodePackagesForTests.valid()).expectStatus().isEqualTo(409);
        upload(workspace.owner, "2.0.0", CodePackagesForTests.valid()).expectStatus().isEqualTo(409);
        versions().isEqualTo(1);
    }

    @Test
    void atMostTwentyVersionsWaitUnsubmittedAndTheStoredPackageIsTheUploadedOne() {
        byte[] first = CodePackagesForTests.valid();
        for (int patch = 0; patch < 20; patch++) {
            upload(workspace.owner, "1.0." + patch, first).expectStatus().isCreated();
        }

        upload(workspace.owner, "1.0.20", first).expectStatus().isEqualTo(409);
        submitted("1.0.19", "DEV", "RELEASE_PREPARATION");
        upload(workspace.owner, "1.0.20", first).expectStatus().isCreated();

        byte[] stored = transactions.inTransaction(packageStore.load(UUID.fromString(workspace.tenantId), Sha256.hexOf(first)))
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block();
        assertThat(stored).isEqualTo(first);
    }

    @Test
    void developersReleaseOnlyTheirAssignedMiniProgramsAndOutsidersSeeNothing() {
        String otherApp = workspace.createMiniProgram(workspace.owner, "Not Assigned Tea");
        TestUser developer = workspace.join("DEVELOPER", List.of(appId));

        upload(developer, "1.0.0", CodePackagesForTests.valid()).expectStatus().isCreated();
        submitTo(developer, appId, "1.0.0", wallet, "DEV").expectStatus().isAccepted();
        uploadAs(developer, otherApp, "1.0.0").expectStatus().isNotFound();

        Workspace outsider = Workspace.create(api, keycloak);
        uploadAs(outsider.owner, appId, "1.1.0").expectStatus().isNotFound();
        submitTo(outsider.owner, appId, "1.0.0", wallet, "DEV").expectStatus().isNotFound();
        api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(outsider.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void onlyPlatformAdminsRegisterWalletsAndAWalletGetsTheMetadataScope() {
        api.post().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Sneaky Wallet", "sandboxReview", true))
                .exchange()
                .expectStatus().isForbidden();
        api.post().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", ""))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(2);

        Map<?, ?> registered = registerWallet("Scope Wallet", true);
        String token = keycloak.clientCredentialsToken(registered.get("clientId").toString(),
                registered.get("clientSecret").toString());
        Map<?, ?> claims = JsonMapper.builder().build().readValue(
                Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
        assertThat(claims.get("scope").toString()).contains("metadata:read");
        assertThat(claims.get("aud").toString()).contains("platform-api");
        api.get().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.clientId == '" + registered.get("clientId") + "')].clientSecret").doesNotExist();
    }

    @Test
    void consoleUsersSeeEachWalletsIdAndNameOnlyAndWalletsSeeNothing() {
        api.get().uri("/api/v1/wallets")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '" + wallet + "')].name").value(hasItem("Demo Wallet"))
                .jsonPath("$[*].clientId").value(ids -> assertThat((List<?>) ids).isEmpty());
        api.get().uri("/api/v1/wallets")
                .exchange()
                .expectStatus().isUnauthorized();
        Map<?, ?> registered = registerWallet("Curious Wallet", true);
        String walletToken = keycloak.clientCredentialsToken(registered.get("clientId").toString(),
                registered.get("clientSecret").toString());
        api.get().uri("/api/v1/wallets")
                .headers(h -> h.setBearerAuth(walletToken))
                .exchange()
                .expectStatus().isForbidden();
    }

    private List<Integer> race(WebClient client, String action, Map<String, Object> body) {
        return Flux.range(0, 5)
                .flatMap(i -> client.post().uri(workspace.path("/mini-programs/" + appId + "/versions/1.0.0/" + action))
                        .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                        .bodyValue(body)
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())))
                .collectList()
                .block();
    }

    private Map<?, ?> registerWallet(String name, boolean sandboxReview) {
        return api.post().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "sandboxReview", sandboxReview))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private WebTestClient.ResponseSpec upload(TestUser user, String version, byte[] zip) {
        return upload(workspace, user, appId, version, zip);
    }

    private WebTestClient.ResponseSpec uploadAs(TestUser user, String app, String version) {
        return upload(workspace, user, app, version, CodePackagesForTests.valid());
    }

    private WebTestClient.ResponseSpec uploadTo(Workspace target, String app, String version) {
        return upload(target, target.owner, app, version, CodePackagesForTests.valid());
    }

    private WebTestClient.ResponseSpec upload(Workspace target, TestUser user, String app, String version, byte[] zip) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "First release with the menu page");
        parts.part("package", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(target.path("/mini-programs/" + app + "/versions"))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    /** Submits as the owner to the main wallet and returns the review id (or null without review). */
    private String submitted(String version, String environment, String expectedState) {
        Object reviewId = submitTo(version, wallet, environment)
                .expectStatus().isAccepted()
                .expectBody(Map.class)
                .value(body -> assertThat(body.get("state")).isEqualTo(expectedState))
                .returnResult()
                .getResponseBody()
                .get("reviewId");
        return reviewId == null ? null : reviewId.toString();
    }

    private WebTestClient.ResponseSpec submitTo(String version, String walletId, String environment) {
        return submitTo(workspace.owner, appId, version, walletId, environment);
    }

    private WebTestClient.ResponseSpec submitTo(TestUser user, String app, String version, String walletId, String environment) {
        return api.post().uri(workspace.path("/mini-programs/" + app + "/versions/" + version + "/submit"))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("target", Map.of("wallet", walletId, "environment", environment)))
                .exchange();
    }

    private WebTestClient.ResponseSpec act(String action, String version, String environment, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("target", Map.of("wallet", wallet, "environment", environment));
        return api.post().uri(workspace.path("/mini-programs/" + appId + "/versions/" + version + "/" + action))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec decide(TestUser user, String reviewId, String decision, Map<String, Object> body) {
        var request = api.post().uri("/api/v1/reviews/" + reviewId + "/" + decision)
                .headers(h -> h.setBearerAuth(user.accessToken()));
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private org.springframework.test.web.reactive.server.JsonPathAssertions state(String version, String environment) {
        return api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.version == '%s' && @.target.environment == '%s' && @.target.wallet == '%s')].state"
                        .formatted(version, environment, wallet));
    }

    private org.springframework.test.web.reactive.server.JsonPathAssertions versions() {
        return api.get().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()");
    }

    private List<String> outboxTypes() {
        return transactions.inTransaction(database.sql("select type from outbox_events order by occurred_at")
                        .map(row -> row.get("type", String.class))
                        .all())
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .collectList()
                .block();
    }
}
