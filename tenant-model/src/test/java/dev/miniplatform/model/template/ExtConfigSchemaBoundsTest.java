package dev.miniplatform.model.template;

import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What a schema and a config may cost: each bound refused at upload with the JSON pointer of its place. */
class ExtConfigSchemaBoundsTest {

    private static final Duration FAST = Duration.ofSeconds(10);

    @Test
    void aCatastrophicPatternIsRefusedAtUploadWithItsPointer() {
        String schema = """
                {"type": "object", "properties": {"x": {"type": "string", "pattern": "^((a+)\\\\2?)+$"}}}""";

        assertThat(refusals(schema)).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema/properties/x/pattern", "pattern"));
    }

    @Test
    void patternPropertiesKeysAreRegularExpressionsToo() {
        String schema = """
                {"patternProperties": {"^(?=x)a/b": {"type": "string"}}}""";

        assertThat(refusals(schema)).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema/patternProperties/^(?=x)a~1b", "pattern"));
    }

    @Test
    void aPatternInsideDataIsNotARegularExpression() {
        String schema = """
                {"properties": {"pattern": {"type": "string"}},
                 "const": {"pattern": "(a)\\\\1"}, "examples": [{"pattern": "(?=a)"}]}""";

        assertThat(ExtConfigSchema.parse("extSchema", schema)).isNotNull();
    }

    @Test
    void aPatternReachedOnlyThroughAReferenceIsCheckedToo() {
        String schema = """
                {"$ref": "#/x-hidden", "x-hidden": {"pattern": "(a)\\\\1"}}""";

        assertThat(refusals(schema)).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema/x-hidden/pattern", "pattern"));
    }

    @Test
    void patternsThatTogetherCompileTooLargeAreRefused() {
        String properties = IntStream.range(0, 20)
                .mapToObj(i -> "\"p%d\": {\"pattern\": \"^[a-z]{1,1000}$\"}".formatted(i))
                .collect(Collectors.joining(","));

        assertThat(refusals("{\"properties\": {" + properties + "}}")).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema", "pattern-size"));
    }

    @Test
    void referenceCyclesAreRefused() {
        assertThat(refusals("{\"properties\": {\"self\": {\"$ref\": \"#\"}}}"))
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema/properties/self/$ref", "ref-cycle"));
        assertThat(refusals("""
                {"$defs": {"node": {"type": "object", "properties": {"children": {"type": "array",
                  "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"}"""))
                .extracting(FieldError::code).contains("ref-cycle");
    }

    @Test
    void referencesResolveToAPlaceInThisDocumentOrAreRefused() {
        assertThat(refusals("{\"$ref\": \"#/$defs/missing\"}")).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extSchema/$ref", "ref"));
        assertThat(refusals("{\"$ref\": \"#anchor\", \"$defs\": {\"a\": {\"$anchor\": \"anchor\"}}}"))
                .extracting(FieldError::code).containsExactly("ref");
        assertThat(refusals("{\"$ref\": \"https://169.254.169.254/latest/meta-data\"}"))
                .extracting(FieldError::code).containsExactly("external-ref");
        assertThat(ExtConfigSchema.parse("extSchema", """
                {"$defs": {"a b": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a%20b"}}}""")).isNotNull();
    }

    @Test
    void keywordsThatChangeResolutionOrDialectAreRefused() {
        assertThat(refusals("""
                {"$id": "https://evil.example/s", "$vocabulary": {},
                 "properties": {"a": {"$dynamicRef": "#x"}, "b": {"$schema": "http://json-schema.org/draft-07/schema#"},
                                "c": {"$recursiveRef": "#"}}}"""))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("extSchema/$id", "extSchema/$vocabulary", "extSchema/properties/a/$dynamicRef",
                        "extSchema/properties/b/$schema", "extSchema/properties/c/$recursiveRef");
    }

    @Test
    void aSmallSchemaThatExpandsExponentiallyThroughReferencesIsRefusedQuickly() {
        // 30 definitions, each twice the next: 2^30 subschemas from 2 KB of JSON
        String defs = IntStream.range(0, 30)
                .mapToObj(i -> "\"d%d\": {\"anyOf\": [{\"$ref\": \"#/$defs/d%d\"}, {\"$ref\": \"#/$defs/d%d\"}]}".formatted(i, i + 1, i + 1))
                .collect(Collectors.joining(","));
        String schema = "{\"$defs\": {" + defs + ", \"d30\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/d0\"}";

        List<FieldError> refused = assertTimeoutPreemptively(FAST, () -> refusals(schema));

        assertThat(refused).extracting(FieldError::field, FieldError::code).containsExactly(tuple("extSchema", "subschemas"));
    }

