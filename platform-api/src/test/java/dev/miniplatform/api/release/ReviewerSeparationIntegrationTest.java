package dev.miniplatform.api.release;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A reviewer never reviews a version of a workspace they are or were a member of, whichever way they stopped
 * being one. The database's membership history outlives the membership, and the review queue's row-level policy
 * hides such reviews: they are absent from the reviewer's queue and answer 404 to approve and reject, exactly like
 * a review that does not exist.
 */
class ReviewerSeparationIntegrationTest extends IntegrationTest {

    static TestUser admin;
    static TestUser outsider;
    static String wallet;

    ReleaseSteps steps;
    Workspace workspace;
    String appId;
    String review;

    @BeforeEach
    void aVersionUnderReview() {
        steps = new ReleaseSteps(api);
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            outsider = keycloak.newUserWithRealmRole("outsider", "platform-reviewer");
            wallet = steps.registerWallet(admin, "Separation Wallet", true);
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Separated Tea");
        review = steps.underReview(workspace, appId, "1.0.0", wallet);
    }

    @Test
    void aCurrentMemberNeitherSeesNorDecidesTheReview() {
        TestUser insider = workspace.join(keycloak.newUserWithRealmRole("insider", "platform-reviewer"), "MASTER");

        assertCannotReview(insider);
    }

    @Test
    void aMasterWhoRemovedTheirOwnMembershipStillCannotApprove() {
        TestUser insider = workspace.join(keycloak.newUserWithRealmRole("insider", "platform-reviewer"), "MASTER");
        api.delete().uri(workspace.path("/members/" + insider.id()))
                .headers(h -> h.setBearerAuth(insider.accessToken()))
                .exchange()
                .expectStatus().is2xxSuccessful();
        api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(insider.accessToken()))
                .exchange()
                .expectStatus().isNotFound();

        assertCannotReview(keycloak.login(insider));
    }

    @Test
    void aBlockedMemberCannotReview() {
        TestUser insider = workspace.join(keycloak.newUserWithRealmRole("insider", "platform-reviewer"), "MASTER");
        api.patch().uri(workspace.path("/members/" + insider.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "BLOCKED"))
                .exchange()
                .expectStatus().isOk();

        assertCannotReview(keycloak.login(insider));
    }

    @Test
    void aFormerOwnerWhoHandedTheWorkspaceOverAndWasRemovedCannotReview() {
        TestUser founder = withRealmRole(workspace.owner, "platform-reviewer");
        TestUser successor = workspace.join("MASTER", List.of());
        api.post().uri(workspace.path("/ownership"))
                .headers(h -> h.setBearerAuth(founder.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", successor.id()))
                .exchange()
                .expectStatus().isOk();
        assertCannotReview(founder);

        api.delete().uri(workspace.path("/members/" + founder.id()))
                .headers(h -> h.setBearerAuth(successor.accessToken()))
                .exchange()
                .expectStatus().is2xxSuccessful();

        assertCannotReview(keycloak.login(founder));
    }

    @Test
    void aReviewerWhoNeverBelongedSeesTheReviewAndApprovesIt() {
        steps.queue(outsider).jsonPath("$[?(@.id == '%s')].status".formatted(review)).isEqualTo("PENDING");

        steps.decide(outsider, review, "approve").expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("APPROVED");
    }

    @Test
    void membershipElsewhereDoesNotStopAReviewer() {
        TestUser reviewer = keycloak.newUserWithRealmRole("busy", "platform-reviewer");
        Workspace.create(api, keycloak).join(reviewer, "MASTER");

        steps.decide(keycloak.login(reviewer), review, "reject").expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("REJECTED");
    }

    /** Not in the queue, 404 on both decisions, and the review is still pending for everyone else. */
    private void assertCannotReview(TestUser reviewer) {
        steps.queue(reviewer).jsonPath("$[?(@.id == '%s')]".formatted(review)).doesNotExist();
        steps.decide(reviewer, review, "approve").expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        steps.decide(reviewer, review, "reject").expectStatus().isNotFound();
        steps.queue(outsider).jsonPath("$[?(@.id == '%s')].status".formatted(review)).isEqualTo("PENDING");
    }

    private TestUser withRealmRole(TestUser user, String role) {
        keycloakAdmin().call(realm -> {
            realm.users().get(user.id()).roles().realmLevel().add(List.of(realm.roles().get(role).toRepresentation()));
            return role;
        }).block(Duration.ofSeconds(30));
        return keycloak.login(user);
    }
}
