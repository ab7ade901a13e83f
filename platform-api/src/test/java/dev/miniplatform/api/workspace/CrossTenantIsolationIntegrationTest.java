package dev.miniplatform.api.workspace;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every workspace endpoint, probed by callers who must learn nothing: another merchant's owner, a removed
 * member, a blocked member, a wallet, and anyone with an unknown or malformed tenant id. All get 404 with a
 * problem body that names nothing of the workspace.
 */
class CrossTenantIsolationIntegrationTest extends IntegrationTest {

    Workspace victim;
    String appId;
    String invitationId;

    @BeforeEach
    void victimWorkspace() {
        victim = Workspace.create(api, keycloak);
        appId = victim.createMiniProgram(victim.owner, "Secret Tea");
        victim.invite("MASTER", List.of());
        invitationId = api.get().uri(victim.path("/invitations"))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .exchange()
                .expectBody(List.class)
                .returnResult()
                .getResponseBody()
                .stream().map(each -> ((Map<?, ?>) each).get("id").toString()).findFirst().orElseThrow().toString();
    }

    record Probe(HttpMethod method, String path, Object body) {
    }

    private List<Probe> probes(String tenantPath) {
        Map<String, Object> program = Workspace.validMiniProgram("Hijacked");
        program.put("revision", 1);
        return List.of(
                new Probe(HttpMethod.GET, tenantPath + "/mini-programs", null),
                new Probe(HttpMethod.POST, tenantPath + "/mini-programs", Workspace.validMiniProgram("Planted")),
                new Probe(HttpMethod.GET, tenantPath + "/mini-programs/" + appId, null),
                new Probe(HttpMethod.PUT, tenantPath + "/mini-programs/" + appId, program),
                new Probe(HttpMethod.DELETE, tenantPath + "/mini-programs/" + appId, null),
                new Probe(HttpMethod.GET, tenantPath + "/mini-programs/" + appId + "/logo", null),
                new Probe(HttpMethod.GET, tenantPath + "/members", null),
                new Probe(HttpMethod.PATCH, tenantPath + "/members/" + victim.owner.id(), Map.of("status", "BLOCKED")),
                new Probe(HttpMethod.DELETE, tenantPath + "/members/" + victim.owner.id(), null),
                new Probe(HttpMethod.GET, tenantPath + "/invitations", null),
                new Probe(HttpMethod.POST, tenantPath + "/invitations", Map.of("name", "Eve", "email", "eve@example.com", "role", "MASTER")),
                new Probe(HttpMethod.DELETE, tenantPath + "/invitations/" + invitationId, null),
                new Probe(HttpMethod.POST, tenantPath + "/invitations/" + invitationId + "/resend", null),
                new Probe(HttpMethod.GET, tenantPath + "/audit-events", null),
                new Probe(HttpMethod.GET, tenantPath + "/mini-programs/" + appId + "/versions", null),
                new Probe(HttpMethod.GET, tenantPath + "/mini-programs/" + appId + "/releases", null),
                new Probe(HttpMethod.POST, tenantPath + "/mini-programs/" + appId + "/versions/1.0.0/submit",
                        Map.of("target", Map.of("wallet", UUID.randomUUID().toString(), "environment", "DEV"))),
                new Probe(HttpMethod.POST, tenantPath + "/mini-programs/" + appId + "/versions/1.0.0/release",
                        Map.of("target", Map.of("wallet", UUID.randomUUID().toString(), "environment", "DEV"), "grayPercent", 100)),
                new Probe(HttpMethod.POST, tenantPath + "/ownership", Map.of("userId", victim.owner.id())),
                new Probe(HttpMethod.DELETE, tenantPath, null));
    }

    @Test
    void anotherMerchantsOwnerGets404OnEveryEndpoint() {
        Workspace intruder = Workspace.create(api, keycloak);
        String intrudersOwnApp = intruder.createMiniProgram(intruder.owner, "Intruder Tea");

        assertAllNotFound(intruder.owner.accessToken(), victim.path(""));
        // their own ids under the victim's tenant are just as unknown, and vice versa
        api.get().uri(victim.path("/mini-programs/" + intrudersOwnApp))
                .headers(h -> h.setBearerAuth(intruder.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        api.get().uri(intruder.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(intruder.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        assertVictimUntouched();
    }

    @Test
    void removedAndBlockedMembersGet404OnEveryEndpointWithTheirStillValidTokens() {
        TestUser removed = victim.join("MASTER", List.of());
        TestUser blocked = victim.join("MASTER", List.of());
        api.delete().uri(victim.path("/members/" + removed.id()))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        api.patch().uri(victim.path("/members/" + blocked.id()))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "BLOCKED"))
                .exchange()
                .expectStatus().isOk();

        assertAllNotFound(removed.accessToken(), victim.path(""));
        assertAllNotFound(blocked.accessToken(), victim.path(""));
        assertVictimUntouched();
    }

    /** A real wallet token gets 403 on /api/** (WalletApiIntegrationTest); one without a wallet_id claim is no wallet. */
    @Test
    void aWalletNamedClientWithoutAWalletIdIsRefusedOnEveryWorkspaceEndpoint() {
        assertAll(keycloak.clientCredentialsToken("wallet-"), victim.path(""), 401);
        assertVictimUntouched();
    }

    @Test
    void unknownAndMalformedTenantIdsGet404() {
        assertAllNotFound(victim.owner.accessToken(), "/api/v1/tenants/" + UUID.randomUUID());
        assertAllNotFound(victim.owner.accessToken(), "/api/v1/tenants/not-a-uuid");
    }

    private void assertAllNotFound(String token, String tenantPath) {
        assertAll(token, tenantPath, 404);
    }

    private void assertAll(String token, String tenantPath, int status) {
        for (Probe probe : probes(tenantPath)) {
            var request = api.method(probe.method()).uri(probe.path())
                    .headers(h -> h.setBearerAuth(token));
            var response = probe.body() == null ? request.exchange()
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(probe.body()).exchange();
            String body = response
                    .expectStatus().isEqualTo(status)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody();
            // the path the caller sent is echoed in "instance"; nothing else of the workspace may appear
            assertThat(body).as(probe.method() + " " + probe.path())
                    .doesNotContain("Secret Tea", victim.owner.username(), victim.owner.email(), "Tea House")
                    .contains(status == 404 ? "\"detail\":\"Tenant not found\"" : "\"status\":" + status);
        }
    }

    private void assertVictimUntouched() {
        api.get().uri(victim.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revision").isEqualTo(1)
                .jsonPath("$.localizations['en-US'].name").isEqualTo("Secret Tea");
        api.get().uri(victim.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .exchange()
                .expectBody().jsonPath("$.total").isEqualTo(1);
    }
}
