package dev.miniplatform.api.template;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.NodeProcess;
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
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * Templates and batch jobs end to end, with real PostgreSQL, Redis and Keycloak: a template version checked and
 * reviewed once, applied to merchants who authorized the ISV (one through Keycloak's consent pages), released
 * without per-merchant review and read by a wallet; idempotency, concurrent duplicates, a revoked merchant and a
 * suspended ISV mid-job, a node killed with SIGKILL mid-job, and every cross-tenant case.
 */
class TemplateBatchIntegrationTest extends IntegrationTest {

    static WebhookReceiver receiver;
    static TestUser admin;
    static TestUser reviewer;
    static Catalog.RegisteredWallet wallet;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    BatchRunner runner;

    @Autowired
    Environment environment;

    TemplateSteps steps;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
            wallet = new Catalog(api, keycloak, admin).registerWallet("Template Wallet");
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
    void aTemplateVersionsSchemaIsCheckedAndTheVersionIsReviewedOnceInTheSharedQueue() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        String base = "/api/v1/tenants/" + isv.tenantId() + "/templates/" + templateId;

        // a schema that is not a JSON Schema, or not JSON, or reaches outside itself: 400 on extSchema
        steps.uploadVersion(isv, templateId, "1.0.0", "{\"type\": \"colour\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").value(containsString("extSchema"));
        steps.uploadVersion(isv, templateId, "1.0.0", "{not json")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("json");
        steps.uploadVersion(isv, templateId, "1.0.0", "{\"properties\": {\"a\": {\"$ref\": \"http://10.0.0.1/x\"}}}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("extSchema/properties/a/$ref");
        steps.uploadVersion(isv, templateId, "1.0.0", null)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("extSchema");

        steps.uploadVersion(isv, templateId, "1.0.0", TemplateSteps.SCHEMA)
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.state").isEqualTo("CREATED").jsonPath("$.extSchema.type").isEqualTo("object");
        steps.uploadVersion(isv, templateId, "1.0.0", TemplateSteps.SCHEMA).expectStatus().isEqualTo(409);

        // one merchant's ext config against the schema: every failing value by its JSON pointer
        steps.post(isv.owner(), base + "/versions/1.0.0/ext-config-check",
                        Map.of("shopName", "T", "theme", Map.of("color", "green"), "extra", 1))
                .expectStatus().isBadRequest()
                .expectBody(JsonNode.class).value(problem -> assertThat(fields(problem))
                        .contains("extConfig/shopName", "extConfig/theme/color", "extConfig/extra"));
        steps.post(isv.owner(), base + "/versions/1.0.0/ext-config-check", Map.of("theme", Map.of()))
                .expectStatus().isBadRequest()
                .expectBody(JsonNode.class).value(problem -> assertThat(fields(problem))
                        .contains("extConfig/shopName", "extConfig/theme/color"));
        steps.post(isv.owner(), base + "/versions/1.0.0/ext-config-check", TemplateSteps.extConfig("Tea"))
                .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);

        // not applicable before approval
        Workspace merchant = Workspace.create(api, keycloak);
        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(),
                        TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)))
                .expectStatus().isEqualTo(409);

        String reviewId = steps.post(isv.owner(), base + "/versions/1.0.0/submit", Map.of())
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reviewId").asString();
        steps.post(isv.owner(), base + "/versions/1.0.0/submit", Map.of()).expectStatus().isEqualTo(409);
        // the same queue reviewers already use; a member of the ISV cannot review it (not in their queue, 404)
        steps.get(reviewer, "/api/v1/reviews").expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + reviewId + "')].kind").value(hasItem("TEMPLATE_VERSION"));
        // reviewer separation: a reviewer who owns an ISV never sees, nor decides, that ISV's template versions
        TestUser isvReviewer = keycloak.newUserWithRealmRole("isv-reviewer", "platform-reviewer");
        String ownIsv = steps.post(isvReviewer, "/api/v1/tenants", Map.of("kind", "ISV", "name", "Own ISV"))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        String ownTemplate = steps.post(isvReviewer, "/api/v1/tenants/" + ownIsv + "/templates", Map.of("name", "Own",
                        "description", "A template of the reviewer's own ISV.", "industry", "food.tea-coffee"))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        steps.uploadVersion(new Isv(isvReviewer, ownIsv, null, null, null, "Own ISV"), ownTemplate, "1.0.0", TemplateSteps.SCHEMA)
                .expectStatus().isCreated();
        String ownReview = steps.post(isvReviewer, "/api/v1/tenants/" + ownIsv + "/templates/" + ownTemplate
                        + "/versions/1.0.0/submit", Map.of())
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody().get("reviewId").asString();
        steps.get(isvReviewer, "/api/v1/reviews").expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + ownReview + "')]").isEmpty();
        steps.post(isvReviewer, "/api/v1/reviews/" + ownReview + "/approve", Map.of()).expectStatus().isNotFound();
        steps.post(reviewer, "/api/v1/reviews/" + reviewId + "/reject", Map.of("reason", "The package shows no shop name."))
                .expectStatus().isOk();
        steps.get(isv.owner(), base + "/versions/1.0.0").expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("REJECTED").jsonPath("$.reason").isEqualTo("The package shows no shop name.");
        String again = steps.post(isv.owner(), base + "/versions/1.0.0/submit", Map.of())
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reviewId").asString();
        steps.post(reviewer, "/api/v1/reviews/" + again + "/approve", Map.of()).expectStatus().isOk();
        // the decision reaches the ISV as a webhook
        receiver.await(each -> each.body().contains("\"type\":\"template.review_approved\"") && each.body().contains(templateId),
                Duration.ofSeconds(30));
        steps.get(isv.owner(), base + "/versions").expectStatus().isOk()
                .expectBody().jsonPath("$[0].state").isEqualTo("APPROVED");

        // nobody else sees the template: another ISV, a merchant (on the ISV's path or its own), 404 like an unknown id
        Isv other = steps.onboardIsv();
        for (String path : List.of(base, base + "/versions", base + "/versions/1.0.0")) {
            steps.get(other.owner(), path).expectStatus().isNotFound();
            steps.get(other.owner(), path.replace(isv.tenantId(), other.tenantId())).expectStatus().isNotFound();
            steps.get(merchant.owner, path).expectStatus().isNotFound();
        }
        steps.get(merchant.owner, merchant.path("/templates")).expectStatus().isNotFound();
        steps.get(other.owner(), "/api/v1/tenants/" + isv.tenantId() + "/templates").expectStatus().isNotFound();
        steps.post(other.owner(), "/api/v1/tenants/" + isv.tenantId() + "/templates", Map.of("name", "Theirs",
                "description", "Another ISV cannot add templates here.", "industry", "food.tea-coffee")).expectStatus().isNotFound();
        steps.uploadVersion(new Isv(other.owner(), isv.tenantId(), null, null, null, "x"), templateId, "2.0.0", TemplateSteps.SCHEMA)
                .expectStatus().isNotFound();
        steps.uploadVersion(new Isv(other.owner(), other.tenantId(), null, null, null, "x"), templateId, "2.0.0", TemplateSteps.SCHEMA)
                .expectStatus().isNotFound();
        steps.post(other.owner(), base + "/versions/1.0.0/ext-config-check", TemplateSteps.extConfig("Tea"))
                .expectStatus().isNotFound();
        steps.post(merchant.owner, base + "/versions/1.0.0/ext-config-check", TemplateSteps.extConfig("Tea"))
                .expectStatus().isNotFound();
        steps.post(merchant.owner, merchant.path("/templates"), Map.of("name", "Mine", "description",
                "A merchant cannot make templates.", "industry", "food.tea-coffee")).expectStatus().isNotFound();
        steps.post(other.owner(), base + "/versions/1.0.0/submit", Map.of()).expectStatus().isNotFound();
        steps.get(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/templates").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(templateId);
    }

    @Test
    void aBatchBuildsOneMiniProgramPerMerchantReleasesItWithoutPerMerchantReviewAndWalletsSeeIt() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = IntStream.range(0, 4).mapToObj(i -> Workspace.create(api, keycloak)).toList();
        steps.authorizeByConsent(merchants.get(0), isv);
        steps.authorizeDirectly(merchants.get(1), isv);
        steps.authorizeDirectly(merchants.get(2), isv);
        // merchants.get(3) never authorized the ISV: its item fails, the job goes on

        Map<String, Object> body = TemplateSteps.applyBody(templateId, "1.0.0", merchants);
        String key = UUID.randomUUID().toString();
        steps.submitJob(isv.owner(), isv.tenantId(), null, body).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
        String jobId = steps.submitJob(isv.owner(), isv.tenantId(), key, body)
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "false")
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        steps.submitJob(isv.owner(), isv.tenantId(), key, body)
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(jobId);
        steps.submitJob(isv.owner(), isv.tenantId(), key, TemplateSteps.applyBody(templateId, "1.0.0", merchants.subList(0, 2)))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.type").value(containsString("idempotency-key-reused"));

        // progress as Server-Sent Events until the job ends
        List<ServerSentEvent<JsonNode>> events = api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/batch-jobs/" + jobId + "/events")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
                })
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(events).isNotEmpty();
        assertThat(events.getLast().data().get("state").asString()).isEqualTo("COMPLETED");

        JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));
        assertThat(job.get("total").asInt()).isEqualTo(4);
        assertThat(job.get("succeeded").asInt()).isEqualTo(3);
        assertThat(job.get("failed").asInt()).isEqualTo(1);
        JsonNode failed = steps.items(isv, jobId, "&state=FAILED");
        assertThat(failed.get("items").get(0).get("merchant").asString()).isEqualTo(merchants.get(3).tenantId);
        assertThat(failed.get("items").get(0).get("reason").asString()).contains("no ACTIVE authorization");
        Map<String, String> appIds = new HashMap<>();
        steps.items(isv, jobId, "&state=SUCCEEDED").get("items")
                .forEach(item -> appIds.put(item.get("merchant").asString(), item.get("appId").asString()));
        assertThat(appIds).hasSize(3);

        // the mini program is the merchant's, and the audit log says who acted for whom
        Workspace first = merchants.get(0);
        String appId = appIds.get(first.tenantId);
        steps.get(first.owner, first.path("/mini-programs/" + appId)).expectStatus().isOk()
                .expectBody().jsonPath("$.localizations['en-US'].name").isEqualTo("Tea 0");
        steps.get(first.owner, first.path("/audit-events?size=100")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.action == 'template.applied')].actor")
                .value(hasItem(containsString("isv:" + isv.tenantId() + " (" + isv.name() + ") on behalf of merchant " + first.tenantId)));

        // a retry with a new key changes nothing: zero duplicates
        String retry = steps.startJob(isv, body);
        JsonNode retried = steps.awaitEnd(isv, retry, Duration.ofSeconds(60));
        assertThat(retried.get("skipped").asInt()).isEqualTo(3);
        assertThat(retried.get("failed").asInt()).isEqualTo(1);
        merchants.subList(0, 3).forEach(merchant -> assertThat(steps.miniProgramsOf(merchant)).isEqualTo(1));
        assertThat(steps.miniProgramsOf(merchants.get(3))).isZero();

        // release to PROD (which always needs review) without a per-merchant review: the template was reviewed once
        String release = steps.startJob(isv, Map.of("kind", "RELEASE", "fromJob", jobId,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD"), "grayPercent", 100));
        JsonNode released = steps.awaitEnd(isv, release, Duration.ofSeconds(60));
        assertThat(released.get("total").asInt()).isEqualTo(3);
        assertThat(released.get("succeeded").asInt()).as(steps.items(isv, release, "").toString()).isEqualTo(3);
        appIds.values().forEach(app -> walletSees(app, "1.0.0"));
        steps.get(first.owner, first.path("/mini-programs/" + appId + "/releases")).expectStatus().isOk()
                .expectBody().jsonPath("$[0].state").isEqualTo("FULL_RELEASE");

        // a new template version updates the same mini programs, is released, then rolled back across the batch
        steps.approvedVersion(isv, templateId, "1.1.0");
        String update = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.1.0", merchants.subList(0, 3)));
        assertThat(steps.awaitEnd(isv, update, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(3);
        merchants.subList(0, 3).forEach(merchant -> assertThat(steps.miniProgramsOf(merchant)).isEqualTo(1));
        String releaseUpdate = steps.startJob(isv, Map.of("kind", "RELEASE", "fromJob", update,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD")));
        assertThat(steps.awaitEnd(isv, releaseUpdate, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(3);
        walletSees(appId, "1.1.0");
        String rollback = steps.startJob(isv, Map.of("kind", "ROLLBACK", "fromJob", update,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD")));
        assertThat(steps.awaitEnd(isv, rollback, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(3);
        appIds.values().forEach(app -> walletSees(app, "1.0.0"));

        // the job list, newest first
        steps.get(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs?size=10").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(6).jsonPath("$.items[0].id").isEqualTo(rollback);
    }

    /**
     * {@code template:apply} builds mini programs; putting them live needs {@code miniprogram:release}, granted by the
     * merchant, as outside batches. Without it RELEASE and ROLLBACK jobs are refused up front; a grant that loses it
     * after the job was created fails the item with that reason, and nothing goes live.
     */
    @Test
    void releaseAndRollbackJobsNeedMiniprogramRelease() {
        Isv applyOnly = steps.onboardIsv(List.of("miniprogram:read", "template:apply"));
        String templateId = steps.createTemplate(applyOnly, "Tea shop");
        steps.approvedVersion(applyOnly, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        steps.authorizeByConsent(merchant, applyOnly);
        String applied = steps.startJob(applyOnly, TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)));
        assertThat(steps.awaitEnd(applyOnly, applied, Duration.ofSeconds(60)).get("succeeded").asInt()).isEqualTo(1);
        String appId = steps.items(applyOnly, applied, "&state=SUCCEEDED").get("items").get(0).get("appId").asString();

        for (String kind : List.of("RELEASE", "ROLLBACK")) {
            steps.submitJob(applyOnly.owner(), applyOnly.tenantId(), UUID.randomUUID().toString(), Map.of("kind", kind,
                            "fromJob", applied, "target", Map.of("wallet", wallet.id(), "environment", "PROD")))
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:insufficient_scope")
                    .jsonPath("$.detail").value(containsString("miniprogram:release"));
        }
        steps.get(applyOnly.owner(), "/api/v1/tenants/" + applyOnly.tenantId() + "/batch-jobs?size=10").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1);
        steps.get(merchant.owner, merchant.path("/mini-programs/" + appId + "/releases")).expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);

        // the merchant grants release (another service of the ISV); the job is created, then the merchant revokes
        // that grant before the item runs: the item fails with the reason, nothing is released
        Isv releasing = steps.withService(applyOnly, List.of("miniprogram:read", "template:apply", "miniprogram:release"));
        String releaseGrant = steps.authorizeDirectly(merchant, releasing);
        runner.stop();
        String release = steps.startJob(applyOnly, Map.of("kind", "RELEASE", "fromJob", applied,
                "target", Map.of("wallet", wallet.id(), "environment", "PROD")));
        steps.revoke(merchant, releaseGrant);
        runner.start();
        JsonNode job = steps.awaitEnd(applyOnly, release, Duration.ofSeconds(60));
        assertThat(job.get("failed").asInt()).isEqualTo(1);
        assertThat(steps.items(applyOnly, release, "&state=FAILED").get("items").get(0).get("reason").asString())
                .contains("does not grant miniprogram:release");
        steps.get(merchant.owner, merchant.path("/mini-programs/" + appId + "/releases")).expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void aBadItemIsA400NamingItAndNoJobIsCreated() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        Map<String, Object> miniProgram = new HashMap<>(Workspace.validMiniProgram("Tea"));
        miniProgram.put("servicePhone", "12345");
        Map<String, Object> body = TemplateSteps.applyBody(templateId, "1.0.0",
                Map.of("merchant", merchant.tenantId, "extConfig", TemplateSteps.extConfig("Good"), "miniProgram",
                        Workspace.validMiniProgram("Tea")),
                Map.of("merchant", merchant.tenantId, "extConfig", Map.of("shopName", "X", "theme", Map.of("color", "red")),
                        "miniProgram", miniProgram),
                Map.of("merchant", "not-a-uuid", "extConfig", TemplateSteps.extConfig("Good"), "miniProgram",
                        Workspace.validMiniProgram("Tea")));
        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(), body)
                .expectStatus().isBadRequest()
                .expectBody(JsonNode.class).value(problem -> assertThat(fields(problem)).contains(
                        "items[1].merchant", "items[1].extConfig/shopName", "items[1].extConfig/theme/color",
                        "items[1].miniProgram.servicePhone", "items[2].merchant"));
        steps.get(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);
        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(), Map.of("kind", "EVERYTHING"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("kind");
    }

    @Test
    void concurrentDuplicateSubmissionsOfOneJobCreateExactlyOneJob() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = IntStream.range(0, 2).mapToObj(i -> Workspace.create(api, keycloak)).toList();
        merchants.forEach(merchant -> steps.authorizeDirectly(merchant, isv));
        Map<String, Object> body = TemplateSteps.applyBody(templateId, "1.0.0", merchants);
        String key = UUID.randomUUID().toString();

        List<String> ids = Flux.range(0, 8)
                .flatMap(i -> reactor.core.publisher.Mono.fromCallable(() -> steps.submitJob(isv.owner(), isv.tenantId(), key, body)
                                .expectStatus().isAccepted()
                                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString())
                        .subscribeOn(Schedulers.boundedElastic()), 8)
                .collectList()
                .block(Duration.ofSeconds(120));

        assertThat(Set.copyOf(ids)).hasSize(1);
        steps.get(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1);
        steps.awaitEnd(isv, ids.getFirst(), Duration.ofSeconds(60));
        merchants.forEach(merchant -> assertThat(steps.miniProgramsOf(merchant)).isEqualTo(1));
    }

    @Test
    void aMerchantRevokedMidJobFailsItsItemAndASuspendedIsvFailsTheRestNeverTheJob() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = IntStream.range(0, 3).mapToObj(i -> Workspace.create(api, keycloak)).toList();
        List<String> authorizations = merchants.stream().map(merchant -> steps.authorizeDirectly(merchant, isv)).toList();

        runner.stop();
        String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", merchants));
        assertThat(steps.job(isv, jobId).get("pending").asInt()).isEqualTo(3);
        // its mini programs can be released once it has ended, not before
        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(), Map.of("kind", "RELEASE",
                "fromJob", jobId, "target", Map.of("wallet", wallet.id(), "environment", "DEV"))).expectStatus().isEqualTo(409);
        steps.revoke(merchants.get(1), authorizations.get(1));
        runner.start();

        JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("succeeded").asInt()).isEqualTo(2);
        JsonNode failed = steps.items(isv, jobId, "&state=FAILED").get("items");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("merchant").asString()).isEqualTo(merchants.get(1).tenantId);
        assertThat(steps.miniProgramsOf(merchants.get(1))).isZero();

        // the platform suspends the ISV while its release job waits: every remaining item fails, the job completes
        runner.stop();
        String release = steps.startJob(isv, Map.of("kind", "RELEASE", "fromJob", jobId,
                "target", Map.of("wallet", wallet.id(), "environment", "DEV")));
        steps.post(admin, "/api/v1/admin/isvs/" + isv.tenantId() + "/suspend", Map.of()).expectStatus().isOk();
        runner.start();
        JsonNode suspended = steps.awaitEnd(isv, release, Duration.ofSeconds(60));
        assertThat(suspended.get("total").asInt()).isEqualTo(2);
        assertThat(suspended.get("failed").asInt()).isEqualTo(2);
        assertThat(steps.items(isv, release, "&state=FAILED").get("items").get(0).get("reason").asString())
                .contains("no ACTIVE authorization");
    }

    @Test
    void anotherTenantsJobsAndTemplatesAreNotFound() {
        Isv isv = steps.onboardIsv();
        Isv other = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        String otherTemplate = steps.createTemplate(other, "Other shop");
        steps.approvedVersion(other, otherTemplate, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        steps.authorizeDirectly(merchant, isv);
        String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)));
        steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));
        String jobs = "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs";

        for (TestUser stranger : List.of(other.owner(), merchant.owner)) {
            steps.get(stranger, jobs).expectStatus().isNotFound();
            steps.get(stranger, jobs + "/" + jobId).expectStatus().isNotFound();
            steps.get(stranger, jobs + "/" + jobId + "/items").expectStatus().isNotFound();
            steps.get(stranger, jobs + "/" + jobId + "/events").expectStatus().isNotFound();
            steps.post(stranger, jobs + "/" + jobId + "/cancel", Map.of()).expectStatus().isNotFound();
            steps.submitJob(stranger, isv.tenantId(), UUID.randomUUID().toString(),
                    TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant))).expectStatus().isNotFound();
        }
        // the other ISV's own paths with this ISV's ids: as unknown
        String otherJobs = "/api/v1/tenants/" + other.tenantId() + "/batch-jobs";
        steps.get(other.owner(), otherJobs + "/" + jobId).expectStatus().isNotFound();
        steps.get(other.owner(), otherJobs + "/" + jobId + "/items").expectStatus().isNotFound();
        steps.post(other.owner(), otherJobs + "/" + jobId + "/cancel", Map.of()).expectStatus().isNotFound();
        steps.submitJob(other.owner(), other.tenantId(), UUID.randomUUID().toString(),
                TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant))).expectStatus().isNotFound();
        steps.submitJob(other.owner(), other.tenantId(), UUID.randomUUID().toString(), Map.of("kind", "RELEASE",
                "fromJob", jobId, "target", Map.of("wallet", wallet.id(), "environment", "DEV"))).expectStatus().isNotFound();
        // this ISV cannot apply the other's template; a merchant workspace has no batch jobs
        steps.submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(),
                TemplateSteps.applyBody(otherTemplate, "1.0.0", List.of(merchant))).expectStatus().isNotFound();
        steps.get(merchant.owner, merchant.path("/batch-jobs")).expectStatus().isNotFound();
        steps.get(isv.owner(), jobs + "/not-a-uuid").expectStatus().isNotFound();
        steps.get(isv.owner(), jobs + "/" + UUID.randomUUID()).expectStatus().isNotFound();

        // the other ISV's job on the same merchant (no authorization there) fails its item: the merchant is untouched
        String foreign = steps.startJob(other, TemplateSteps.applyBody(otherTemplate, "1.0.0", List.of(merchant)));
        assertThat(steps.awaitEnd(other, foreign, Duration.ofSeconds(60)).get("failed").asInt()).isEqualTo(1);
        assertThat(steps.miniProgramsOf(merchant)).isEqualTo(1);

        // a finished job cannot be canceled; the owner sees its items
        steps.post(isv.owner(), jobs + "/" + jobId + "/cancel", Map.of()).expectStatus().isEqualTo(409);
        steps.get(isv.owner(), jobs + "/" + jobId + "/items?state=SUCCEEDED").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1);
    }

    @Test
    void anIsvsOwnDeveloperMayNeitherManageTemplatesNorRunJobs() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        steps.authorizeDirectly(merchant, isv);
        String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)));
        steps.awaitEnd(isv, jobId, Duration.ofSeconds(60));
        Workspace isvWorkspace = Workspace.existing(api, keycloak, isv.owner(), isv.tenantId());
        String own = isvWorkspace.createMiniProgram(isv.owner(), "ISV's own tea");
        TestUser developer = isvWorkspace.join("DEVELOPER", List.of(own));
        String templates = "/api/v1/tenants/" + isv.tenantId() + "/templates";
        String jobs = "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs";

        // a member, so 403 (not 404 as for strangers), and nothing is created
        steps.get(developer, templates).expectStatus().isForbidden();
        steps.post(developer, templates, Map.of("name", "Developer's shop", "description", "Not allowed",
                "industry", "food.tea-coffee")).expectStatus().isForbidden();
        steps.get(developer, jobs).expectStatus().isForbidden();
        steps.get(developer, jobs + "/" + jobId).expectStatus().isForbidden();
        steps.post(developer, jobs + "/" + jobId + "/cancel", Map.of()).expectStatus().isForbidden();
        steps.submitJob(developer, isv.tenantId(), UUID.randomUUID().toString(),
                TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant))).expectStatus().isForbidden();
        steps.get(isv.owner(), templates).expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);
        steps.get(isv.owner(), jobs).expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);
    }

    @Test
    void aJobCanBeCanceledAndItsOpenItemsAreSkipped() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        steps.authorizeDirectly(merchant, isv);
        runner.stop();
        String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)));
        steps.post(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs/" + jobId + "/cancel", Map.of())
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("CANCELED").jsonPath("$.skipped").isEqualTo(1);
        runner.start();
        TemplateSteps.sleep(500);
        assertThat(steps.job(isv, jobId).get("state").asString()).isEqualTo("CANCELED");
        assertThat(steps.miniProgramsOf(merchant)).isZero();
    }

    @Test
    void aJobWhoseStoredSchemaIsNoLongerAcceptedFailsItsItemsAtOnce() {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        Workspace merchant = Workspace.create(api, keycloak);
        steps.authorizeDirectly(merchant, isv);
        runner.stop();
        try {
            String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", List.of(merchant)));
            // as if stored before patterns were checked: the runner parses it again and refuses it
            transactions.inTransaction(database.sql("update template_versions set ext_schema = $1 where template_id = $2")
                            .bind(0, "{\"properties\": {\"shopName\": {\"pattern\": \"^((a+)\\\\2?)+$\"}}}")
                            .bind(1, UUID.fromString(templateId))
                            .then())
                    .contextWrite(TenantContext.forTenant(UUID.fromString(isv.tenantId()), null))
                    .block(Duration.ofSeconds(30));
            runner.start();

            // not after max-attempts leases of a minute each
            JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(30));
            assertThat(job.get("failed").asInt()).isEqualTo(1);
            assertThat(steps.items(isv, jobId, "&state=FAILED").get("items").get(0).get("reason").asString())
                    .contains("extSchema/properties/shopName/pattern (pattern)");
            assertThat(steps.miniProgramsOf(merchant)).isZero();
        } finally {
            if (!runner.isRunning()) {
                runner.start();
            }
        }
    }

    @Test
    void aNodeKilledMidJobLeavesNoDuplicateAndAnotherNodeFinishesTheJob() throws Exception {
        Isv isv = steps.onboardIsv();
        String templateId = steps.createTemplate(isv, "Tea shop");
        steps.approvedVersion(isv, templateId, "1.0.0");
        List<Workspace> merchants = IntStream.range(0, 50).parallel()
                .mapToObj(i -> Workspace.create(api, keycloak))
                .collect(Collectors.toCollection(ArrayList::new));
        // one real consent; the other 49 made ACTIVE in their own tenant transactions (see TemplateSteps)
        steps.authorizeByConsent(merchants.getFirst(), isv);
        merchants.subList(1, merchants.size()).forEach(merchant -> steps.authorizeDirectly(merchant, isv));

        runner.stop();
        try (NodeProcess node = NodeProcess.start(secondNode(), Duration.ofSeconds(120))) {
            String jobId = steps.startJob(isv, TemplateSteps.applyBody(templateId, "1.0.0", merchants));
            JsonNode progress = steps.job(isv, jobId);
            while (progress.get("succeeded").asInt() < 3) {
                TemplateSteps.sleep(20);
                progress = steps.job(isv, jobId);
            }
            node.kill();
            int doneAtKill = steps.job(isv, jobId).get("succeeded").asInt();
            assertThat(doneAtKill).as("killed mid-job").isLessThan(50);

            runner.start();
            JsonNode job = steps.awaitEnd(isv, jobId, Duration.ofSeconds(90));
            assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
            assertThat(job.get("succeeded").asInt()).as(steps.items(isv, jobId, "&state=FAILED").toString()).isEqualTo(50);
            merchants.forEach(merchant -> assertThat(steps.miniProgramsOf(merchant)).as(merchant.tenantId).isEqualTo(1));
        } finally {
            if (!runner.isRunning()) {
                runner.start();
            }
        }
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return fields;
    }

    private void walletSees(String appId, String version) {
        api.get().uri("/wallet/v1/mini-programs/{id}?environment=PROD", appId)
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(version);
    }

    /** A second node on this node's services, one item at a time under a short lease, so a kill lands mid-job. */
    private Map<String, Object> secondNode() {
        Map<String, Object> shared = new HashMap<>();
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password", "spring.flyway.placeholders.app_role",
                "spring.data.redis.host", "spring.data.redis.port", "spring.mail.host", "spring.mail.port",
                "platform.keycloak.url")) {
            String value = environment.getProperty(key);
            if (value != null) {
                shared.put(key, value);
            }
        }
        shared.put("platform.batch.lease", "3s");
        shared.put("platform.batch.concurrency", "1");
        shared.put("platform.batch.claim-batch", "1");
        shared.put("platform.isv.relay-enabled", "false");
        return shared;
    }
}
