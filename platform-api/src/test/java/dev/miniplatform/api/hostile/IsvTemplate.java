package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a free account gets in a minute: its own ISV workspace with its OAuth application and one template, whose
 * versions it uploads (a CREATED, never reviewed version is enough for the attacks here).
 */
record IsvTemplate(WebTestClient api, TestUser owner, String tenantId, String templateId) {

    static IsvTemplate create(WebTestClient api, KeycloakUsers keycloak) {
        TestUser owner = keycloak.newUser("attacker");
        String name = "ISV " + UUID.randomUUID().toString().substring(0, 8);
        String tenantId = post(api, owner, "/api/v1/tenants", Map.of("kind", "ISV", "name", name)).get("id").asString();
        // an application too (a minute's work as well): without one, batch jobs are refused before anything is read
        api.put().uri("/api/v1/tenants/" + tenantId + "/isv-application")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "redirectUris", List.of("https://isv.example/callback"),
                        "webhookUrl", "https://isv.example/hooks"))
                .exchange()
                .expectStatus().isOk();
        String templateId = post(api, owner, "/api/v1/tenants/" + tenantId + "/templates", Map.of("name", "Tea shop",
                "description", "A tea shop mini program for every merchant.", "industry", "food.tea-coffee"))
                .get("id").asString();
        return new IsvTemplate(api, owner, tenantId, templateId);
    }

    String templatePath(String rest) {
        return "/api/v1/tenants/" + tenantId + "/templates/" + templateId + rest;
    }

    WebTestClient.ResponseSpec uploadVersion(String version, String extSchema) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Template version " + version);
        parts.part("extSchema", extSchema);
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(templatePath("/versions"))
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    WebTestClient.ResponseSpec post(String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /**
     * Rewrites a stored version in the ISV's own tenant, as if it had been stored before today's checks existed
     * (the upload refuses such a schema now).
     */
    void storeAsIfUploadedEarlier(TenantTransactions transactions, DatabaseClient database, String version,
                                  String extSchema, String state) {
        Long updated = transactions.inTransaction(database.sql("""
                                update template_versions set ext_schema = $1, state = $2
                                where template_id = $3 and version = $4""")
                        .bind(0, extSchema)
                        .bind(1, state)
                        .bind(2, UUID.fromString(templateId))
                        .bind(3, version)
                        .fetch()
                        .rowsUpdated())
                .contextWrite(TenantContext.forTenant(UUID.fromString(tenantId), null))
                .block(Duration.ofSeconds(30));
        assertThat(updated).isEqualTo(1);
    }

    private static JsonNode post(WebTestClient api, TestUser as, String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
