package dev.miniplatform.walletsdk;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK against the platform's committed OpenAPI document (docs/openapi.json, kept equal to the served one by
 * platform-api's OpenApiDocumentIntegrationTest): every path, method and parameter the SDK sends exists, and every
 * field its records read is in the answer's schema. An API change that would break the SDK fails this build.
 */
class OpenApiContractTest {

    private static final JsonNode DOCUMENT = load();

    @Test
    void everyOperationAndParameterTheSdkSendsIsInTheDocument() {
        ApiContract.OPERATIONS.forEach((path, operation) -> {
            JsonNode node = DOCUMENT.path("paths").path(path).path(operation.method());
            assertThat(node.isObject()).as("%s %s in docs/openapi.json", operation.method(), path).isTrue();
            Set<String> declared = new TreeSet<>();
            node.path("parameters").forEach(parameter -> declared.add(parameter.path("name").asString()));
            assertThat(declared).as("parameters of %s %s", operation.method(), path)
                    .containsAll(operation.parameters());
        });
        JsonNode batchGet = DOCUMENT.path("paths").path(ApiContract.BATCH_GET).path("post");
        assertThat(properties(schema(batchGet.path("requestBody").path("content").path("application/json").path("schema"))))
                .as("batchGet's request body").containsAll(ApiContract.BATCH_GET_BODY);
    }

    @Test
    void theChangeFeedHasEveryFieldTheSdkReads() {
        JsonNode page = responseSchema(ApiContract.CHANGES, "get");
        assertThat(properties(page)).containsAll(components(ChangePage.class));
        JsonNode change = schema(page.path("properties").path("changes").path("items"));
        assertThat(properties(change)).containsAll(components(ChangePage.Change.class));
    }

    @Test
    void theListHasEveryFieldTheSdkReads() {
        JsonNode page = responseSchema(ApiContract.LIST, "get");
        assertThat(properties(page)).containsAll(components(ListPage.class));
        JsonNode item = schema(page.path("properties").path("items").path("items"));
        assertThat(properties(item)).containsAll(components(ListPage.Item.class));
    }

    /**
     * The single get is a functional route whose 200 the document describes in words (no schema): the SDK's
     * fields must each be named there. batchGet's items are the same answers (its 200 is raw bytes in the document),
     * and its summary names the missing list.
     */
    @Test
    void theSingleAnswerNamesEveryFieldTheSdkReads() {
        JsonNode get = DOCUMENT.path("paths").path(ApiContract.GET).path("get");
        String description = get.path("responses").path("200").path("description").asString();
        List<String> words = Arrays.asList(description.split("[^A-Za-z0-9]+"));
        assertThat(words).as("the fields named by GET %s's 200", ApiContract.GET)
                .containsAll(components(WalletMiniProgram.class));
        assertThat(get.path("responses").has("304")).as("revalidation with If-None-Match").isTrue();
        assertThat(get.path("responses").has("404")).isTrue();
        String batchSummary = DOCUMENT.path("paths").path(ApiContract.BATCH_GET).path("post").path("summary").asString();
        assertThat(batchSummary).contains("'missing'").contains("100");
        assertThat(ApiContract.BATCH_LIMIT).isEqualTo(100);
    }

    @Test
    void rateLimitedAnswersAreDocumentedAsTheSdkHandlesThem() {
        ApiContract.OPERATIONS.forEach((path, operation) -> assertThat(DOCUMENT.path("paths").path(path)
                .path(operation.method()).path("responses").path("429").path("description").asString())
                .as("429 of %s", path).contains("Retry-After"));
        assertThat(DOCUMENT.path("components").path("securitySchemes").path("clientCredentials")
                .path("flows").path("clientCredentials").path("scopes").has("metadata:read")).isTrue();
    }

    private static JsonNode responseSchema(String path, String method) {
        JsonNode content = DOCUMENT.path("paths").path(path).path(method).path("responses").path("200").path("content");
        JsonNode first = content.values().iterator().next();
        return schema(first.path("schema"));
    }

    private static JsonNode schema(JsonNode node) {
        if (node.has("$ref")) {
            String name = node.path("$ref").asString().substring("#/components/schemas/".length());
            JsonNode resolved = DOCUMENT.path("components").path("schemas").path(name);
            assertThat(resolved.isObject()).as("schema %s", name).isTrue();
            return resolved;
        }
        return node;
    }

    private static Set<String> properties(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").propertyNames().forEach(names::add);
        return names;
    }

    private static List<String> components(Class<? extends Record> type) {
        List<String> names = new ArrayList<>();
        for (var component : type.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    private static JsonNode load() {
        Path document = Path.of("..", "docs", "openapi.json");
        assertThat(document).as("the platform's committed OpenAPI document").exists();
        try {
            return JsonMapper.builder().build().readTree(Files.readAllBytes(document));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
