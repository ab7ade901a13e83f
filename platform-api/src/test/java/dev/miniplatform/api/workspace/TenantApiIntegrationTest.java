package dev.miniplatform.api.workspace;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.MemberRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.startsWith;

class TenantApiIntegrationTest extends IntegrationTest {

    @Test
    void signUpMakesTheCallerOwnerAndListsTheWorkspace() {
        TestUser owner = keycloak.newUser("owner");

        TenantView created = createTenant(owner, "MERCHANT", "Hangzhou Tea House");

        assertThat(created.kind().name()).isEqualTo("MERCHANT");
        assertThat(created.name()).isEqualTo("Hangzhou Tea House");
        assertThat(created.role().name()).isEqualTo("OWNER");
        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(TenantView.class)
                .value(list -> assertThat(list).extracting(TenantView::id).containsExactly(created.id()));
    }

    @Test
    void signUpRecordsTheOwnerInKeycloakOrganizationAndRoleGroup() {
        TestUser owner = keycloak.newUser("kc-owner");

        TenantView created = createTenant(owner, "ISV", "Lakeside Software");

        String alias = created.id().toString();
        List<String> organizationMembers = keycloakAdmin().call(realm -> {
            // getAll() answers only the first page; the organization's name carries the tenant id, so search by it
            OrganizationRepresentation organization = realm.organizations().search(alias, false, 0, 10).stream()
                    .filter(each -> alias.equals(each.getAlias()))
                    .findFirst()
                    .orElseThrow();
            return realm.organizations().get(organization.getId()).members().getAll().stream()
                    .map(MemberRepresentation::getId)
                    .toList();
        }).block(Duration.ofSeconds(30));
        assertThat(organizationMembers).containsExactly(owner.id());

        List<String> ownerGroupMembers = keycloakAdmin().call(realm -> {
            GroupRepresentation tenantGroup = realm.groups().groups("tenant-" + alias, true, 0, 1, false).getFirst();
            GroupRepresentation ownerGroup = realm.groups().group(tenantGroup.getId()).getSubGroups(0, 10, false).stream()
                    .filter(group -> group.getName().equals("OWNER"))
                    .findFirst()
                    .orElseThrow();
            return realm.groups().group(ownerGroup.getId()).members().stream().map(UserRepresentation::getId).toList();
        }).block(Duration.ofSeconds(30));
        assertThat(ownerGroupMembers).containsExactly(owner.id());
    }

    @Test
    void whenAnotherUserListsTenantsThenTheyNeverSeeTheFirstUsersWorkspace() {
        TestUser alice = keycloak.newUser("alice");
        TestUser bob = keycloak.newUser("bob");
        TenantView alices = createTenant(alice, "MERCHANT", "Alice Bakery");

        assertThat(listTenants(bob)).isEmpty();
        TenantView bobs = createTenant(bob, "ISV", "Bob Software");

        assertThat(listTenants(bob)).extracting(TenantView::id).containsExactly(bobs.id());
        assertThat(listTenants(alice)).extracting(TenantView::id).containsExactly(alices.id());
    }

    @Test
    void invalidSignUpNamesEveryFailingFieldAndWritesNothing() {
        TestUser user = keycloak.newUser("invalid");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "SUPERMARKET", "name", "x"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:validation")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[*].field").value(containsInAnyOrder("kind", "name"))
                .jsonPath("$.errors[*].code").value(containsInAnyOrder("enum", "length"));

        assertThat(listTenants(user)).isEmpty();
    }

    @Test
    void missingFieldsAreEachReported() {
        TestUser user = keycloak.newUser("empty");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[*].code").value(containsInAnyOrder("required", "length"));
    }

    @Test
    void malformedJsonIsABadRequestProblem() {
        TestUser user = keycloak.newUser("malformed");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"kind\": ")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:malformed-request");
    }

    @Test
    void oversizedBodyIsRejectedWith413() {
        TestUser user = keycloak.newUser("big");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "MERCHANT", "name", "x".repeat(300 * 1024)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Connection", "close")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:payload-too-large");

        assertThat(listTenants(user)).isEmpty();
    }

    @Test
    void wrongContentTypeIs415() {
        TestUser user = keycloak.newUser("text");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("MERCHANT Tea House")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void withoutTokenTheApiAnswers401Problem() {
        api.get().uri("/api/v1/tenants")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:unauthenticated")
                .jsonPath("$.requestId").isNotEmpty();
    }

    @Test
    void tamperedTokenIs401() {
        TestUser user = keycloak.newUser("tamper");
        String[] parts = user.accessToken().split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(forged))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void genuineTokenFromAnotherRealmIs401() {
        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(keycloak.masterRealmAdminToken()))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void tokenOfAClientThatIsNeitherConsoleNorIsvNorWalletIs401() {
        String token = keycloak.clientCredentialsToken("stranger-");

        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void walletCannotSignUpOrListTenants() {
        TestUser admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        String wallet = new Catalog(api, keycloak, admin).registerWallet("Shop Wallet").token();

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(wallet))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "MERCHANT", "name", "Wallet Shop"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(wallet))
                .exchange()
                .expectStatus().isForbidden();
        // a client merely named like a wallet, without the wallet_id claim, is not even authenticated
        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(keycloak.clientCredentialsToken("wallet-")))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void unknownPathIs404Problem() {
        TestUser user = keycloak.newUser("lost");

        api.get().uri("/api/v1/no-such-thing")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("X-Request-Id");
    }

    private TenantView createTenant(TestUser user, String kind, String name) {
        return api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", kind, "name", name))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", startsWith("/api/v1/tenants/"))
                .expectBody(TenantView.class)
                .returnResult()
                .getResponseBody();
    }

    private List<TenantView> listTenants(TestUser user) {
        return api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(TenantView.class)
                .returnResult()
                .getResponseBody();
    }
}
