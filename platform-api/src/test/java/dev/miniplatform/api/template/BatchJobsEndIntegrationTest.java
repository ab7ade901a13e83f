package dev.miniplatform.api.template;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps.Isv;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Issue 17, item 4: no batch job runs forever. A job that cannot work is refused before it exists; a job that was
 * created anyway (before this rule) ends at once with a reason its owner can act on; an item that keeps failing for a
 * reason not its own is FAILED after {@code platform.batch.max-attempts} attempts (5; the test's retry delay is
 * 200 ms) with the last failure as its reason, and its job ends.
 */
class BatchJobsEndIntegrationTest extends IntegrationTest {

    static WebhookReceiver receiver;
    static TestUser admin;
    static TestUser reviewer;

    @Autowired
    KeycloakProperties keycloakProperties;
    @Autowired
    TenantTransactions transactions;
    @Autowired
    DatabaseClient database;
    @Autowired
    BatchRunner runner;
    @Autowired
    BatchProperties properties;

    TemplateSteps steps;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
        }
        steps = new TemplateSteps(api, keycloak, keycloakProperties, receiver, admin, reviewer, transactions, database);
        if (!runner.isRunning()) {
            runner.start();
        }
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void whenTheIsvHasNoApplicationThenAJobIsRefusedUpFrontSayingWhatToDo() {
        Isv isv = isvWithoutApplication();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);

        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(),
                        TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(containsString("/api/v1/tenants/" + isv.tenantId() + "/isv-application"))
                .jsonPath("$.type").value(containsString("conflict"));
        assertThat(jobCount(isv)).as("no job exists").isZero();
        assertThat(steps.miniProgramsOf(merchant)).isZero();
    }

    @Test
    void aJobOfAnIsvWithoutApplicationCreatedBeforeTheRuleEndsAtOnceWithAnActionableReason() {
        Isv isv = isvWithoutApplication();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = List.of(Workspace.create(api, keycloak), Workspace.create(api, keycloak));

        // as a job created before jobs of such an ISV were refused: every item used to be retried each lease
        String jobId = insertJobAsBefore(isv, templateId, merchants);
        runner.wake();

        JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(20));
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("failed").asInt()).isEqualTo(2);
        assertThat(job.get("pending").asInt()).isZero();
        for (JsonNode item : steps.items(isv, jobId, "").get("items")) {
            assertThat(item.get("state").asString()).isEqualTo("FAILED");
            assertThat(item.get("reason").asString())
                    .contains("no OAuth application")
                    .contains("PUT /api/v1/tenants/" + isv.tenantId() + "/isv-application");
        }
    }

    @Test
    void anItemThatKeepsFailingIsFailedAfterMaxAttemptsWithItsLastFailureAndTheJobEnds() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = List.of(Workspace.create(api, keycloak), Workspace.create(api, keycloak));
        merchants.forEach(merchant -> steps.authorizeDirectly(merchant, isv));

        runner.stop();
        String jobId;
        try {
            jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", merchants));
            // the second item's payload is unreadable: every attempt fails with an error that is not the item's own
            // kind of failure (the same path as a database that keeps going away)
            inIsv(isv, database.sql("update batch_job_items set payload = 'not json' where job_id = $1 and seq = 1")
                    .bind(0, UUID.fromString(jobId))
                    .fetch()
                    .rowsUpdated());
        } finally {
            runner.start();
        }

        JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("succeeded").asInt()).isEqualTo(1);
        assertThat(job.get("failed").asInt()).isEqualTo(1);
        JsonNode failed = steps.items(isv, jobId, "&state=FAILED").get("items").get(0);
        assertThat(failed.get("attempts").asInt()).isEqualTo(properties.maxAttempts());
        assertThat(failed.get("reason").asString())
                .startsWith("failed " + properties.maxAttempts() + " attempts; last: ")
                .contains("Start a new job for this merchant");
        assertThat(steps.miniProgramsOf(merchants.get(0))).isEqualTo(1);
        assertThat(steps.miniProgramsOf(merchants.get(1))).isZero();
    }

    /** An ISV workspace whose owner never registered its OAuth application (allowed: templates come first). */
    private Isv isvWithoutApplication() {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "No-app ISV " + UUID.randomUUID().toString().substring(0, 8);
        String tenantId = steps.post(owner, "/api/v1/tenants", Map.of("kind", "ISV", "name", name))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        return new Isv(owner, tenantId, null, null, null, name);
    }

    /** Job and items in one transaction, as job creation writes them (a job without items would simply complete). */
    private String insertJobAsBefore(Isv isv, String templateId, List<Workspace> merchants) {
        UUID jobId = UUID.randomUUID();
        Mono<Long> job = database.sql("""
                        insert into batch_jobs (tenant_id, id, kind, state, idempotency_key, request_sha256, template_id,
                            template_version, total, created_by, created_at, updated_at)
                        values ($1, $2, 'APPLY_TEMPLATE', 'RUNNING', $3, 'sha', $4, '1.0.0', $5, $6, now(), now())""")
                .bind(0, UUID.fromString(isv.tenantId()))
                .bind(1, jobId)
                .bind(2, UUID.randomUUID().toString())
                .bind(3, UUID.fromString(templateId))
                .bind(4, merchants.size())
                .bind(5, isv.owner().id())
                .fetch()
                .rowsUpdated();
        for (int i = 0; i < merchants.size(); i++) {
            String payload = TemplateSteps.JSON.writeValueAsString(Map.of("extConfig", TemplateSteps.extConfig("Shop " + i),
                    "miniProgram", Workspace.validMiniProgram("Tea " + i)));
            job = job.then(database.sql("""
                            insert into batch_job_items (tenant_id, job_id, seq, merchant_id, state, payload, updated_at)
                            values ($1, $2, $3, $4, 'PENDING', $5, now())""")
                    .bind(0, UUID.fromString(isv.tenantId()))
                    .bind(1, jobId)
                    .bind(2, i)
                    .bind(3, UUID.fromString(merchants.get(i).tenantId))
                    .bind(4, payload)
                    .fetch()
                    .rowsUpdated());
        }
        inIsv(isv, job);
        return jobId.toString();
    }

    private long jobCount(Isv isv) {
        return inIsv(isv, database.sql("select count(*) as n from batch_jobs").map(row -> row.get("n", Long.class)).one());
    }

    private <T> T inIsv(Isv isv, Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(UUID.fromString(isv.tenantId()), null))
                .block(Duration.ofSeconds(30));
    }
}
