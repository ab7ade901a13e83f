package dev.miniplatform.api.hostile;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps;
import dev.miniplatform.api.template.TemplateSteps.Isv;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member fills the database: DEV and TEST need no review, so nothing but a quota stops uploads in a loop, and a
 * template batch copies a package into every merchant. Each workspace may store
 * {@code platform.workspace.storage-quota-bytes} (24 MB in tests): beyond it a 409 quota-exceeded problem, nothing
 * half-written, exact under parallel uploads, given back on deletion, and a batch item that would pass its
 * merchant's quota fails with the reason while the others go on.
 */
class StorageQuotaAttackIntegrationTest extends IntegrationTest {

    private static final int MB = 1024 * 1024;
    private static final String QUOTA_EXCEEDED = "urn:mini-program-platform:problem:quota-exceeded";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WebhookReceiver receiver;

    @Autowired
    WorkspaceProperties workspaceProperties;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    ApplicationContext context;

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void uploadsInALoopStopAtTheQuotaWithAProblemThatNamesItAndNothingHalfWritten() {
        long quota = workspaceProperties.storageQuotaBytes();
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Loop Tea");
        Catalog catalog = new Catalog(api, keycloak, null);

        double refusalsBefore = meters.counter("platform.quota.refusals", "quota", "storageBytes").count();
        long ratiosBefore = meters.get("platform.storage.usage.ratio").summary().count();
        List<byte[]> stored = new ArrayList<>();
        EntityExchangeResult<String> refused = null;
        for (int i = 0; refused == null && i < quota / (3 * MB) + 2; i++) {
            byte[] zip = CodePackagesForTests.noise(3 * MB, i);
            EntityExchangeResult<String> answer = catalog.upload(workspace, appId, "1.0." + i, zip)
                    .expectBody(String.class).returnResult();
            if (answer.getStatus() == HttpStatus.CREATED) {
                stored.add(zip);
            } else {
                refused = answer;
            }
        }

        long used = stored.stream().mapToLong(zip -> zip.length).sum();
        byte[] refusedZip = CodePackagesForTests.noise(3 * MB, stored.size());
        assertThat(stored).as("packages stored before the quota").hasSize((int) (quota / refusedZip.length));
        assertThat(refused).as("an upload past the quota").isNotNull();
        assertThat(refused.getStatus()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = JSON.readTree(refused.getResponseBody());
        assertThat(problem.get("type").asString()).isEqualTo(QUOTA_EXCEEDED);
        assertThat(problem.get("quota").get("name").asString()).isEqualTo("storageBytes");
        assertThat(problem.get("quota").get("usage").asLong()).isEqualTo(used);
        assertThat(problem.get("quota").get("limit").asLong()).isEqualTo(quota);
        assertThat(problem.get("quota").get("requested").asLong()).isEqualTo(refusedZip.length);

        // nothing of the refused upload remains: no version, no package, no chunk; the usage is what is stored
        assertThat(versions(workspace, appId)).hasSize(stored.size());
        assertThat(count(workspace, "select count(*) from code_packages where sha256 = '" + Sha256.hexOf(refusedZip) + "'")).isZero();
        assertThat(count(workspace, "select count(*) from code_package_chunks where sha256 = '" + Sha256.hexOf(refusedZip) + "'")).isZero();
        assertThat(count(workspace, "select coalesce(sum(octet_length(bytes)), 0) from code_package_chunks")).isEqualTo(used);
        JsonNode usage = usage(workspace.owner, workspace).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(usage.get("storageBytes").asLong()).isEqualTo(used);
        assertThat(usage.get("storageQuotaBytes").asLong()).isEqualTo(quota);
        assertThat(usage.get("miniPrograms").asLong()).isEqualTo(1);
        assertThat(usage.get("miniProgramQuota").asLong()).isEqualTo(workspaceProperties.maxMiniPrograms());

        // operators see refusals and how full accepted writes leave workspaces, never which workspace (no tenant tag)
        assertThat(meters.counter("platform.quota.refusals", "quota", "storageBytes").count()).isGreaterThan(refusalsBefore);
        assertThat(meters.get("platform.storage.usage.ratio").summary().count()).isGreaterThanOrEqualTo(ratiosBefore + stored.size());
        assertThat(tagKeys("platform.quota.refusals")).isSubsetOf("application", "quota");
        assertThat(tagKeys("platform.storage.usage.ratio")).isSubsetOf("application");

        // the bound is exact: what still fits is accepted, and bytes the workspace already stores cost nothing
        byte[] fits = CodePackagesForTests.noise((int) (quota - used) - 4096, 99);
        catalog.upload(workspace, appId, "2.0.0", fits).expectStatus().isCreated();
        catalog.upload(workspace, appId, "2.0.1", stored.getFirst()).expectStatus().isCreated();
        assertThat(storageBytes(workspace)).isEqualTo(used + fits.length).isLessThanOrEqualTo(quota);
    }

    @Test
    void parallelUploadsAtTheEdgeNeverPassTheQuota() throws Exception {
        long quota = workspaceProperties.storageQuotaBytes();
        Workspace workspace = Workspace.create(api, keycloak);
        Catalog catalog = new Catalog(api, keycloak, null);
        int parallel = 6;
        List<String> apps = IntStream.range(0, parallel + 1)
                .mapToObj(i -> workspace.createMiniProgram(workspace.owner, "Edge Tea " + i))
                .toList();
        int size = 3 * MB;
        // room for two and a half of the parallel packages
        catalog.upload(workspace, apps.getLast(), "1.0.0", CodePackagesForTests.noise((int) (quota - 2.5 * size), 1000))
                .expectStatus().isCreated();
        long before = storageBytes(workspace);
        List<byte[]> zips = IntStream.range(0, parallel).mapToObj(i -> CodePackagesForTests.noise(size, 2000 + i)).toList();

        List<EntityExchangeResult<String>> results = inParallel(parallel,
                i -> catalog.upload(workspace, apps.get(i), "1.0.0", zips.get(i)).expectBody(String.class).returnResult());

        long fit = (quota - before) / zips.getFirst().length;
        assertThat(results).filteredOn(result -> result.getStatus() == HttpStatus.CREATED).hasSize((int) fit);
        assertThat(results).filteredOn(result -> result.getStatus() != HttpStatus.CREATED)
                .hasSize(parallel - (int) fit)
                .allSatisfy(result -> assertThat(result.getResponseBody()).contains(QUOTA_EXCEEDED));
        assertThat(storageBytes(workspace)).isEqualTo(before + fit * zips.getFirst().length).isLessThanOrEqualTo(quota);
        assertThat(count(workspace, "select coalesce(sum(octet_length(bytes)), 0) from code_package_chunks"))
                .isEqualTo(storageBytes(workspace));
    }

    @Test
    void deletingMiniProgramsReplacingLogosAndClosingTheWorkspaceGiveTheBytesBack() {
        Workspace workspace = Workspace.create(api, keycloak);
        Catalog catalog = new Catalog(api, keycloak, null);
        String first = workspace.createMiniProgram(workspace.owner, "First Tea");
        String second = workspace.createMiniProgram(workspace.owner, "Second Tea");
        byte[] shared = CodePackagesForTests.noise(2 * MB, 1);
        byte[] own = CodePackagesForTests.noise(MB, 2);
        byte[] logo = Images.of("png", 512, 512);
        byte[] newLogo = Images.of("png", 256, 256);
        catalog.upload(workspace, first, "1.0.0", shared).expectStatus().isCreated();
        catalog.upload(workspace, first, "1.1.0", own).expectStatus().isCreated();
        catalog.upload(workspace, second, "1.0.0", shared).expectStatus().isCreated();
        putLogo(workspace, first, logo);
        assertThat(storageBytes(workspace)).isEqualTo(shared.length + own.length + logo.length);

        // the first mini program's own package and its logo go with it; the package the second one uses stays
        api.delete().uri(workspace.path("/mini-programs/" + first))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        assertThat(storageBytes(workspace)).isEqualTo(shared.length);

        // a replaced logo is given back
        putLogo(workspace, second, logo);
        putLogo(workspace, second, newLogo);
        assertThat(storageBytes(workspace)).isEqualTo(shared.length + newLogo.length);

        // closing the workspace gives back everything; versions and the audit log keep what was stored
        api.delete().uri("/api/v1/tenants/" + workspace.tenantId)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        assertThat(count(workspace, "select coalesce(sum(storage_bytes), 0) from tenant_usage")).isZero();
        assertThat(count(workspace, "select count(*) from code_package_chunks")).isZero();
        assertThat(count(workspace, "select count(*) from logos")).isZero();
        assertThat(count(workspace, "select count(*) from mini_program_versions")).isEqualTo(1);
    }

    @Test
    void usageIsForMembersOnlyAndTheMiniProgramCapIsTheSameQuota() {
        Workspace victim = Workspace.create(api, keycloak);
        Workspace stranger = Workspace.create(api, keycloak);
        TestUser nobody = keycloak.newUser("no-workspace");
        String appId = victim.createMiniProgram(victim.owner, "Counted Tea");
        TestUser developer = victim.join("DEVELOPER", List.of(appId));

        usage(stranger.owner, victim).expectStatus().isNotFound();
        usage(nobody, victim).expectStatus().isNotFound();
        api.get().uri("/api/v1/tenants/not-a-tenant/usage")
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        usage(developer, victim).expectStatus().isOk()
                .expectBody().jsonPath("$.miniPrograms").isEqualTo(1);

        int cap = workspaceProperties.maxMiniPrograms();
        for (int i = 1; i < cap; i++) {
            victim.createMiniProgram(victim.owner, "Counted Tea " + i);
        }
        api.post().uri(victim.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("One Too Many"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.type").isEqualTo(QUOTA_EXCEEDED)
                .jsonPath("$.quota.name").isEqualTo("miniPrograms")
                .jsonPath("$.quota.usage").isEqualTo(cap)
                .jsonPath("$.quota.limit").isEqualTo(cap);
        usage(victim.owner, victim).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.miniPrograms").isEqualTo(cap)
                .jsonPath("$.miniProgramQuota").isEqualTo(cap);
    }

    @Test
    void aBatchItemThatWouldPassItsMerchantsQuotaFailsWithTheReasonAndTheOthersGoOn() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
        }
        TemplateSteps.batchRunnerRunning(context);
        TestUser admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        TestUser reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
        TemplateSteps steps = new TemplateSteps(api, keycloak, keycloakProperties, receiver, admin, reviewer, transactions,
                database);
        long quota = workspaceProperties.storageQuotaBytes();
        byte[] template = CodePackagesForTests.noise(8 * MB, 3);
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Big template");
        steps.approvedVersion(isv, templateId, "1.0.0", template);

        Workspace roomy = Workspace.create(api, keycloak);
        Workspace full = Workspace.create(api, keycloak);
        String ownApp = full.createMiniProgram(full.owner, "Own Tea");
        new Catalog(api, keycloak, null).upload(full, ownApp, "1.0.0",
                CodePackagesForTests.noise((int) (quota - template.length) + MB, 4)).expectStatus().isCreated();
        long fullBefore = storageBytes(full);
        steps.authorizeDirectly(roomy, isv);
        steps.authorizeDirectly(full, isv);

        String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", List.of(roomy, full)));
        JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));

