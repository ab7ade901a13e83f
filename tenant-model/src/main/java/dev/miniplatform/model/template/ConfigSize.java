package dev.miniplatform.model.template;

import dev.miniplatform.model.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * An ext config's size, whoever parsed it (the API's codec, a batch item): validation work grows with the number
 * of values, so a config over {@link ExtConfigSchema#MAX_CONFIG_NODES} values, 32 levels or a string over 16,384
 * characters is refused before any schema runs.
 */
final class ConfigSize {

    private int nodes;

    private ConfigSize() {
    }

    /** @return the one failure of an oversized config, or null */
    static FieldError check(String field, JsonNode config) {
        return new ConfigSize().fits(config, 1) ? null : new FieldError(field, "size",
                "an ext config has at most %d values, %d levels of nesting and strings of %d characters"
                        .formatted(ExtConfigSchema.MAX_CONFIG_NODES, ExtConfigSchema.MAX_DEPTH, ExtConfigSchema.MAX_STRING_LENGTH));
    }

    private boolean fits(JsonNode node, int depth) {
        if (++nodes > ExtConfigSchema.MAX_CONFIG_NODES || depth > ExtConfigSchema.MAX_DEPTH) {
            return false;
        }
        if (node.isString()) {
            return node.asString().length() <= ExtConfigSchema.MAX_STRING_LENGTH;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (property.getKey().length() > ExtConfigSchema.MAX_STRING_LENGTH || !fits(property.getValue(), depth + 1)) {
                    return false;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (!fits(element, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }
}
