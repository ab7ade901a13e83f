package dev.miniplatform.infra.effects;

import java.util.Map;
import java.util.UUID;

/**
 * A side effect to perform after the change that asks for it commits.
 *
 * @param tenantId the tenant it belongs to (row-level security, and part of its identity)
 * @param key      its identity within the tenant: requesting an effect whose key is already queued replaces the
 *                 queued one (e.g. {@code member:<user>} converges one member's Keycloak state, whatever changed)
 * @param kind     which {@link EffectHandler} performs it
 * @param payload  what the handler needs, as JSON-friendly values
 */
public record Effect(UUID tenantId, String key, String kind, Map<String, ?> payload) {
}
