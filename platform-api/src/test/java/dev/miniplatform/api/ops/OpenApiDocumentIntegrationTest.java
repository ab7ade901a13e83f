package dev.miniplatform.api.ops;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is a contract a generator can trust (the CLI and the wallet SDK are built against it): every
 * operation says who may call it, what it does, and the problem answers it can give; and an independent linter,
 * Redocly CLI with its recommended rules, finds no error in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentIntegrationTest extends IntegrationTest {

    /** Pinned: a newer Redocly may add rules; raising it is a deliberate change. */
    static final String REDOCLY_VERSION = "2.12.0";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonMapper json = JsonMapper.builder().build();
    private String document;
    private JsonNode root;

    @BeforeAll
    void fetch() {
        // building the document reads every controller: on a loaded machine it takes longer than one request should
        document = api.mutate().responseTimeout(Duration.ofSeconds(60)).build().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        root = json.readTree(document);
    }

    @Test
    void everyOperationSaysWhoMayCallItWhatItDoesAndItsProblemAnswers() {
        JsonNode schemes = root.path("components").path("securitySchemes");
        assertThat(schemes.path("bearerJwt").path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path("clientCredentials").path("flows").path("clientCredentials").path("tokenUrl").asString())
                .endsWith("/protocol/openid-connect/token");
        assertThat(root.path("components").path("schemas").has("Problem")).isTrue();

        List<String> failures = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                operations++;
                String name = entry.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = entry.getValue();
                if (operation.path("summary").asString("").isBlank()) {
                    failures.add(name + ": no summary");
                }
                if (!operationIds.add(operation.path("operationId").asString(""))) {
                    failures.add(name + ": operationId not unique");
                }
                String expected = path.getKey().startsWith("/wallet/") ? "clientCredentials"
                        : path.getKey().startsWith("/api/") ? "bearerJwt" : null;
                JsonNode security = operation.path("security");
                if (!security.isArray()) {
                    failures.add(name + ": no security requirement");
                } else if (expected != null && (security.size() != 1 || !security.get(0).has(expected))) {
                    failures.add(name + ": security " + security + ", expected " + expected);
                }
                boolean problem4xx = operation.path("responses").properties().stream()
                        .anyMatch(response -> response.getKey().startsWith("4")
                                && response.getValue().path("content").has("application/problem+json"));
                if (!problem4xx) {
                    failures.add(name + ": no 4xx problem answer");
                }
            }
        }
        assertThat(operations).as("operations in the document").isGreaterThan(60);
        assertThat(failures).isEmpty();
    }

    @Test
    void redoclysRecommendedRulesFindNoError() throws Exception {
        Path redocly = redocly();
        Path file = Files.createTempFile("api-docs-", ".json");
        Files.writeString(file, document);
        Process process = new ProcessBuilder(redocly.toString(), "lint", "--extends=recommended", "--format=json",
                file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode report = json.readTree(output.substring(output.indexOf('{')));
        List<String> errors = new ArrayList<>();
        report.path("problems").forEach(problem -> {
            if ("warn".equals(problem.path("severity").asString())) {
                System.out.println("Redocly warning " + problem.path("ruleId").asString() + ": "
                        + problem.path("message").asString());
            }
            if ("error".equals(problem.path("severity").asString())) {
                errors.add(problem.path("ruleId").asString() + ": " + problem.path("message").asString() + " at "
                        + problem.path("location").path(0).path("pointer").asString());
            }
        });
        System.out.println("Redocly " + REDOCLY_VERSION + " recommended rules: " + report.path("totals"));
        assertThat(errors).as("Redocly errors").isEmpty();
        assertThat(report.path("totals").path("errors").asInt()).isZero();
        Files.deleteIfExists(file);
    }

    /**
     * docs/openapi.json is the contract the CLI and the wallet SDK are checked against: it must be the document the
     * application serves. When it is not, this test rewrites it (review the diff and commit it) and fails. Servers and
     * the token URL depend on the run's ports and are left out.
     */
    @Test
    void theCommittedSnapshotIsTheServedDocument() throws IOException {
        ObjectNode served = (ObjectNode) json.readTree(document);
        served.remove("servers");
        ObjectNode flow = (ObjectNode) served.path("components").path("securitySchemes").path("clientCredentials")
                .path("flows").path("clientCredentials");
        flow.put("tokenUrl", "https://keycloak.example/realms/platform/protocol/openid-connect/token");
        String expected = json.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(served)) + "\n";
        Path snapshot = Path.of("..", "docs", "openapi.json");
        String committed = Files.exists(snapshot) ? Files.readString(snapshot) : "";
        if (!committed.equals(expected)) {
            Files.writeString(snapshot, expected);
        }
        assertThat(committed).as("docs/openapi.json was stale and has been rewritten: review and commit it")
                .isEqualTo(expected);
    }

    /** Object keys in order, so that the snapshot's diff shows changes, not reorderings. */
    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = json.createObjectNode();
            node.properties().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> copy.set(entry.getKey(), sorted(entry.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = json.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /**
     * Redocly CLI from npm, installed once outside the project's tree (the same cache as the Keycloak
     * distribution), with the npm the console's build already needs.
     */
    private static Path redocly() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "mini-program-platform", "tools",
                "redocly-" + REDOCLY_VERSION);
        Path binary = home.resolve("node_modules/.bin/redocly");
        if (!Files.isExecutable(binary)) {
            Files.createDirectories(home);
            Process install = new ProcessBuilder("npm", "install", "--prefix", home.toString(), "--no-audit",
                    "--no-fund", "--silent", "@redocly/cli@" + REDOCLY_VERSION)
                    .inheritIO()
                    .start();
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).as("npm install @redocly/cli").isTrue();
            assertThat(install.exitValue()).as("npm install @redocly/cli exit code").isZero();
        }
        return binary;
    }
}
