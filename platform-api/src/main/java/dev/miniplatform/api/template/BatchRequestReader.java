package dev.miniplatform.api.template;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.validation.InvalidInputException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.TokenBuffer;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch job request body, read as it arrives (never as one tree): the top-level fields are small values, each
 * item is read on its own, kept as its canonical JSON text (keys sorted, compact) and its tree dropped. So:
 * <ul>
 * <li>items are counted as they come: the one past {@code platform.batch.max-items} is refused at once, the rest of
 *     the body unread; an item, or another top-level value, over {@code platform.batch.max-item-bytes} too;</li>
 * <li>when the items begin after {@code kind}, {@code template} and {@code version} (the documented order), reading
 *     pauses at {@link Step#HEAD} so the caller can check the template before a single item is read;</li>
 * <li>the canonical hash of the whole request (what a replayed Idempotency-Key is compared with) is computed from
 *     those texts, byte for byte as if the request had been one tree with sorted keys.</li>
 * </ul>
 * Memory: the items' texts (at most the body's size) plus one item being read. Not thread-safe: one request, one
 * chunk at a time.
 */
final class BatchRequestReader {

    static final String ITEMS = "items";

    /** Top-level fields of a request: the documented ones are seven, so this only stops a flood of unknown keys. */
    private static final int MAX_FIELDS = 32;

    /** Where reading stands after a chunk. */
    enum Step {
        /** Give the next chunk (or {@link #finish()} at the end of the body). */
        MORE,
        /** Paused at the start of the items, with {@link #head()} known: check it, then {@link #resume()}. */
        HEAD
    }

    /** What comes before the items in the documented order: enough to check the template first. */
    record Head(String template, String version) {
    }

    /**
     * The request as read.
     *
     * @param sha256 the hash of the canonical request
     * @param fields the top-level fields but {@code items}
     * @param items  each item's canonical JSON, in order; null when the request has no {@code items} array
     */
    record Request(String sha256, ObjectNode fields, List<String> items) {
    }

    private enum State { START, FIELD, VALUE, ITEMS_START, ITEMS, ITEM, DONE }

    private final JsonMapper json;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final int maxItems;
    private final long maxItemBytes;
    private final long maxBytes;

    private final Map<String, JsonNode> fields = new TreeMap<>();
    private List<String> items;
    private State state = State.START;
    private String field;
    private TokenBuffer value;
    private long valueStart;
    private long received;
    private boolean paused;

