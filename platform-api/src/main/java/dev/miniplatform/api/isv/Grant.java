package dev.miniplatform.api.isv;

import java.util.Set;
import java.util.UUID;

/**
 * What a merchant's ACTIVE authorizations let one ISV client do there (the union over its services), as cached
 * per (client, merchant).
 */
public record Grant(UUID authorizationId, UUID isvTenantId, String isvName, Set<String> scopes) {
}
