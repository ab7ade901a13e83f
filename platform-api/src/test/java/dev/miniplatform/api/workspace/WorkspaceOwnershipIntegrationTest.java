package dev.miniplatform.api.workspace;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two things only an owner may do: hand the workspace over, and close it.
 */
class WorkspaceOwnershipIntegrationTest extends IntegrationTest {

    Workspace workspace;
    TestUser master;

    @BeforeEach
    void workspaceWithAMaster() {
        workspace = Workspace.create(api, keycloak);
        master = workspace.join("MASTER", List.of());
    }

    @Test
    void aMasterCannotTransferOwnershipOrCloseTheWorkspace() {
        transfer(master, master.id()).expectStatus().isForbidden();
        close(master).expectStatus().isForbidden();
        mine(workspace.owner).expectBody().jsonPath("$[0].role").isEqualTo("OWNER");
    }

    @Test
    void theOwnerHandsTheWorkspaceToAMasterAndBecomesAMaster() {
        transfer(workspace.owner, master.id()).expectStatus().isOk()
                .expectBody().jsonPath("$.role").isEqualTo("MASTER");

        mine(master).expectBody().jsonPath("$[0].role").isEqualTo("OWNER");
        mine(workspace.owner).expectBody().jsonPath("$[0].role").isEqualTo("MASTER");
        close(workspace.owner).expectStatus().isForbidden();
        api.get().uri(workspace.path("/members"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void ownershipGoesOnlyToAnActiveMaster() {
        String appId = workspace.createMiniProgram(workspace.owner, "Handover Tea");
        TestUser developer = workspace.join("DEVELOPER", List.of(appId));

        transfer(workspace.owner, developer.id()).expectStatus().isEqualTo(409);
        transfer(workspace.owner, "no-such-user").expectStatus().isNotFound();
        api.post().uri(workspace.path("/ownership"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("userId");
    }

    @Test
    void aClosedWorkspaceIsGoneForEveryoneAtOnce() {
        String appId = workspace.createMiniProgram(workspace.owner, "Closing Tea");
        Workspace.Invitee pending = workspace.invite("MASTER", List.of());

        close(workspace.owner).expectStatus().isNoContent();

        for (TestUser member : List.of(workspace.owner, master)) {
            api.get().uri(workspace.path("/mini-programs/" + appId))
                    .headers(h -> h.setBearerAuth(member.accessToken()))
                    .exchange()
                    .expectStatus().isNotFound();
            assertThat(mine(member).expectBody(List.class).returnResult().getResponseBody()).isEmpty();
        }
        api.post().uri("/api/v1/invitations/" + pending.token() + "/accept")
                .headers(h -> h.setBearerAuth(pending.user().accessToken()))
                .exchange()
                .expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec transfer(TestUser as, String userId) {
        return api.post().uri(workspace.path("/ownership"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", userId))
                .exchange();
    }

    private WebTestClient.ResponseSpec close(TestUser as) {
        return api.delete().uri(workspace.path(""))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange();
    }

    private WebTestClient.ResponseSpec mine(TestUser user) {
        return api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isOk();
    }
}
