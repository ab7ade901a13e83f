package dev.miniplatform.api.release;

import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.dao.DataAccessException;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two release rules that span rows hold under concurrency because the database enforces them: one FULL_RELEASE
 * per mini program and target (a partial unique index), and versions only go up (a per-mini-program row lock plus a
 * trigger). The "held transaction" tests are deterministic: a transaction that has done the conflicting write but
 * not committed yet stands for the request that won the race; without the constraint the API request would
 * succeed at once.
 */
class ReleaseIntegrityIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HELD = Duration.ofMillis(1500);

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @LocalServerPort
    int port;

    static TestUser admin;
    static String wallet;

    ReleaseSteps steps;
    Workspace workspace;
    String appId;
    WebClient client;

    @BeforeEach
    void aMiniProgram() {
        steps = new ReleaseSteps(api);
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            wallet = steps.registerWallet(admin, "Integrity Wallet", true);
        }
        workspace = Workspace.create(api, keycloak);
        appId = workspace.createMiniProgram(workspace.owner, "Integrity Tea");
        client = WebClient.create("http://127.0.0.1:" + port);
    }

    /**
     * Full releases of three versions at once, over several rounds: besides "exactly one wins", a full release
     * that archives the previous one must never deadlock with one that promotes its own row first (that was a 500
     * in CI: PostgreSQL aborted one of the two with "deadlock detected").
     */
    @Test
    void ofSimultaneousFullReleasesOfSeveralVersionsExactlyOneStaysFullyReleasedAndNoneFails() {
        List<String> raced = List.of("1.0.0", "1.1.0", "1.2.0");
        for (String version : raced) {
            steps.upload(workspace, workspace.owner, appId, version).expectStatus().isCreated();
            steps.act(workspace, workspace.owner, appId, version, "submit", target()).expectStatus().isAccepted();
        }

        for (int round = 0; round < 4; round++) {
            List<Map<String, Object>> answers = Flux.range(0, 15)
                    .flatMap(i -> post(raced.get(i % raced.size()), "release", fullRelease()))
                    .collectList()
                    .block();

            assertThat(answers).as("round %d", round).extracting(answer -> answer.get("status"))
                    .allMatch(status -> status.equals(200) || status.equals(409));
            List<Map<String, Object>> onTarget = releasesOnDev();
            assertThat(onTarget).as("round %d", round)
                    .filteredOn(release -> "FULL_RELEASE".equals(release.get("state"))).hasSize(1);
            if (round == 0) {
                assertThat(answers).extracting(answer -> answer.get("status")).contains(200);
            }
            // the next round races the rollback of the full release with new full releases of the other versions
            String full = (String) onTarget.stream().filter(release -> "FULL_RELEASE".equals(release.get("state")))
                    .findFirst().orElseThrow().get("version");
            List<Map<String, Object>> rollbacks = Flux.merge(post(full, "rollback", target()),
                            Flux.fromIterable(raced).filter(version -> !version.equals(full))
                                    .flatMap(version -> post(version, "release", fullRelease())))
                    .collectList()
                    .block();
            assertThat(rollbacks).as("round %d rollback", round).extracting(answer -> answer.get("status"))
                    .allMatch(status -> status.equals(200) || status.equals(409));
            assertThat(releasesOnDev()).as("round %d rollback", round)
                    .filteredOn(release -> "FULL_RELEASE".equals(release.get("state"))).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void aFullReleaseWaitingBehindAnUncommittedOneGets409NamingTheCurrentState() throws Exception {
        for (String version : List.of("1.0.0", "1.1.0")) {
            steps.upload(workspace, workspace.owner, appId, version).expectStatus().isCreated();
            steps.act(workspace, workspace.owner, appId, version, "submit", target()).expectStatus().isAccepted();
        }
        Held winner = hold("""
                update releases set state = 'FULL_RELEASE', row_version = row_version + 1, full_released_at = now()
                where app_id = '%s' and version = '1.0.0' and environment = 'DEV'""".formatted(appId));

        CompletableFuture<Map<String, Object>> loser = post("1.1.0", "release", fullRelease()).toFuture();
        Thread.sleep(HELD.toMillis());
        assertThat(loser).as("the second full release waits for the first to commit or roll back").isNotDone();
        winner.commit();

        Map<String, Object> answer = loser.get(30, TimeUnit.SECONDS);
        assertThat(answer).containsEntry("status", 409).containsEntry("currentState", "RELEASE_PREPARATION");
        assertThat((String) answer.get("detail")).contains("1.0.0 was fully released");
        assertThat(releasesOnDev()).filteredOn(release -> "FULL_RELEASE".equals(release.get("state")))
                .extracting(release -> release.get("version")).containsExactly("1.0.0");
    }

    @Test
    void aFullReleaseStillArchivesThePreviousOneInTheSameTransaction() {
        for (String version : List.of("1.0.0", "1.1.0")) {
            steps.upload(workspace, workspace.owner, appId, version).expectStatus().isCreated();
            steps.act(workspace, workspace.owner, appId, version, "submit", target()).expectStatus().isAccepted();
            steps.act(workspace, workspace.owner, appId, version, "release", fullRelease()).expectStatus().isOk();
        }
        steps.act(workspace, workspace.owner, appId, "1.1.0", "rollback", target()).expectStatus().isOk();

        assertThat(releasesOnDev()).extracting(release -> release.get("version") + ":" + release.get("state"))
                .containsExactlyInAnyOrder("1.0.0:FULL_RELEASE", "1.1.0:ARCHIVED");
    }

    @Test
    void theDatabaseRefusesASecondFullReleaseOnOneTargetWhateverTheCodeDoes() {
        for (String version : List.of("1.0.0", "1.1.0")) {
            steps.upload(workspace, workspace.owner, appId, version).expectStatus().isCreated();
            steps.act(workspace, workspace.owner, appId, version, "submit", target()).expectStatus().isAccepted();
        }

        StepVerifier.create(inWorkspace(database.sql("update releases set state = 'FULL_RELEASE' where app_id = $1")
                        .bind(0, appId)
                        .fetch()
                        .rowsUpdated()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DataAccessException.class)
                        .hasStackTraceContaining("releases_one_full_release_per_target"))
                .verify();
    }

    @Test
    void anUploadWaitingBehindAnUncommittedHigherVersionIsRefused() throws Exception {
        steps.upload(workspace, workspace.owner, appId, "0.9.0").expectStatus().isCreated();
        Held higher = hold(copyOfVersion("0.9.0", "1.0.1", 1, 0, 1));

        CompletableFuture<Map<String, Object>> lower = upload("1.0.0").toFuture();
        Thread.sleep(HELD.toMillis());
        assertThat(lower).as("the upload waits for the mini program's lock").isNotDone();
        higher.commit();

        assertThat(lower.get(30, TimeUnit.SECONDS)).containsEntry("status", 409);
        assertThat(versions()).containsExactly("1.0.1", "0.9.0");
    }

    @Test
    void simultaneousUploadsNeverLetTheVersionOrderGoDown() {
        steps.upload(workspace, workspace.owner, appId, "0.9.0").expectStatus().isCreated();
        List<String> accepted = new ArrayList<>(List.of("0.9.0"));
        for (int round = 0; round < 3; round++) {
            String higher = "1.%d.1".formatted(round);
            String lower = "1.%d.0".formatted(round);
            List<Map<String, Object>> answers = Flux.merge(upload(higher), upload(lower)).collectList().block();

            assertThat(answers).extracting(answer -> answer.get("status"))
                    .allMatch(status -> status.equals(201) || status.equals(409))
                    .contains(201);
            answers.stream().filter(answer -> answer.get("status").equals(201))
                    .forEach(answer -> accepted.add((String) answer.get("version")));
        }

        assertThat(versions()).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void theDatabaseRefusesALowerVersionWhateverTheCodeDoes() {
        steps.upload(workspace, workspace.owner, appId, "1.0.0").expectStatus().isCreated();

        StepVerifier.create(inWorkspace(database.sql(copyOfVersion("1.0.0", "0.9.9", 0, 9, 9)).fetch().rowsUpdated()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DataAccessException.class)
                        .hasStackTraceContaining("versions only go up"))
                .verify();
        StepVerifier.create(inWorkspace(database.sql(copyOfVersion("1.0.0", "1.0.1", 1, 0, 1)).fetch().rowsUpdated()))
                .expectNext(1L)
                .verifyComplete();
    }

    private String copyOfVersion(String from, String version, int major, int minor, int patch) {
        return """
                insert into mini_program_versions (tenant_id, id, app_id, version, major, minor, patch, description,
                                                   sha256, size, uploaded_by, created_at)
                select tenant_id, gen_random_uuid(), app_id, '%s', %d, %d, %d, description, sha256, size, uploaded_by, now()
                from mini_program_versions where app_id = '%s' and version = '%s'"""
                .formatted(version, major, minor, patch, appId, from);
    }

    /** A transaction in the workspace that has run the statement and stays open until {@link #commit()}. */
    private final class Held {
        private final Sinks.Empty<Void> release = Sinks.empty();
        private final CompletableFuture<Void> done;

        Held(String sql) throws InterruptedException {
            CountDownLatch written = new CountDownLatch(1);
            done = inWorkspace(database.sql(sql).fetch().rowsUpdated()
                            .doOnNext(rows -> written.countDown())
                            .then(release.asMono()))
                    .toFuture();
            assertThat(written.await(30, TimeUnit.SECONDS)).as("the held write ran").isTrue();
        }

        void commit() throws Exception {
            release.tryEmitEmpty();
            done.get(30, TimeUnit.SECONDS);
        }
    }

    private Held hold(String sql) throws InterruptedException {
        return new Held(sql);
    }

    private <T> Mono<T> inWorkspace(Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null));
    }

    private Map<String, Object> target() {
        return Map.of("target", Map.of("wallet", wallet, "environment", "DEV"));
    }

    private Map<String, Object> fullRelease() {
        return Map.of("target", Map.of("wallet", wallet, "environment", "DEV"), "grayPercent", 100);
    }

    private Mono<Map<String, Object>> post(String version, String action, Map<String, Object> body) {
        return answer(client.post().uri(workspace.path("/mini-programs/" + appId + "/versions/" + version + "/" + action))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .bodyValue(body));
    }

    private Mono<Map<String, Object>> upload(String version) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Raced version " + version);
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return answer(client.post().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .body(BodyInserters.fromMultipartData(parts.build())));
    }

    /** The status and the JSON body as one map, for asserting on many concurrent answers. */
    @SuppressWarnings("unchecked")
    private static Mono<Map<String, Object>> answer(WebClient.RequestHeadersSpec<?> request) {
        return request.exchangeToMono(response -> response.bodyToMono(String.class)
                .defaultIfEmpty("{}")
                .map(body -> {
                    Map<String, Object> answer = new java.util.HashMap<>(JSON.readValue(body, Map.class));
                    answer.put("status", response.statusCode().value());
                    return answer;
                }));
    }

    private List<Map<String, Object>> releasesOnDev() {
        List<Map<String, Object>> all = api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                })
                .returnResult()
                .getResponseBody();
        return all.stream()
                .filter(release -> "DEV".equals(((Map<?, ?>) release.get("target")).get("environment")))
                .toList();
    }

    private List<String> versions() {
        return api.get().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                })
                .returnResult()
                .getResponseBody()
                .stream()
                .map(version -> (String) version.get("version"))
                .toList();
    }
}
