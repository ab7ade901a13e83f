package dev.miniplatform.api.cikey;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A CI key as its workspace's managers see it. The secret is in Keycloak only and appears once, in the answer that
 * created or rotated the key ({@code clientSecret}, and {@code key}: {@code <clientId>:<clientSecret>}, the value the
 * CLI takes from {@code MPP_KEY}).
 *
 * @param notBefore tokens issued before this are refused: the creation, or the last rotation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CiKeyView(UUID id, UUID workspaceId, String name, String clientId, List<String> appIds, boolean allowSubmit,
                 List<String> allowedSources, String createdBy, Instant createdAt, Instant notBefore,
                 Instant revokedAt, String revokedBy, String clientSecret, String key, String tokenUrl) {

    CiKeyView withSecret(String secret, String tokenUrl) {
        return new CiKeyView(id, workspaceId, name, clientId, appIds, allowSubmit, allowedSources, createdBy, createdAt,
                notBefore, revokedAt, revokedBy, secret, clientId + ":" + secret, tokenUrl);
    }
}
