package dev.miniplatform.api.error;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates malformed requests for every operation of an OpenAPI document: wrong types and extreme values in
 * path variables, query parameters and JSON properties; broken JSON; wrong content types; broken multipart; odd
 * byte encodings; huge numbers. Each request is wrong in at least one place the server must refuse, and bodies
 * start from a base whose strings are a single "x", which no field rule of the API accepts, so a correct server
 * writes nothing. Deterministic for a given document and seed.
 */
final class OpenApiRequests {

    record Operation(String method, String pathTemplate, List<JsonNode> parameters, String bodyType, JsonNode bodySchema) {

        boolean readOnly() {
            return method.equals("GET");
        }

        String name() {
            return method + " " + pathTemplate;
        }
    }

    record Malformed(String operation, String what, byte[] request) {
    }

    /** Values for a path variable or query parameter, as percent-encoded text (some deliberately invalid UTF-8). */
    private static final List<String> URL_VALUES = List.of(
            "abc", "-1", "99999999999999999999999", "1e309", "0x1F", "%00", "%2e%2e", "%2F", "%ED%A0%80" /* lone surrogate */,
            "%C0%AF" /* overlong '/' */, "%E9" /* latin-1 é */, "%E2%80%AE" /* RTL override */, "%F0%9F%98%80",
            "%27%20OR%201%3D1--", "%22%7D%5D", "%EF%BB%BF", "%25", "%zz", "x".repeat(20_000));

    /** JSON literals that replace one property of a body. */
    private static final List<String> JSON_VALUES = List.of(
            "\"" + "a".repeat(100_000) + "\"", "\"ab\\u0000cd\"", "\"ab\\ud800cd\"", "\"\\udc00\"", "\"abc\\u202edef\"",
            "\"\\u200b\\u200b\\u200b\"", "\"\\ufeffname\"", "\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"",
            "\"'; DROP TABLE tenants; --\"", "\"\\\"}],{\\\\\"", "12345", "-1", "true", "[]", "{}", "null",
            "1e400", "123456789012345678901234567890", "-9223372036854775809", "0.000000000000000000001",
            "[\"x\", 1, null, {}]", "{\"$ne\": null}");

    /** Whole bodies that are not the JSON the operation expects. */
    private static final List<String> BROKEN_JSON = List.of(
            "", "{", "[", "{\"a\":", "null", "\"text\"", "[]", "42", "{\"a\":1}}", "{'single': 'quotes'}",
            "[".repeat(5_000) + "]".repeat(5_000), "{\"a\":" + "9".repeat(5_000) + "}", "NaN", "\u0000");

    private final JsonNode document;
    private final Map<String, String> pathValues;
    private final String token;
    private final Random random;

