package dev.miniplatform.model.template;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContextCustomizer;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A template version's JSON Schema (draft 2020-12) of the per-merchant ext config. The schema is checked against
 * the 2020-12 meta-schema when it is uploaded (an invalid schema is a 400 on {@code extSchema}); a merchant's ext
 * config is then checked against it and every failure is reported with the JSON pointer of the failing value.
 * <p>
 * An ISV writes the schema and anyone may send configs, so both are bounded (docs/templates.md, "Limits"):
 * <ul>
 * <li>the schema: at most {@link #MAX_SCHEMA_CHARS} characters, 32 levels of JSON, and the bounds of
 *     {@link SchemaBounds} (references inside the document only and never recursive, no {@code $id}, at most
 *     2,000 subschemas once references are expanded, patterns RE2 can match in linear time). A schema stored
 *     before a bound existed meets it when it is next parsed, before it checks anything;</li>
 * <li>patterns: matched by RE2/J only ({@link LinearRegex}); {@code java.util.regex} never sees one;</li>
 * <li>formats are annotations (2020-12's default, enforced): no format's own regular expression runs;</li>
 * <li>a config: at most {@link #MAX_CONFIG_NODES} values, 32 levels, strings of {@link #MAX_STRING_LENGTH};</li>
 * <li>a check: at most its {@link CheckBudget} of CPU time, and {@link MeteredExecution#MAX_RAISED_ERRORS} failures
 *     raised; at most {@link #MAX_REPORTED_ERRORS} are reported.</li>
 * </ul>
 * Only references inside the document ({@code "$ref": "#/$defs/…"}) are accepted and remote loading is off: the
 * validator never fetches a schema from anywhere, so an uploaded schema cannot make the platform call a URL of the
 * ISV's choosing.
 */
public final class ExtConfigSchema {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** Longest schema text (the upload form's field limit, 16 KB by default, is usually the tighter one). */
    public static final int MAX_SCHEMA_CHARS = 65_536;

    /** Values (objects, arrays, strings, numbers...) in one ext config: a settings document, not a data set. */
    public static final int MAX_CONFIG_NODES = 10_000;

    static final int MAX_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 16_384;

    /** Failures reported for one schema or one config; the first ones are what a person fixes first. */
    public static final int MAX_REPORTED_ERRORS = 100;

    /** CPU time one check may take unless the caller gives its own budget; a typical check takes well under 1 ms. */
    public static final Duration DEFAULT_CHECK_BUDGET = Duration.ofMillis(250);

    /** Bounds what parsing a schema or a config may cost, whatever the input. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(64)
                            .maxDocumentLength(1_048_576)
                            .build())
                    .build())
            .build();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER)
                            .regularExpressionFactory(LinearRegex.FACTORY)
                            .formatAssertionsEnabled(false)
                            .build())
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));

    private static final Schema META_SCHEMA = REGISTRY.getSchema(SchemaLocation.of(DIALECT));

    /** Keywords whose failure is about one property of the object at the instance location: report that property. */
    private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "additionalProperties",
            "unevaluatedProperties", "dependentRequired");

    private final String text;
    private final Schema schema;

    private ExtConfigSchema(String text, Schema schema) {
        this.text = text;
        this.schema = schema;
    }

    /**
     * @param field the request field reported on failure ({@code extSchema})
     * @throws InvalidInputException if the text is not JSON, not a 2020-12 schema, refers outside itself, or is
     *                               beyond a bound (see the class comment)
     */
    public static ExtConfigSchema parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.of(field, "required", "give the JSON Schema (2020-12) of the per-merchant ext config");
        }
        if (text.length() > MAX_SCHEMA_CHARS) {
            throw InvalidInputException.of(field, "size", "at most %d characters".formatted(MAX_SCHEMA_CHARS));
        }
        JsonNode node = read(field, text);
        if (!node.isObject()) {
            throw InvalidInputException.of(field, "schema", "a JSON Schema here is a JSON object, e.g. {\"type\": \"object\"}");
        }
        JsonNode dialect = node.get("$schema");
        if (dialect != null && !DIALECT.equals(dialect.asString(""))) {
            throw InvalidInputException.of(field + "/$schema", "dialect", "only " + DIALECT + " is supported");
        }
        // the bounds first: what they refuse must not reach the meta-schema check or the validator's compiler
        throwIfAny(SchemaBounds.check(field, node));
        throwIfAny(META_SCHEMA.validate(node).stream()
                .map(error -> fieldError(field, error))
                .toList());
        try {
            return new ExtConfigSchema(text, REGISTRY.getSchema(node));
        } catch (SchemaException | LinearRegex.Refused e) {
            throw InvalidInputException.of(field, "schema", "not a usable JSON Schema: " + e.getMessage());
        }
    }

    /** The schema as uploaded. */
    public String text() {
        return text;
    }

    /**
     * The failures of one ext config, each under {@code field} followed by the JSON pointer of the failing value
     * (for a missing property, the pointer it would have), e.g. {@code items[3].extConfig/theme/color}; within
     * {@link #DEFAULT_CHECK_BUDGET}.
     */
    public List<FieldError> check(String field, JsonNode config) {
        return check(field, config, CheckBudget.of(DEFAULT_CHECK_BUDGET));
    }

    /**
     * As {@link #check(String, JsonNode)}, spending the given budget: past it the check ends with one failure
     * ({@code budget}) instead of holding the CPU.
     */
    public List<FieldError> check(String field, JsonNode config, CheckBudget budget) {
        if (config == null || config.isMissingNode()) {
            return List.of(new FieldError(field, "required", "give the ext config, a JSON value valid against the template's schema"));
        }
        FieldError tooLarge = ConfigSize.check(field, config);
        if (tooLarge != null) {
            return List.of(tooLarge);
        }
        if (budget.exhausted()) {
            return List.of(overBudget(field, budget));
        }
        MeteredExecution execution = new MeteredExecution(budget);
        List<Error> errors = execution.getErrors();
        try {
            budget.run(() -> schema.validate(execution, config, OutputFormat.DEFAULT, (ExecutionContextCustomizer) null));
        } catch (CheckBudget.Exhausted e) {
            return List.of(overBudget(field, budget));
        } catch (MeteredExecution.TooManyErrors e) {
            return reported(field, errors, true);
        } catch (SchemaException | LinearRegex.Refused e) {
            return List.of(new FieldError(field, "schema", "the template's schema cannot check this value: " + e.getMessage()));
        }
        // a pattern that ran out of budget says so by matching; the budget knows
        return budget.exhausted() ? List.of(overBudget(field, budget)) : reported(field, errors, false);
    }

    private static List<FieldError> reported(String field, List<Error> errors, boolean stopped) {
        List<FieldError> reported = new ArrayList<>(errors.stream()
                .limit(MAX_REPORTED_ERRORS)
                .map(error -> fieldError(field, error))
                .toList());
        if (stopped || errors.size() > MAX_REPORTED_ERRORS) {
            reported.add(new FieldError(field, "too-many-errors",
                    "more failures than shown; fix these and check again"));
        }
        return reported;
    }

    private static FieldError overBudget(String field, CheckBudget budget) {
        return new FieldError(field, "budget", ("checking took more than %d ms of CPU time; the template's schema is too "
                + "costly for this value (simpler patterns, fewer anyOf/oneOf branches)").formatted(budget.limit().toMillis()));
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() > MAX_REPORTED_ERRORS ? errors.subList(0, MAX_REPORTED_ERRORS) : errors);
        }
    }

    /** Parses a config given as text (as stored), bounded like the schema. */
    public static JsonNode readConfig(String field, String text) {
        return read(field, text);
    }

    private static JsonNode read(String field, String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw InvalidInputException.of(field, "json", "not valid JSON (or beyond the size and nesting limits)");
        }
    }

    private static FieldError fieldError(String field, Error error) {
        String pointer = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        if (NAMES_A_PROPERTY.contains(error.getKeyword()) && error.getProperty() != null) {
            pointer = pointer + "/" + SchemaBounds.escape(error.getProperty());
        }
        return new FieldError(field + pointer, error.getKeyword() == null ? "schema" : error.getKeyword(), error.getMessage());
    }
}