    @Test
    void aLongChainOfReferencesIsRefusedForItsDepth() {
        String defs = IntStream.range(0, 80)
                .mapToObj(i -> "\"d%d\": {\"allOf\": [{\"$ref\": \"#/$defs/d%d\"}]}".formatted(i, i + 1))
                .collect(Collectors.joining(","));
        String schema = "{\"$defs\": {" + defs + ", \"d80\": true}, \"$ref\": \"#/$defs/d0\"}";

        assertThat(refusals(schema)).extracting(FieldError::field, FieldError::code).containsExactly(tuple("extSchema", "depth"));
    }

    @Test
    void aSchemaLongerThanTheLimitIsRefusedBeforeItIsParsed() {
        String schema = "{\"description\": \"" + "x".repeat(ExtConfigSchema.MAX_SCHEMA_CHARS) + "\"}";

        assertThat(refusals(schema)).extracting(FieldError::field, FieldError::code).containsExactly(tuple("extSchema", "size"));
    }

    @Test
    void formatsAreAnnotationsSoNoFormatExpressionRuns() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", """
                {"properties": {"mail": {"format": "email"}, "re": {"format": "regex"}, "style": {"format": "style"}}}""");

        List<FieldError> errors = schema.check("extConfig", config(
                "{\"mail\": \"not an e-mail\", \"re\": \"(a)\\\\1\", \"style\": \"" + "a:".repeat(8000) + "\"}"));

        assertThat(errors).isEmpty();
    }

    @Test
    void aCostlyButLinearCheckStopsAtItsBudget() {
        // each match of this pattern against a 16,000-character string costs about 0.2 s
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", """
                {"type": "array", "items": {"pattern": "(\\\\w|[a-z]|[^b]|.){0,100}$"}}""");
        JsonNode config = config("[" + String.join(",", Collections.nCopies(60, "\"" + "b".repeat(16_000) + "\"")) + "]");
        CheckBudget budget = CheckBudget.of(Duration.ofMillis(50));

        List<FieldError> errors = assertTimeoutPreemptively(FAST, () -> schema.check("extConfig", config, budget));

        assertThat(errors).extracting(FieldError::field, FieldError::code).containsExactly(tuple("extConfig", "budget"));
        assertThat(budget.exhausted()).isTrue();
        assertThat(schema.check("extConfig", config("[\"b\"]"), budget)).extracting(FieldError::code)
                .as("a spent budget ends the next call at once").containsExactly("budget");
    }

    @Test
    void manyBranchesOverManyValuesStopAtTheBudgetOrTheErrorCap() {
        String branches = String.join(",", Collections.nCopies(500, "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}"));
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema",
                "{\"type\": \"array\", \"items\": {\"anyOf\": [" + branches + "], \"unevaluatedProperties\": false}}");
        JsonNode config = config("[" + String.join(",", Collections.nCopies(3000, "{\"a\": \"x\", \"b\": 1}")) + "]");

        List<FieldError> errors = assertTimeoutPreemptively(FAST, () -> schema.check("extConfig", config,
                CheckBudget.of(Duration.ofMillis(100))));

        assertThat(errors).extracting(FieldError::code).containsAnyOf("budget", "too-many-errors");
        assertThat(errors).hasSizeLessThanOrEqualTo(ExtConfigSchema.MAX_REPORTED_ERRORS + 1);
    }

    @Test
    void failuresBeyondTheCapAreSummarised() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", "{\"items\": {\"type\": \"string\"}}");
        JsonNode config = config("[" + String.join(",", Collections.nCopies(5000, "1")) + "]");

        List<FieldError> errors = schema.check("extConfig", config);

        assertThat(errors).hasSize(ExtConfigSchema.MAX_REPORTED_ERRORS + 1);
        assertThat(errors.getFirst().field()).isEqualTo("extConfig/0");
        assertThat(errors.getLast().code()).isEqualTo("too-many-errors");
    }

    @Test
    void anOversizedConfigIsRefusedBeforeAnySchemaRuns() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", "{}");
        JsonNode many = config("[" + String.join(",", Collections.nCopies(ExtConfigSchema.MAX_CONFIG_NODES, "1")) + "]");
        JsonNode deep = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("[".repeat(40) + "]".repeat(40));

        assertThat(schema.check("extConfig", many)).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("extConfig", "size"));
        assertThat(schema.check("extConfig", deep)).extracting(FieldError::code).containsExactly("size");
        assertThat(schema.check("extConfig", config("[1, 2, 3]"))).isEmpty();
    }

    @Test
    void extremeNumbersCostLittle() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", "{\"items\": {\"multipleOf\": 1e-300, \"maximum\": 1e300}}");
        JsonNode config = config("[" + String.join(",", Collections.nCopies(5000, "1.7e308")) + "]");

        List<FieldError> errors = assertTimeoutPreemptively(FAST, () -> schema.check("extConfig", config));

        assertThat(errors).extracting(FieldError::code).contains("maximum");
    }

    private static List<FieldError> refusals(String schema) {
        try {
            ExtConfigSchema.parse("extSchema", schema);
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("accepted: " + schema.substring(0, Math.min(200, schema.length())));
    }

    private static JsonNode config(String json) {
        return ExtConfigSchema.readConfig("extConfig", json);
    }
}
