package dev.miniplatform.api.template;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchRequestReaderTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final BatchProperties PROPERTIES = new BatchProperties(true, 16, 32, Duration.ofSeconds(60),
            Duration.ofMillis(250), 5, Duration.ofSeconds(30), 3, DataSize.ofKilobytes(64), DataSize.ofKilobytes(1), Duration.ofSeconds(10),
            Duration.ofMillis(500));

    static final String BODY = """
            {"version": "1.0.0", "kind": "APPLY_TEMPLATE", "template": "t-1",
             "items": [{"merchant": "m-1", "extConfig": {"z": 1.5, "a": ["é", "\\u2028", 12345678901234567890]},
                        "miniProgram": {"industry": "food"}}, null, {"extConfig": {}}],
             "unknown": {"b": true, "a": null}}""";

    @Test
    void theHashIsTheOneOfTheWholeRequestAsOneCanonicalTree() throws Exception {
        BatchRequestReader.Request read = readAll(BODY, 7);

        assertThat(read.sha256()).isEqualTo(treeHash(BODY));
        assertThat(read.items()).hasSize(3);
        assertThat(read.items().getFirst()).startsWith("{\"extConfig\":{\"a\":");
        assertThat(read.fields().has("items")).isFalse();
        assertThat(read.fields().get("template").asString()).isEqualTo("t-1");
    }

    @Test
    void keyOrderAndSpacingDoNotChangeTheHash() {
        String reordered = """
                {"items":[{"miniProgram":{"industry":"food"},"extConfig":{"a":["é","\\u2028",12345678901234567890],"z":1.5},
                "merchant":"m-1"},null,{"extConfig":{}}],"unknown":{"a":null,"b":true},"template":"t-1",
                "kind":"APPLY_TEMPLATE","version":"1.0.0"}""";

        assertThat(readAll(reordered, 1).sha256()).isEqualTo(readAll(BODY, 64).sha256());
        assertThat(readAll(BODY.replace("t-1", "t-2"), 64).sha256()).isNotEqualTo(readAll(BODY, 64).sha256());
    }

    @Test
    void readingPausesWhereTheItemsBeginOnceTheTemplateIsNamed() {
        BatchRequestReader reader = new BatchRequestReader(JSON, PROPERTIES);

        BatchRequestReader.Step step = reader.feed(bytes("{\"kind\":\"APPLY_TEMPLATE\",\"template\":\"t\",\"version\":\"1.0.0\",\"items\":[{},"));

        assertThat(step).isEqualTo(BatchRequestReader.Step.HEAD);
        assertThat(reader.head()).isEqualTo(new BatchRequestReader.Head("t", "1.0.0"));
        assertThat(reader.resume()).isEqualTo(BatchRequestReader.Step.MORE);
        assertThat(reader.feed(bytes("{}]}"))).isEqualTo(BatchRequestReader.Step.MORE);
        assertThat(reader.finish().items()).containsExactly("{}", "{}");
    }

    @Test
    void itemsBeforeTheTemplateAreReadWithoutAPause() {
        BatchRequestReader reader = new BatchRequestReader(JSON, PROPERTIES);

        assertThat(reader.feed(bytes("{\"items\":[{}],\"kind\":\"APPLY_TEMPLATE\",\"template\":\"t\",\"version\":\"1\"}")))
                .isEqualTo(BatchRequestReader.Step.MORE);
        assertThat(reader.finish().items()).containsExactly("{}");
    }

    @Test
    void theItemPastTheLimitIsRefusedAsSoonAsItBegins() {
        BatchRequestReader reader = new BatchRequestReader(JSON, PROPERTIES);
        reader.feed(bytes("{\"items\":[{},{},{}"));

        assertThatThrownBy(() -> reader.feed(bytes(",{")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::code)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("items", "size")));
    }

    @Test
    void anOversizedItemOrValueIsRefusedWhileRead() {
        String big = "\"" + "x".repeat(600) + "\"";
        BatchRequestReader items = new BatchRequestReader(JSON, PROPERTIES);
        BatchRequestReader values = new BatchRequestReader(JSON, PROPERTIES);

        assertThatThrownBy(() -> items.feed(bytes("{\"items\":[{}, {\"a\": [" + big + "," + big + "]}"))) 
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("items[1]"));
        assertThatThrownBy(() -> values.feed(bytes("{\"junk\": [" + big + "," + big + "]"))) 
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("junk"));
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhenTheLimitIsPassed() {
        BatchRequestReader reader = new BatchRequestReader(JSON, PROPERTIES);
        byte[] chunk = bytes("{\"junk\": \"" + "x".repeat(500) + "\", ");
        reader.feed(chunk);

        assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                reader.feed(bytes("\"k" + i + "\": \"" + "x".repeat(500) + "\", "));
            }
        }).isInstanceOfAny(DataBufferLimitException.class, InvalidInputException.class);
    }

    @Test
    void notAnObjectTruncatedTrailingAndRepeatedItemsAreRefused() {
        assertThat(refusal("[1]")).isEqualTo("body json");
        assertThat(refusal("{\"items\": [{}")).isEqualTo("body json");
        assertThat(refusal("{} {}")).isEqualTo("body json");
        assertThat(refusal("{\"kind\": ")).isEqualTo("body json");
        assertThat(refusal("{\"items\": [], \"items\": []}")).isEqualTo("items duplicate");
        StringBuilder manyFields = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            manyFields.append("\"f").append(i).append("\": 1,");
        }
        assertThat(refusal(manyFields + "\"z\": 1}")).isEqualTo("body shape");
    }

    @Test
    void itemsThatAreNotAListAreAFieldLikeAnyOther() {
        BatchRequestReader.Request read = readAll("{\"kind\": \"APPLY_TEMPLATE\", \"items\": {\"a\": 1}}", 3);

        assertThat(read.items()).isNull();
        assertThat(read.fields().get("items").get("a").asInt()).isEqualTo(1);
    }

    private static String refusal(String body) {
        try {
            readAll(body, 5);
        } catch (InvalidInputException e) {
            return e.errors().getFirst().field() + " " + e.errors().getFirst().code();
        }
        return "accepted";
    }

    /** The body in chunks of {@code size} bytes, as the network may cut it (inside tokens and UTF-8 sequences). */
    private static BatchRequestReader.Request readAll(String body, int size) {
        BatchRequestReader reader = new BatchRequestReader(JSON, PROPERTIES);
        byte[] all = bytes(body);
        for (int i = 0; i < all.length; i += size) {
            if (reader.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + size))) == BatchRequestReader.Step.HEAD) {
                reader.resume();
            }
        }
        return reader.finish();
    }

    /** How the request was hashed before it was streamed: one tree, keys sorted, compact. */
    private static String treeHash(String body) throws Exception {
        byte[] canonical = JSON.writeValueAsBytes(canonical(JSON.readTree(body)));
        return Sha256.hexOf(canonical);
    }

    private static Object canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, Object> sorted = new TreeMap<>();
            object.properties().forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> elements = new ArrayList<>();
            node.forEach(element -> elements.add(canonical(element)));
            return elements;
        }
        return node;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