        assertThat(job.get("succeeded").asInt()).as(job.toString()).isEqualTo(1);
        JsonNode failed = steps.items(isv, jobId, "&state=FAILED").get("items");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("merchant").asString()).isEqualTo(full.tenantId);
        assertThat(failed.get(0).get("reason").asString()).contains("storage quota");
        // the copy counts against the merchant it lands in; the refused one left nothing behind
        assertThat(storageBytes(roomy)).isEqualTo(template.length);
        assertThat(storageBytes(full)).isEqualTo(fullBefore);
        assertThat(steps.miniProgramsOf(full)).isEqualTo(1);
    }

    private List<String> tagKeys(String meter) {
        return meters.find(meter).meters().stream()
                .flatMap(found -> found.getId().getTags().stream())
                .map(Tag::getKey)
                .toList();
    }

    private List<EntityExchangeResult<String>> inParallel(int count, java.util.function.IntFunction<EntityExchangeResult<String>> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<EntityExchangeResult<String>>> futures = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit(() -> call.apply(i)))
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

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec usage(TestUser as, Workspace workspace) {
        return api.get().uri(workspace.path("/usage"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange();
    }

    private long storageBytes(Workspace workspace) {
        return usage(workspace.owner, workspace).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("storageBytes").asLong();
    }

    private List<?> versions(Workspace workspace, String appId) {
        return api.get().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
    }

    private void putLogo(Workspace workspace, String appId, byte[] png) {
        api.put().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.IMAGE_PNG)
                .bodyValue(png)
                .exchange()
                .expectStatus().isOk();
    }

    /** Counted in the workspace's own tenant, under row-level security. */
    private long count(Workspace workspace, String sql) {
        return transactions.inTransaction(database.sql(sql).map(row -> ((Number) row.get(0)).longValue()).one())
                .contextWrite(TenantContext.forTenant(java.util.UUID.fromString(workspace.tenantId), null))
                .block(Duration.ofSeconds(30));
    }
}
