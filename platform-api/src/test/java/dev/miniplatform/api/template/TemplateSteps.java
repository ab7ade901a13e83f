package dev.miniplatform.api.template;

import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.KeycloakBrowser;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps of the template and batch tests, as the API's users take them (also the hostile tests'). */
public final class TemplateSteps {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object", "required": ["shopName", "theme"], "additionalProperties": false,
             "properties": {"shopName": {"type": "string", "minLength": 2},
                            "theme": {"type": "object", "required": ["color"],
                                      "properties": {"color": {"type": "string", "pattern": "^#[0-9a-f]{6}$"}}}}}""";

    public record Isv(TestUser owner, String tenantId, String clientId, String clientSecret, String serviceId, String name) {
    }

    private final WebTestClient api;
    private final KeycloakUsers keycloak;
    private final KeycloakProperties keycloakProperties;
    private final WebhookReceiver receiver;
    private final TestUser admin;
    private final TestUser reviewer;
    private final TenantTransactions transactions;
    private final DatabaseClient database;

    public TemplateSteps(WebTestClient api, KeycloakUsers keycloak, KeycloakProperties keycloakProperties, WebhookReceiver receiver,
                  TestUser admin, TestUser reviewer, TenantTransactions transactions, DatabaseClient database) {
        this.api = api;
        this.keycloak = keycloak;
        this.keycloakProperties = keycloakProperties;
        this.receiver = receiver;
        this.admin = admin;
        this.reviewer = reviewer;
        this.transactions = transactions;
        this.database = database;
    }

    /** Tests that stop the batch runner start it again; a test of another package makes sure it runs. */
    public static void batchRunnerRunning(ApplicationContext context) {
        BatchRunner runner = context.getBean(BatchRunner.class);
        if (!runner.isRunning()) {
            runner.start();
        }
    }

    /** An ISV with its application and an approved TEMPLATE service that may apply templates and release them. */
    public Isv onboardIsv() {
        return onboardIsv(List.of("miniprogram:read", "template:apply", "miniprogram:release"));
    }

    /** An ISV with its application and an approved TEMPLATE service asking for these scopes. */
    public Isv onboardIsv(List<String> scopes) {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "Template ISV " + UUID.randomUUID().toString().substring(0, 8);
        String tenantId = post(owner, "/api/v1/tenants", Map.of("kind", "ISV", "name", name))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        JsonNode application = put(owner, "/api/v1/tenants/" + tenantId + "/isv-application",
                Map.of("name", name, "redirectUris", List.of(receiver.url("/callback")), "webhookUrl", receiver.url("/hooks")))
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String serviceId = post(owner, "/api/v1/tenants/" + tenantId + "/services",
                Map.of("type", "TEMPLATE", "name", name + " templates", "description", "Your shop from our template.",
                        "industries", List.of("food.tea-coffee"), "scopes", scopes))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        api.post().uri("/api/v1/admin/services/" + serviceId + "/approve")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk();
        return new Isv(owner, tenantId, application.get("clientId").asString(), application.get("clientSecret").asString(),
                serviceId, name);
    }

    /** The same ISV offering another approved TEMPLATE service, with other scopes (its own {@code serviceId}). */
    public Isv withService(Isv isv, List<String> scopes) {
        String serviceId = post(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/services",
                Map.of("type", "TEMPLATE", "name", isv.name() + " " + scopes.size() + " scopes", "description",
                        "Your shop from our template.", "industries", List.of("food.tea-coffee"), "scopes", scopes))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        api.post().uri("/api/v1/admin/services/" + serviceId + "/approve")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk();
        return new Isv(isv.owner(), isv.tenantId(), isv.clientId(), isv.clientSecret(), serviceId, isv.name());
    }

    /**
     * The real path: the merchant owner requests the authorization, logs in and consents on Keycloak's pages, the
     * ISV redeems the code (secret + PKCE) and its first request activates the authorization.
     */
    String authorizeByConsent(Workspace merchant, Isv isv) {
        JsonNode requested = requestAuthorization(merchant, isv);
        String id = requested.get("id").asString();
        URI back = new KeycloakBrowser().consent(requested.get("authorizeUrl").asString(), merchant.owner.username(),
                merchant.owner.password(), true);
        Map<String, String> query = UriComponentsBuilder.fromUri(back).build().getQueryParams().toSingleValueMap();
        String verifier = JSON.readTree(receiver.await(each -> each.body().contains("authorization.requested")
                && each.body().contains(id), Duration.ofSeconds(30)).body()).get("data").get("codeVerifier").asString();
        HttpResponse<String> exchanged = tokenRequest(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", receiver.url("/callback"), "client_id", isv.clientId(), "client_secret", isv.clientSecret(),
                "code_verifier", verifier));
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        String access = JSON.readTree(exchanged.body()).get("access_token").asString();
        assertThat(access).isNotBlank();
        api.get().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(access))
                .exchange().expectStatus().isOk();
        assertThat(authorizationState(merchant, id)).isEqualTo("ACTIVE");
        return id;
    }

    /**
     * A shortcut for tests with many merchants: the authorization is requested through the API like any other, then
     * made ACTIVE in the merchant's own tenant transaction, as a consent would (Keycloak's consent pages are covered by
     * {@link #authorizeByConsent}).
     */
    public String authorizeDirectly(Workspace merchant, Isv isv) {
        String id = requestAuthorization(merchant, isv).get("id").asString();
        transactions.inTransaction(database.sql("""
                                update authorizations set state = 'ACTIVE', granted_by = $1, granted_at = now()
                                where id = $2""")
                        .bind(0, merchant.owner.id())
                        .bind(1, UUID.fromString(id))
                        .then())
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(30));
        return id;
    }

    JsonNode requestAuthorization(Workspace merchant, Isv isv) {
        return post(merchant.owner, merchant.path("/authorizations"), Map.of("serviceId", isv.serviceId()))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    String authorizationState(Workspace merchant, String id) {
        return api.get().uri(merchant.path("/authorizations/" + id))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("state").asString();
    }

    public void revoke(Workspace merchant, String authorizationId) {
        api.delete().uri(merchant.path("/authorizations/" + authorizationId))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
    }

    public String createTemplate(Isv isv, String name) {
        return post(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/templates",
                Map.of("name", name, "description", "A tea shop mini program for every merchant.", "industry", "food.tea-coffee"))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    WebTestClient.ResponseSpec uploadVersion(Isv isv, String templateId, String version, String schema) {
        return uploadVersion(isv, templateId, version, schema, CodePackagesForTests.valid());
    }

    WebTestClient.ResponseSpec uploadVersion(Isv isv, String templateId, String version, String schema, byte[] zip) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Template version " + version);
        if (schema != null) {
            parts.part("extSchema", schema);
        }
        parts.part("package", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri("/api/v1/tenants/" + isv.tenantId() + "/templates/" + templateId + "/versions")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    /** Uploaded, submitted and approved by a platform reviewer: ready to apply. */
    public void approvedVersion(Isv isv, String templateId, String version) {
        approvedVersion(isv, templateId, version, CodePackagesForTests.valid());
    }

    /** The same with this code package. */
    public void approvedVersion(Isv isv, String templateId, String version, byte[] zip) {
        uploadVersion(isv, templateId, version, SCHEMA, zip).expectStatus().isCreated();
        String reviewId = api.post().uri("/api/v1/tenants/" + isv.tenantId() + "/templates/" + templateId + "/versions/"
                        + version + "/submit")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reviewId").asString();
        api.post().uri("/api/v1/reviews/" + reviewId + "/approve")
                .headers(h -> h.setBearerAuth(reviewer.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.kind").isEqualTo("TEMPLATE_VERSION");
    }

    static Map<String, Object> extConfig(String shopName) {
        return Map.of("shopName", shopName, "theme", Map.of("color", "#00aa11"));
    }

    public static Map<String, Object> applyBody(String templateId, String version, List<Workspace> merchants) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < merchants.size(); i++) {
            items.add(Map.of("merchant", merchants.get(i).tenantId, "extConfig", extConfig("Shop " + i),
                    "miniProgram", Workspace.validMiniProgram("Tea " + i)));
        }
        return applyBody(templateId, version, items.toArray(Map[]::new));
    }

    @SafeVarargs
    static Map<String, Object> applyBody(String templateId, String version, Map<String, Object>... items) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "APPLY_TEMPLATE");
        body.put("template", templateId);
        body.put("version", version);
        body.put("items", List.of(items));
        return body;
    }

    WebTestClient.ResponseSpec submitJob(TestUser as, String isvId, String key, Object body) {
        return api.post().uri("/api/v1/tenants/" + isvId + "/batch-jobs")
                .headers(h -> {
                    h.setBearerAuth(as.accessToken());
                    if (key != null) {
                        h.set("Idempotency-Key", key);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    public String startJob(Isv isv, Object body) {
        return submitJob(isv.owner(), isv.tenantId(), UUID.randomUUID().toString(), body)
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    JsonNode job(Isv isv, String jobId) {
        return api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/batch-jobs/" + jobId)
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    public JsonNode awaitEnd(Isv isv, String jobId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job = job(isv, jobId);
        while (job.get("state").asString().equals("RUNNING") && Instant.now().isBefore(deadline)) {
            sleep(100);
            job = job(isv, jobId);
        }
        assertThat(job.get("state").asString()).as(job.toString()).isNotEqualTo("RUNNING");
        return job;
    }

    public JsonNode items(Isv isv, String jobId, String query) {
        return api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/batch-jobs/" + jobId + "/items?size=100" + query)
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Counted in the merchant's own tenant, under row-level security. */
    public long miniProgramsOf(Workspace merchant) {
        return transactions.inTransaction(database.sql("select count(*) as n from mini_programs")
                        .map(row -> row.get("n", Long.class))
                        .one())
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(30));
    }

    WebTestClient.ResponseSpec post(TestUser as, String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    WebTestClient.ResponseSpec get(TestUser as, String path) {
        return api.get().uri(path).headers(h -> h.setBearerAuth(as.accessToken())).exchange();
    }

    private WebTestClient.ResponseSpec put(TestUser as, String path, Object body) {
        return api.put().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(keycloakProperties.issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
