package dev.miniplatform.api.workspace;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** platform.workspace.max-workspaces-per-user: open workspaces one person owns, race-safe. */
class WorkspaceQuotaIntegrationTest extends IntegrationTest {

    private static final int EXTRA = 4;

    @Autowired
    private WorkspaceProperties workspace;

    @Test
    void parallelSignUpsOfOnePersonStopExactlyAtTheCapWithA409Problem() throws Exception {
        int cap = workspace.maxWorkspacesPerUser();
        TestUser owner = keycloak.newUser("quota");
        TestUser someoneElse = keycloak.newUser("quota-other");

        List<EntityExchangeResult<String>> results = signUpInParallel(owner, cap + EXTRA);

        assertThat(results).filteredOn(result -> result.getStatus() == HttpStatus.CREATED).hasSize(cap);
        List<EntityExchangeResult<String>> refused = results.stream()
                .filter(result -> result.getStatus() != HttpStatus.CREATED)
                .toList();
        assertThat(refused).hasSize(EXTRA).allSatisfy(result -> {
            assertThat(result.getStatus()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result.getResponseBody())
                    .contains("urn:mini-program-platform:problem:conflict")
                    .contains("You already own %d open workspaces".formatted(cap));
        });
        List<TenantView> mine = listTenants(owner);
        assertThat(mine).hasSize(cap);
        // the cap is per person: someone else still signs up
        assertThat(signUp(someoneElse, "Other Person's Shop").getStatus())
                .isEqualTo(HttpStatus.CREATED);

        // closing a workspace frees a place, exactly one
        api.delete().uri("/api/v1/tenants/{id}", mine.getFirst().id())
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .exchange()
                .expectStatus().is2xxSuccessful();
        assertThat(signUp(owner, "After Closing").getStatus()).isEqualTo(HttpStatus.CREATED);
        assertThat(signUp(owner, "One Too Many").getStatus()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(listTenants(owner)).hasSize(cap);
    }

    private List<EntityExchangeResult<String>> signUpInParallel(TestUser owner, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<EntityExchangeResult<String>>> futures = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit(() -> signUp(owner, "Quota Shop " + i)))
                    .toList();
            List<EntityExchangeResult<String>> results = new ArrayList<>();
            for (Future<EntityExchangeResult<String>> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private EntityExchangeResult<String> signUp(TestUser owner, String name) {
        return api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "MERCHANT", "name", name))
                .exchange()
                .expectBody(String.class)
                .returnResult();
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
