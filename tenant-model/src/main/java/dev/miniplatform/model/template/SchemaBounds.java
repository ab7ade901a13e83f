package dev.miniplatform.model.template;

import dev.miniplatform.model.validation.FieldError;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an uploaded schema may cost, checked by walking it as the validator will: every subschema, with each
 * {@code $ref} followed (they are what turns a small document into an exponential one). Refuses, each with the
 * JSON pointer of the offending place:
 * <ul>
 * <li>references other than JSON pointers into this document, references that point nowhere, and reference
 *     cycles (a recursive schema can recurse without consuming the value);</li>
 * <li>{@code $id}, a nested {@code $schema}, {@code $vocabulary}, {@code $dynamicRef} and {@code $recursiveRef}:
 *     they change how references resolve or which dialect applies, which nothing here needs;</li>
 * <li>patterns RE2 cannot match in linear time, and patterns that together compile to too large a program;</li>
 * <li>more than {@link #MAX_SUBSCHEMAS} subschemas once references are expanded, or a nesting deeper than
 *     {@link #MAX_DEPTH} (the validator recurses once per level).</li>
 * </ul>
 * The walk itself is linear in the document: each reference target is walked once and its expanded size kept.
 */
final class SchemaBounds {

    /** Subschemas after expanding every {@code $ref}: a 200-property settings form uses a few hundred. */
    static final int MAX_SUBSCHEMAS = 2_000;

    /** Subschema nesting after expanding references; the ext config itself nests at most 32 deep. */
    static final int MAX_DEPTH = 64;

    private static final Set<String> SUBSCHEMA_KEYWORDS = Set.of("additionalProperties", "unevaluatedProperties",
            "items", "contains", "propertyNames", "if", "then", "else", "not", "unevaluatedItems", "allOf", "anyOf",
            "oneOf", "prefixItems");

    private static final Set<String> SUBSCHEMA_MAPS = Set.of("properties", "patternProperties", "dependentSchemas",
            "$defs", "definitions", "dependencies");

    private static final Set<String> DEFINITIONS = Set.of("$defs", "definitions");

    private static final Map<String, String> REFUSED = Map.of(
            "$id", "embedded schema resources are not accepted: references resolve inside this document only",
            "$vocabulary", "vocabularies belong to meta-schemas, not to an ext config schema",
            "$dynamicRef", "dynamic references are not accepted; use \"$ref\": \"#/$defs/…\"",
            "$recursiveRef", "recursive references are not accepted; use \"$ref\": \"#/$defs/…\"");

    private record Shape(long subschemas, int depth) {
        static final Shape NONE = new Shape(0, 0);
    }

    private final String field;
    private final JsonNode root;
    private final List<FieldError> errors = new ArrayList<>();
    private final Map<JsonNode, Shape> walked = new IdentityHashMap<>();
    private final Set<JsonNode> walking = Collections.newSetFromMap(new IdentityHashMap<>());
    private long programSize;

    private SchemaBounds(String field, JsonNode root) {
        this.field = field;
        this.root = root;
    }

    /** Every bound the schema passes is silent; each one it breaks is a {@link FieldError} under {@code field}. */
    static List<FieldError> check(String field, JsonNode root) {
        SchemaBounds bounds = new SchemaBounds(field, root);
        Shape shape = bounds.walk(root, "");
        if (shape.subschemas() > MAX_SUBSCHEMAS) {
            bounds.errors.add(new FieldError(field, "subschemas", ("the schema expands to more than %d subschemas once "
                    + "its references are followed; reference shared definitions less, or simplify").formatted(MAX_SUBSCHEMAS)));
        }
        if (shape.depth() > MAX_DEPTH) {
            bounds.errors.add(new FieldError(field, "depth", "subschemas nest more than %d deep once references are followed"
                    .formatted(MAX_DEPTH)));
        }
        if (bounds.programSize > LinearRegex.MAX_PROGRAM_SIZE) {
            LinearRegex.Refused tooLarge = LinearRegex.tooLarge();
            bounds.errors.add(new FieldError(field, tooLarge.code(), tooLarge.getMessage()));
        }
        return bounds.errors;
    }

    private Shape walk(JsonNode schema, String pointer) {
        Shape known = walked.get(schema);
        if (known != null) {
            return known;
        }
        if (!schema.isObject()) {
            return new Shape(1, 1); // true / false, or a non-schema the meta-schema reports
        }
        walking.add(schema);
        long subschemas = 1;
        int depth = 0;
        for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
            String here = pointer + "/" + escape(keyword.getKey());
            Shape inner = keyword(keyword.getKey(), keyword.getValue(), pointer, here);
            subschemas = Math.min(Long.MAX_VALUE / 2, subschemas + inner.subschemas());
            depth = Math.max(depth, inner.depth());
        }
        walking.remove(schema);
        Shape shape = new Shape(subschemas, depth + 1);
        walked.put(schema, shape);
        return shape;
    }

    private Shape keyword(String name, JsonNode value, String schemaPointer, String here) {
        if (REFUSED.containsKey(name)) {
            errors.add(new FieldError(field + here, "keyword", REFUSED.get(name)));
            return Shape.NONE;
        }
        if ("$schema".equals(name) && !schemaPointer.isEmpty()) {
            errors.add(new FieldError(field + here, "keyword", "\"$schema\" is accepted at the top of the schema only"));
            return Shape.NONE;
        }
        if ("$ref".equals(name)) {
            return reference(value, here);
        }
        if ("pattern".equals(name) && value.isString()) {
            pattern(value.asString(), here);
            return Shape.NONE;
        }
        if (SUBSCHEMA_KEYWORDS.contains(name)) {
            return value.isArray() ? all(value, here) : walk(value, here);
        }
        if (SUBSCHEMA_MAPS.contains(name) && value.isObject()) {
            Shape sum = Shape.NONE;
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                String entryPointer = here + "/" + escape(entry.getKey());
                if ("patternProperties".equals(name)) {
                    pattern(entry.getKey(), entryPointer);
                }
                // dependencies: a schema, or (draft 4 to 7) a list of names that is no schema
                Shape inner = entry.getValue().isArray() ? Shape.NONE : walk(entry.getValue(), entryPointer);
                sum = plus(sum, inner);
            }
            // definitions apply to nothing by themselves: they count where a reference uses them
            return DEFINITIONS.contains(name) ? Shape.NONE : sum;
        }
        return Shape.NONE;
    }

    private Shape all(JsonNode schemas, String here) {
        Shape sum = Shape.NONE;
        for (int i = 0; i < schemas.size(); i++) {
            sum = plus(sum, walk(schemas.get(i), here + "/" + i));
        }
        return sum;
    }

    private Shape reference(JsonNode value, String here) {
        if (!value.isString()) {
            return Shape.NONE; // the meta-schema reports it
        }
        String reference = value.asString();
        if (!reference.startsWith("#")) {
            errors.add(new FieldError(field + here, "external-ref",
                    "only references inside this schema (\"#/$defs/…\") are allowed"));
            return Shape.NONE;
        }
        String pointer = percentDecoded(reference.substring(1));
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            errors.add(new FieldError(field + here, "ref", "only JSON pointer references (\"#/$defs/…\") are accepted"));
            return Shape.NONE;
        }
        JsonNode target = target(pointer);
        if (target.isMissingNode()) {
            errors.add(new FieldError(field + here, "ref", "points to nothing in this schema"));
            return Shape.NONE;
        }
        if (walking.contains(target)) {
            errors.add(new FieldError(field + here, "ref-cycle",
                    "leads back to a schema that contains it; recursive schemas are not accepted"));
            return Shape.NONE;
        }
        return walk(target, pointer);
    }

    private JsonNode target(String pointer) {
        try {
            return root.at(JsonPointer.compile(pointer));
        } catch (IllegalArgumentException e) {
            return MissingNode.getInstance();
        }
    }

    private void pattern(String pattern, String here) {
        if (programSize > LinearRegex.MAX_PROGRAM_SIZE) {
            return; // already refused as a whole: compiling more would only cost more
        }
        try {
            programSize += LinearRegex.compile(pattern).programSize();
        } catch (LinearRegex.Refused refused) {
            errors.add(new FieldError(field + here, refused.code(), refused.getMessage()));
        }
    }

    private static Shape plus(Shape a, Shape b) {
        return new Shape(Math.min(Long.MAX_VALUE / 2, a.subschemas() + b.subschemas()), Math.max(a.depth(), b.depth()));
    }

    static String escape(String property) {
        return property.replace("~", "~0").replace("/", "~1");
    }

    /** A URI fragment's %XX escapes (UTF-8), as {@code $ref} fragments are written. */
    private static String percentDecoded(String fragment) {
        if (fragment.indexOf('%') < 0) {
            return fragment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(fragment.length());
        for (int i = 0; i < fragment.length(); i++) {
            char c = fragment.charAt(i);
            int high = i + 2 < fragment.length() ? Character.digit(fragment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(fragment.charAt(i + 2), 16) : -1;
            if (c == '%' && low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
