package dev.miniplatform.model.template;

import com.networknt.schema.Error;
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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A template version's JSON Schema (draft 2020-12) of the per-merchant ext config. The schema is checked against
 * the 2020-12 meta-schema when it is uploaded (an invalid schema is a 400 on {@code extSchema}); a merchant's ext
 * config is then checked against it and every failure is reported with the JSON pointer of the failing value.
 * <p>
 * Only references inside the document ({@code "$ref": "#/$defs/…"}) are accepted: the validator never fetches a
 * schema from anywhere, so an uploaded schema cannot make the platform call a URL of the ISV's choosing.
 */
public final class ExtConfigSchema {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** Bounds what parsing a schema or a config may cost, whatever the input. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(16_384)
                            .maxNumberLength(64)
                            .maxDocumentLength(1_048_576)
                            .build())
                    .build())
            .build();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build())
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
     * @throws InvalidInputException if the text is not JSON, not a 2020-12 schema, or refers outside itself
     */
    public static ExtConfigSchema parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.of(field, "required", "give the JSON Schema (2020-12) of the per-merchant ext config");
        }
        JsonNode node = read(field, text);
        if (!node.isObject()) {
            throw InvalidInputException.of(field, "schema", "a JSON Schema here is a JSON object, e.g. {\"type\": \"object\"}");
        }
        JsonNode dialect = node.get("$schema");
        if (dialect != null && !DIALECT.equals(dialect.asString(""))) {
            throw InvalidInputException.of(field + "/$schema", "dialect", "only " + DIALECT + " is supported");
        }
        List<FieldError> errors = new ArrayList<>();
        externalReferences(node, "", field, errors);
        META_SCHEMA.validate(node).forEach(error -> errors.add(fieldError(field, error)));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        try {
            return new ExtConfigSchema(text, REGISTRY.getSchema(node));
        } catch (SchemaException e) {
            throw InvalidInputException.of(field, "schema", "not a usable JSON Schema: " + e.getMessage());
        }
    }

    /** The schema as uploaded. */
    public String text() {
        return text;
    }

    /**
     * The failures of one ext config, each under {@code field} followed by the JSON pointer of the failing value
     * (for a missing property, the pointer it would have), e.g. {@code items[3].extConfig/theme/color}.
     */
    public List<FieldError> check(String field, JsonNode config) {
        if (config == null || config.isMissingNode()) {
            return List.of(new FieldError(field, "required", "give the ext config, a JSON value valid against the template's schema"));
        }
        try {
            return schema.validate(config).stream()
                    .map(error -> fieldError(field, error))
                    .toList();
        } catch (SchemaException e) {
            return List.of(new FieldError(field, "schema", "the template's schema cannot check this value: " + e.getMessage()));
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
            pointer = pointer + "/" + escape(error.getProperty());
        }
        return new FieldError(field + pointer, error.getKeyword() == null ? "schema" : error.getKeyword(), error.getMessage());
    }

    private static String escape(String property) {
        return property.replace("~", "~0").replace("/", "~1");
    }

    private static void externalReferences(JsonNode node, String pointer, String field, List<FieldError> errors) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String name = property.getKey();
                JsonNode value = property.getValue();
                String here = pointer + "/" + escape(name);
                if (("$ref".equals(name) || "$dynamicRef".equals(name)) && value.isString()
                        && !value.asString().startsWith("#")) {
                    errors.add(new FieldError(field + here, "external-ref",
                            "only references inside this schema (\"#/$defs/…\") are allowed"));
                }
                externalReferences(value, here, field, errors);
            }
        } else if (node.isArray()) {
            Iterator<JsonNode> elements = node.iterator();
            for (int i = 0; elements.hasNext(); i++) {
                externalReferences(elements.next(), pointer + "/" + i, field, errors);
            }
        }
    }
}