    OpenApiRequests(JsonNode document, Map<String, String> pathValues, String token, long seed) {
        this.document = document;
        this.pathValues = pathValues;
        this.token = token;
        this.random = new Random(seed);
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                JsonNode operation = method.getValue();
                List<JsonNode> parameters = new ArrayList<>();
                operation.path("parameters").forEach(parameters::add);
                String bodyType = null;
                JsonNode bodySchema = null;
                for (Map.Entry<String, JsonNode> content : operation.path("requestBody").path("content").properties()) {
                    bodyType = content.getKey();
                    bodySchema = resolve(content.getValue().path("schema"));
                    break;
                }
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters, bodyType, bodySchema));
            }
        }
        return operations;
    }

    List<Malformed> malformed(Operation operation) {
        List<Malformed> requests = new ArrayList<>();
        pathMutations(operation, requests);
        queryMutations(operation, requests);
        if (operation.bodyType() != null) {
            bodyMutations(operation, requests);
        }
        if (operation.readOnly()) {
            headerMutations(operation, requests);
        }
        return requests;
    }

    // ---- path variables: each one replaced in turn; the request can then never reach a real resource

    private void pathMutations(Operation operation, List<Malformed> requests) {
        for (String variable : pathVariables(operation)) {
            for (String value : pick(URL_VALUES, 6)) {
                String target = target(operation, Map.of(variable, value)) + "?" + validQuery(operation);
                requests.add(new Malformed(operation.name(), "path " + variable + "=" + abbreviate(value),
                        request(operation.method(), target, "application/json", operation.bodyType() == null ? null : baseBody(operation))));
            }
        }
    }

    // ---- query parameters: declared ones get wrong values; any operation gets a NUL in an undeclared one

    private void queryMutations(Operation operation, List<Malformed> requests) {
        String target = target(operation, Map.of());
        byte[] body = operation.bodyType() == null ? null : baseBody(operation);
        for (JsonNode parameter : operation.parameters()) {
            if (!parameter.path("in").asString().equals("query")) {
                continue;
            }
            String name = parameter.path("name").asString();
            if (!operation.readOnly() && operation.bodyType() == null) {
                continue; // a body-less write with valid path variables would act: only NUL below, refused up front
            }
            for (String value : pick(URL_VALUES, 8)) {
                requests.add(new Malformed(operation.name(), "query " + name + "=" + abbreviate(value),
                        request(operation.method(), target + "?" + name + "=" + value, "application/json", body)));
            }
        }
        requests.add(new Malformed(operation.name(), "query with NUL",
                request(operation.method(), target + "?page=0&q=%00&" + validQuery(operation), "application/json", body)));
    }

    // ---- bodies

    private void bodyMutations(Operation operation, List<Malformed> requests) {
        String target = target(operation, Map.of());
        if (operation.bodyType().startsWith("multipart/")) {
            multipartMutations(operation, target, requests);
            return;
        }
        for (String broken : pick(BROKEN_JSON, 8)) {
            requests.add(new Malformed(operation.name(), "broken JSON " + abbreviate(broken),
                    request(operation.method(), target, "application/json", broken.getBytes(StandardCharsets.UTF_8))));
        }
        byte[] base = baseBody(operation);
        for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "")) {
            requests.add(new Malformed(operation.name(), "content type '" + contentType + "'",
                    request(operation.method(), target, contentType, base)));
        }
        requests.add(new Malformed(operation.name(), "UTF-16 body", request(operation.method(), target,
                "application/json; charset=UTF-16", new String(base, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16))));
        for (byte[] odd : List.of(new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xE9}, new byte[]{(byte) 0xFF, (byte) 0xFE},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            requests.add(new Malformed(operation.name(), "invalid UTF-8 in a string", request(operation.method(), target,
                    "application/json", replaceFirstString(base, odd))));
        }
        for (String property : properties(operation.bodySchema())) {
            for (String value : pick(JSON_VALUES, 7)) {
                requests.add(new Malformed(operation.name(), "body " + property + "=" + abbreviate(value),
                        request(operation.method(), target, "application/json",
                                json(operation.bodySchema(), Map.of(property, value)).getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    private void multipartMutations(Operation operation, String target, List<Malformed> requests) {
        String boundary = "fuzz" + Long.toHexString(random.nextLong());
        Map<String, byte[]> parts = new LinkedHashMap<>();
        for (String property : properties(operation.bodySchema())) {
            parts.put(property, "x".getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = multipart(boundary, parts);
        requests.add(new Malformed(operation.name(), "multipart without boundary",
                request(operation.method(), target, "multipart/form-data", whole)));
        requests.add(new Malformed(operation.name(), "multipart with another boundary",
                request(operation.method(), target, "multipart/form-data; boundary=other", whole)));
        requests.add(new Malformed(operation.name(), "multipart truncated",
                request(operation.method(), target, "multipart/form-data; boundary=" + boundary,
                        java.util.Arrays.copyOf(whole, whole.length / 2))));
        requests.add(new Malformed(operation.name(), "multipart as JSON",
                request(operation.method(), target, "application/json", "{\"version\":\"1.0.1\"}".getBytes(StandardCharsets.UTF_8))));
        requests.add(new Malformed(operation.name(), "multipart with latin-1 field",
                request(operation.method(), target, "multipart/form-data; boundary=" + boundary,
                        multipart(boundary, replaceAll(parts, new byte[]{(byte) 0xE9, (byte) 0xC0, (byte) 0xAF})))));
        for (String property : parts.keySet()) {
            for (String value : List.of("a".repeat(100_000), "1.0.0\u0000", "\uD800", "\u202E1.0.0", "99999999999.0.0")) {
                Map<String, byte[]> mutated = new LinkedHashMap<>(parts);
                mutated.put(property, value.getBytes(StandardCharsets.UTF_8));
                requests.add(new Malformed(operation.name(), "part " + property + "=" + abbreviate(value),
                        request(operation.method(), target, "multipart/form-data; boundary=" + boundary, multipart(boundary, mutated))));
            }
        }
    }

    // ---- headers (reads only: a write with valid path variables would act)

    private void headerMutations(Operation operation, List<Malformed> requests) {
        String target = target(operation, Map.of()) + "?" + validQuery(operation);
        requests.add(new Malformed(operation.name(), "Accept: application/xml", withHeader(
                request(operation.method(), target, null, null), "Accept: application/xml")));
        requests.add(new Malformed(operation.name(), "headers too large", withHeader(
                request(operation.method(), target, null, null), "X-Padding: " + "p".repeat(20_000))));
        requests.add(new Malformed(operation.name(), "malformed bearer token",
                RawHttpConnection.request(operation.method(), target, token.substring(0, token.length() - 5) + "!!!!!", null, null)));
    }

    // ---- building blocks

    private byte[] request(String method, String target, String contentType, byte[] body) {
        byte[] request = RawHttpConnection.request(method, target, token, contentType == null || contentType.isEmpty() ? null : contentType, body);
        if (body != null && (contentType == null || contentType.isEmpty())) {
            // a body without Content-Type: RawHttpConnection only writes the length with a type, so add it by hand
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
        }
        return request;
    }

    private static byte[] withHeader(byte[] request, String header) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n") + 2;
        return (text.substring(0, end) + header + "\r\n" + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private String target(Operation operation, Map<String, String> overrides) {
        String target = operation.pathTemplate();
        for (String variable : pathVariables(operation)) {
            String value = overrides.getOrDefault(variable, pathValues.getOrDefault(variable, "00000000-0000-4000-8000-00000000f022"));
            target = target.replace("{" + variable + "}", value);
        }
        return target;
    }

    private static List<String> pathVariables(Operation operation) {
        List<String> variables = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(operation.pathTemplate());
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        return variables;
    }

    private static String validQuery(Operation operation) {
        return "fuzz=1";
    }

    private byte[] baseBody(Operation operation) {
        if (operation.bodyType().startsWith("multipart/")) {
            return "--x--\r\n".getBytes(StandardCharsets.UTF_8);
        }
        return json(operation.bodySchema(), Map.of()).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> properties(JsonNode schema) {
        return schema == null ? List.of() : new ArrayList<>(schema.path("properties").propertyNames());
    }

    /** A JSON body for the schema: strings "x", enums their first value, numbers 1; overrides by top-level name. */
    private String json(JsonNode schema, Map<String, String> overrides) {
        if (schema == null || !schema.path("properties").isObject()) {
            return overrides.isEmpty() ? "{}" : "{\"" + overrides.keySet().iterator().next() + "\":" + overrides.values().iterator().next() + "}";
        }
        List<String> members = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String value = overrides.containsKey(property.getKey()) ? overrides.get(property.getKey()) : value(resolve(property.getValue()), 0);
            members.add("\"" + property.getKey() + "\":" + value);
        }
        return "{" + String.join(",", members) + "}";
    }

    private String value(JsonNode schema, int depth) {
        if (schema.has("enum")) {
            return "\"" + schema.path("enum").path(0).asString() + "\"";
        }
        return switch (schema.path("type").asString("object")) {
            case "string" -> "\"x\"";
            case "integer", "number" -> "1";
            case "boolean" -> "true";
            case "array" -> "[" + value(resolve(schema.path("items")), depth + 1) + "]";
            default -> depth > 3 || !schema.path("properties").isObject() ? "{}" : objectValue(schema, depth);
        };
    }

    private String objectValue(JsonNode schema, int depth) {
        List<String> members = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            members.add("\"" + property.getKey() + "\":" + value(resolve(property.getValue()), depth + 1));
        }
        return "{" + String.join(",", members) + "}";
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static byte[] multipart(String boundary, Map<String, byte[]> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, value) -> {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (name.equals("package") ? "; filename=\"p.zip\"\r\nContent-Type: application/zip" : "") + "\r\n\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(value);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static Map<String, byte[]> replaceAll(Map<String, byte[]> parts, byte[] value) {
        Map<String, byte[]> replaced = new LinkedHashMap<>();
        parts.keySet().forEach(name -> replaced.put(name, value));
        return replaced;
    }

    /** The body with the first "x" string value's content replaced by raw bytes. */
    private static byte[] replaceFirstString(byte[] body, byte[] raw) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"x\"");
        if (at < 0) {
            return concat(concat("{\"x\":\"".getBytes(StandardCharsets.ISO_8859_1), raw), "\"}".getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] before = text.substring(0, at + 1).getBytes(StandardCharsets.ISO_8859_1);
        byte[] after = text.substring(at + 2).getBytes(StandardCharsets.ISO_8859_1);
        return concat(concat(before, raw), after);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A seeded sample of n values, always including the first (the plain wrong type). */
    private List<String> pick(List<String> values, int n) {
        List<String> rest = new ArrayList<>(values.subList(1, values.size()));
        java.util.Collections.shuffle(rest, random);
        List<String> picked = new ArrayList<>(List.of(values.getFirst()));
        picked.addAll(rest.subList(0, Math.min(n - 1, rest.size())));
        return picked;
    }

    private static String abbreviate(String value) {
        String shown = value.length() > 40 ? value.substring(0, 30) : value;
        StringBuilder printable = new StringBuilder();
        shown.chars().forEach(c -> printable.append(c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.isSurrogate((char) c)
                || c == 0x202e || c == 0xfeff || c == 0x200b ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return value.length() > 40 ? printable + "…(" + value.length() + " chars)" : printable.toString();
    }
}