    BatchRequestReader(JsonMapper json, BatchProperties properties) {
        this.json = json;
        this.maxItems = properties.maxItems();
        this.maxItemBytes = properties.maxItemBytes().toBytes();
        this.maxBytes = properties.maxRequestBytes().toBytes();
        this.parser = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // body, items, item, and an ext config of 32 levels
                        .maxNestingDepth(40)
                        .maxStringLength(16_384)
                        .maxNameLength(16_384)
                        .maxNumberLength(64)
                        .build())
                .build()
                .createNonBlockingByteArrayParser(ObjectReadContext.empty());
        this.feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
    }

    /** Reads one chunk of the body as far as it goes. */
    Step feed(byte[] chunk) {
        received += chunk.length;
        if (received > maxBytes) {
            throw new DataBufferLimitException("Batch job request larger than " + maxBytes + " bytes");
        }
        try {
            feeder.feedInput(chunk, 0, chunk.length);
        } catch (JacksonException e) {
            throw notJson(e);
        }
        return advance();
    }

    Head head() {
        return new Head(text("template"), text("version"));
    }

    /** Goes on after {@link Step#HEAD}, with the rest of the chunk that was being read. */
    Step resume() {
        paused = false;
        return advance();
    }

    /** The end of the body: the request, or why it is not one. */
    Request finish() {
        try {
            feeder.endOfInput();
        } catch (JacksonException e) {
            throw notJson(e);
        }
        advance();
        if (state != State.DONE) {
            throw InvalidInputException.of("body", "json", "not valid JSON (the body ends inside it)");
        }
        ObjectNode top = json.createObjectNode();
        fields.forEach(top::set);
        return new Request(sha256(), top, items);
    }

    private Step advance() {
        try {
            JsonToken token;
            while (!paused && (token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                accept(token);
            }
            return paused ? Step.HEAD : Step.MORE;
        } catch (StreamConstraintsException e) {
            throw InvalidInputException.of("body", "json", "beyond the reading limits (nesting, string or number length): "
                    + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    private void accept(JsonToken token) {
        switch (state) {
            case START -> {
                if (token != JsonToken.START_OBJECT) {
                    throw InvalidInputException.of("body", "json", "a JSON object as documented for batch jobs");
                }
                state = State.FIELD;
            }
            case FIELD -> field(token);
            case VALUE -> {
                if (captured(token, field)) {
                    fields.put(field, json.readTree(value));
                    state = State.FIELD;
                }
            }
            case ITEMS_START -> itemsStart(token);
            case ITEMS -> item(token);
            case ITEM -> {
                if (captured(token, ITEMS + "[" + items.size() + "]")) {
                    items.add(canonicalText(json.readTree(value)));
                    state = State.ITEMS;
                }
            }
            case DONE -> throw InvalidInputException.of("body", "json", "not valid JSON (content after the object)");
        }
    }

    private void field(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            state = State.DONE;
            return;
        }
        field = parser.currentName();
        if (ITEMS.equals(field)) {
            if (items != null) {
                throw InvalidInputException.of(ITEMS, "duplicate", "give the items once");
            }
            state = State.ITEMS_START;
        } else {
            if (!fields.containsKey(field) && fields.size() >= MAX_FIELDS) {
                throw InvalidInputException.of("body", "shape", "at most %d fields; see the documented request".formatted(MAX_FIELDS));
            }
            startValue();
            state = State.VALUE;
        }
    }

    private void itemsStart(JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            // not a list: read as a value, so the shape check names it like any other field of the wrong type
            startValue();
            state = State.VALUE;
            accept(token);
            return;
        }
        items = new ArrayList<>();
        state = State.ITEMS;
        paused = "APPLY_TEMPLATE".equals(text("kind")) && text("template") != null && text("version") != null;
    }

    private void item(JsonToken token) {
        if (token == JsonToken.END_ARRAY) {
            state = State.FIELD;
            return;
        }
        if (items.size() >= maxItems) {
            throw InvalidInputException.of(ITEMS, "size", "at most %d items in one job".formatted(maxItems));
        }
        startValue();
        state = State.ITEM;
        accept(token);
    }

    private void startValue() {
        value = TokenBuffer.forGeneration();
        valueStart = parser.currentTokenLocation().getByteOffset();
    }

    /** Adds the token to the value being read; true once the value is complete. */
    private boolean captured(JsonToken token, String name) {
        if (parser.currentLocation().getByteOffset() - valueStart > maxItemBytes) {
            throw InvalidInputException.of(name, "size", "at most %d bytes".formatted(maxItemBytes));
        }
        value.copyCurrentEvent(parser);
        int depth = parser.streamReadContext().getNestingDepth();
        boolean complete = state == State.VALUE ? depth == 1 : depth == 2;
        return complete && (!token.isStructStart());
    }

    private String text(String name) {
        JsonNode node = fields.get(name);
        return node != null && node.isString() ? node.asString() : null;
    }

    private static InvalidInputException notJson(JacksonException e) {
        return InvalidInputException.of("body", "json", "not valid JSON");
    }

    /**
     * SHA-256 of the request as one compact JSON object with sorted keys, written field by field; the items' texts
     * are already canonical.
     */
    private String sha256() {
        MessageDigest digest = Sha256.newDigest();
        try (JsonGenerator generator = json.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
            Map<String, Object> sorted = new TreeMap<>(fields);
            if (items != null) {
                sorted.put(ITEMS, items);
            }
            generator.writeStartObject();
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                generator.writeName(entry.getKey());
                if (entry.getValue() instanceof List<?> texts) {
                    generator.writeStartArray();
                    texts.forEach(text -> generator.writeRawValue((String) text));
                    generator.writeEndArray();
                } else {
                    generator.writeRawValue(canonicalText((JsonNode) entry.getValue()));
                }
            }
            generator.writeEndObject();
        }
        return Sha256.hexOf(digest);
    }

    private String canonicalText(JsonNode node) {
        return json.writeValueAsString(canonical(node));
    }

    /** The same value however its keys are ordered: objects become sorted maps. */
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
}
