package dev.miniplatform.api.authorization;

import java.util.Set;
import java.util.UUID;

/**
 * What a merchant's ACTIVE authorizations let one ISV client do there (the union over its services), as cached
 * per (client, merchant).
 *
 * @param authorizationId  the newest ACTIVE authorization (what audit entries name)
 * @param authorizationIds every ACTIVE authorization the union is made of (empty in a grant cached by an older
 *                         release, which then only costs a look-up in PostgreSQL)
 */
record Grant(UUID authorizationId, UUID isvTenantId, String isvName, Set<String> scopes,
             Set<UUID> authorizationIds) {

    public Grant {
        authorizationIds = authorizationIds == null ? Set.of() : Set.copyOf(authorizationIds);
    }

    /** Whether the consent to this request is already part of the grant. */
    boolean includes(UUID authorization) {
        return authorizationIds.contains(authorization);
    }
}
