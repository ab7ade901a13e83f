package dev.miniplatform.api.authorization;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.isv.Authorization;

import java.time.Instant;
import java.util.List;

/** A merchant's authorization; {@code authorizeUrl} only in the answer to its creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuthorizationView(String id, String isv, String isvName, String service, List<String> scopes,
                         String state, String requestedBy, Instant requestedAt, String grantedBy,
                         Instant grantedAt, Instant revokedAt, String authorizeUrl) {

    static AuthorizationView of(Authorization authorization, String isvName, String authorizeUrl) {
        return new AuthorizationView(authorization.id().toString(), authorization.isvTenantId().toString(), isvName,
                authorization.serviceId().toString(), List.of(authorization.scopes().split(" ")),
                authorization.state().name(), authorization.requestedBy(), authorization.requestedAt(),
                authorization.grantedBy(), authorization.grantedAt(), authorization.revokedAt(), authorizeUrl);
    }
}
