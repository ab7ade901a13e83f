package dev.miniplatform.infra.effects;

import java.util.Map;
import java.util.UUID;

/**
 * An effect this node holds a lease on. {@code lease} identifies this one claim: completing or failing it is
 * refused once another node has claimed the effect after the lease ran out.
 */
public record ClaimedEffect(UUID tenantId, String key, String kind, Map<String, Object> payload, long generation,
                            int attempts, UUID lease) {

    public String text(String field) {
        Object value = payload.get(field);
        return value == null ? null : value.toString();
    }
}
