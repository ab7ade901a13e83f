package dev.miniplatform.api.member;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.devservices.MailCatcher;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

class MemberAndInvitationIntegrationTest extends IntegrationTest {

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    Workspace workspace;
    String assigned;
    String other;

    @BeforeEach
    void workspaceWithTwoMiniPrograms() {
        workspace = Workspace.create(api, keycloak);
        assigned = workspace.createMiniProgram(workspace.owner, "Assigned Tea");
        other = workspace.createMiniProgram(workspace.owner, "Other Tea");
    }

    @Test
    void anInvitedDeveloperWorksOnlyOnTheAssignedMiniProgram() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));

        assertThat(groupsOf(developer)).contains("/tenant-" + workspace.tenantId + "/DEVELOPER");
        api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(developer.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].appId").isEqualTo(assigned);
        getMiniProgram(developer, assigned).expectStatus().isOk();
        getMiniProgram(developer, other).expectStatus().isNotFound();
        Map<String, Object> change = Workspace.validMiniProgram("Developer's Tea");
        change.put("revision", 1);
        api.put().uri(workspace.path("/mini-programs/" + assigned))
                .headers(h -> h.setBearerAuth(developer.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isOk();
        api.put().uri(workspace.path("/mini-programs/" + other))
                .headers(h -> h.setBearerAuth(developer.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aDeveloperCannotCreateDeleteOrManageMembers() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));

        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(developer.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("Not mine to make"))
                .exchange()
                .expectStatus().isForbidden();
        api.delete().uri(workspace.path("/mini-programs/" + assigned))
                .headers(h -> h.setBearerAuth(developer.accessToken()))
                .exchange()
                .expectStatus().isForbidden();
        for (String path : List.of("/members", "/invitations", "/audit-events")) {
            api.get().uri(workspace.path(path))
                    .headers(h -> h.setBearerAuth(developer.accessToken()))
                    .exchange()
                    .expectStatus().isForbidden();
        }
    }

    @Test
    void aMasterInvitedBeforeAnyMiniProgramCreatesOneAndManagesMembersButNotTheOwner() {
        Workspace empty = Workspace.create(api, keycloak);
        TestUser master = empty.join("MASTER", List.of());

        String created = empty.createMiniProgram(master, "Master's first");
        api.get().uri(empty.path("/mini-programs/" + created))
                .headers(h -> h.setBearerAuth(empty.owner.accessToken()))
                .exchange()
                .expectStatus().isOk();
        api.get().uri(empty.path("/members"))
                .headers(h -> h.setBearerAuth(master.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].role").value(containsInAnyOrder("OWNER", "MASTER"));
        api.patch().uri(empty.path("/members/" + empty.owner.id()))
                .headers(h -> h.setBearerAuth(master.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "DEVELOPER", "miniPrograms", List.of(created)))
                .exchange()
                .expectStatus().isForbidden();
        api.delete().uri(empty.path("/members/" + empty.owner.id()))
                .headers(h -> h.setBearerAuth(master.accessToken()))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void blockingUnblockingAndRemovingTakeEffectOnTheVeryNextRequest() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));
        getMiniProgram(developer, assigned).expectStatus().isOk();

        patchMember(developer, Map.of("status", "BLOCKED")).expectStatus().isOk();
        getMiniProgram(developer, assigned).expectStatus().isNotFound();
        listMiniPrograms(developer).expectStatus().isNotFound();

        patchMember(developer, Map.of("status", "ACTIVE")).expectStatus().isOk();
        getMiniProgram(developer, assigned).expectStatus().isOk();

        api.delete().uri(workspace.path("/members/" + developer.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        getMiniProgram(developer, assigned).expectStatus().isNotFound();
    }

    @Test
    void roleChangesAndReassignmentsApplyAtOnce() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));

        patchMember(developer, Map.of("miniPrograms", List.of(other))).expectStatus().isOk()
                .expectBody().jsonPath("$.miniPrograms[0]").isEqualTo(other);
        getMiniProgram(developer, assigned).expectStatus().isNotFound();
        getMiniProgram(developer, other).expectStatus().isOk();

        patchMember(developer, Map.of("role", "MASTER", "miniPrograms", List.of())).expectStatus().isOk();
        getMiniProgram(developer, assigned).expectStatus().isOk();
        assertThat(groupsOf(keycloak.login(developer))).contains("/tenant-" + workspace.tenantId + "/MASTER")
                .doesNotContain("/tenant-" + workspace.tenantId + "/DEVELOPER");

        patchMember(developer, Map.of("role", "DEVELOPER", "miniPrograms", List.of())).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("miniPrograms");
        patchMember(developer, Map.of("role", "OWNER")).expectStatus().isBadRequest();
    }

    @Test
    void theInvitationEmailCarriesASingleUseLinkValidThreeDays() {
        Workspace.Invitee invitee = workspace.invite("DEVELOPER", List.of(assigned));

        var mail = MailCatcher.received().getLast();
        assertThat(Workspace.body(mail)).contains("/console/invitations#token=" + invitee.token())
                .doesNotContain("/invitations/" + invitee.token());
        api.get().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].status").isEqualTo("PENDING")
                .jsonPath("$[0].email").isEqualTo(invitee.user().email());

        // the console's landing page (its accept flow runs in ConsoleBrowserIntegrationTest): no inline script
        api.get().uri("/console/invitations")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp).contains("script-src 'self';"))
                .expectBody(String.class).value(page -> assertThat(page).contains("<div id=\"root\">"));
        // links of mails sent before the token moved to the fragment: redirected, the token not echoed into HTML
        api.get().uri("/console/invitations/" + invitee.token())
                .exchange()
                .expectStatus().isFound()
                .expectHeader().valueEquals("Location", "/console/invitations#token=" + invitee.token());
        api.get().uri("/console/invitations/{token}", "<img onerror=alert(1)>")
                .exchange()
                .expectStatus().isFound()
                .expectHeader().value("Location", location -> assertThat(location).doesNotContain("<", ">", " "));

        accept(invitee.user(), invitee.token()).expectStatus().isOk()
                .expectBody().jsonPath("$.role").isEqualTo("DEVELOPER");
        accept(invitee.user(), invitee.token()).expectStatus().isEqualTo(409);
    }

    @Test
    void withdrawnExpiredResentAndForeignInvitationsAreRefusedClearly() {
        Workspace.Invitee withdrawn = workspace.invite("MASTER", List.of());
        String withdrawnId = invitationIdFor(withdrawn.user().email());
        api.delete().uri(workspace.path("/invitations/" + withdrawnId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        accept(withdrawn.user(), withdrawn.token()).expectStatus().isEqualTo(410);

        Workspace.Invitee expired = workspace.invite("MASTER", List.of());
        expire(invitationIdFor(expired.user().email()));
        accept(expired.user(), expired.token()).expectStatus().isEqualTo(410);

        Workspace.Invitee resent = workspace.invite("MASTER", List.of());
        api.post().uri(workspace.path("/invitations/" + invitationIdFor(resent.user().email()) + "/resend"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk();
        accept(resent.user(), resent.token()).expectStatus().isNotFound();
        String newToken = Workspace.latestInvitationToken(resent.user().email());
        assertThat(newToken).isNotEqualTo(resent.token());

        TestUser stranger = keycloak.newUser("stranger");
        accept(stranger, newToken).expectStatus().isForbidden();
        // the secret of this workspace's invitation, presented for another workspace: looked up there, not found
        Workspace elsewhere = Workspace.create(api, keycloak);
        accept(resent.user(), elsewhere.tenantId + newToken.substring(newToken.indexOf('.'))).expectStatus().isNotFound();
        accept(resent.user(), newToken).expectStatus().isOk();

        accept(stranger, "not-a-token").expectStatus().isNotFound();
        accept(stranger, UUID.randomUUID() + ".made-up-secret").expectStatus().isNotFound();
    }

    @Test
    void anUnverifiedAddressCannotAcceptEvenWhenItIsTheInvitedOne() {
        String invited = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        invite(Map.of("name", "Han Meimei", "email", invited, "role", "MASTER")).expectStatus().isCreated();
        String token = Workspace.latestInvitationToken(invited);
        // someone types the invited address into their own account, as the account console allows: Keycloak
        // keeps it unverified
        TestUser impostor = keycloak.withEmail(keycloak.newUser("impostor"), invited, false);
        assertThat(claims(impostor)).containsEntry("email", invited).containsEntry("email_verified", false);

        accept(impostor, token).expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("Verify"));
        api.get().uri(workspace.path("/members"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody().jsonPath("$[*].userId").value(ids -> assertThat(ids.toString()).doesNotContain(impostor.id()));

        // once Keycloak has verified that the address is theirs, the same person may accept
        TestUser verified = keycloak.withEmail(impostor, invited, true);
        assertThat(claims(verified)).containsEntry("email_verified", true);
        accept(verified, token).expectStatus().isOk();
    }

    @Test
    void theAcceptCallWantsTheTokenInItsBodyAndTheOldPathFormIsADeprecatedAlias() {
        api.post().uri("/api/v1/invitations/accept")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("token");

        Workspace.Invitee invitee = workspace.invite("MASTER", List.of());
        api.post().uri("/api/v1/invitations/" + invitee.token() + "/accept")
                .headers(h -> h.setBearerAuth(invitee.user().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Deprecation", "true")
                .expectHeader().value("Link", link -> assertThat(link).contains("/api/v1/invitations/accept"));
    }

    @Test
    void invitationsAreValidatedBeforeAnythingIsSent() {
        Workspace elsewhere = Workspace.create(api, keycloak);
        String foreign = elsewhere.createMiniProgram(elsewhere.owner, "Foreign Tea");
        int mailsBefore = MailCatcher.received().size();

        invite(Map.of("name", "Li Lei", "email", "li@example.com", "role", "DEVELOPER", "miniPrograms", List.of()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("miniPrograms");
        invite(Map.of("name", "Li Lei", "email", "li@example.com", "role", "DEVELOPER", "miniPrograms", List.of(foreign)))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("unknown");
        invite(Map.of("name", "", "email", "nope", "role", "OWNER"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(containsInAnyOrder("name", "email", "role"));

        assertThat(MailCatcher.received()).hasSize(mailsBefore);
    }

    @Test
    void everyChangeIsAuditedAndTheLogIsAppendOnly() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));
        patchMember(developer, Map.of("role", "MASTER", "miniPrograms", List.of())).expectStatus().isOk();

        api.get().uri(workspace.path("/audit-events?size=100"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].action").value(containsInAnyOrder("mini-program.created", "mini-program.created",
                        "invitation.sent", "invitation.accepted", "member.changed"))
                .jsonPath("$.items[?(@.action == 'member.changed')].after.role").value(hasItem("MASTER"))
                .jsonPath("$.items[?(@.action == 'member.changed')].before.role").value(hasItem("DEVELOPER"))
                .jsonPath("$.items[?(@.action == 'invitation.accepted')].actor").value(hasItem("user:" + developer.id()));

        for (String sql : List.of("update audit_events set actor = 'someone else'", "delete from audit_events")) {
            StepVerifier.create(transactions.inTransaction(database.sql(sql).fetch().rowsUpdated())
                            .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null)))
                    .expectErrorSatisfies(e -> assertThat(e).hasStackTraceContaining("permission denied"))
                    .verify();
        }
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec invite(Map<String, Object> body) {
        return api.post().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec accept(TestUser user, String token) {
        return api.post().uri("/api/v1/invitations/accept")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token))
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec patchMember(TestUser member, Map<String, Object> patch) {
        return api.patch().uri(workspace.path("/members/" + member.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(patch)
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec getMiniProgram(TestUser user, String appId) {
        return api.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec listMiniPrograms(TestUser user) {
        return api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private String invitationIdFor(String email) {
        List<Map<String, Object>> list = api.get().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(List.class)
                .returnResult()
                .getResponseBody();
        return list.stream().filter(each -> email.equals(each.get("email"))).findFirst().orElseThrow().get("id").toString();
    }

    /** Moves the invitation's expiry into the past, as three days passing would. */
    private void expire(String invitationId) {
        transactions.inTransaction(database.sql("update invitations set expires_at = now() - interval '1 second' where id = $1")
                        .bind(0, UUID.fromString(invitationId))
                        .fetch().rowsUpdated())
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(TestUser user) {
        String payload = new String(Base64.getUrlDecoder().decode(user.accessToken().split("\\.")[1]));
        return JsonMapper.builder().build().readValue(payload, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<String> groupsOf(TestUser user) {
        String payload = new String(Base64.getUrlDecoder().decode(user.accessToken().split("\\.")[1]));
        Map<String, Object> claims = JsonMapper.builder().build().readValue(payload, Map.class);
        return (List<String>) claims.getOrDefault("groups", List.of());
    }
}
