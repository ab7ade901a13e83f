package dev.miniplatform.model.isv;

import dev.miniplatform.model.VersionedEntity;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A merchant's authorization of one ISV service ({@code tenantId} is the merchant). The grant is the merchant's:
 * {@code grantedBy} records which merchant user consented, but the grant does not depend on that user staying.
 * {@code scopes} are joined by spaces.
 */
@Table("authorizations")
public record Authorization(
        UUID tenantId,
        @Id UUID id,
        UUID isvTenantId,
        UUID serviceId,
        String clientId,
        String scopes,
        AuthorizationState state,
        String requestedBy,
        Instant requestedAt,
        String grantedBy,
        Instant grantedAt,
        String revokedBy,
        Instant revokedAt,
        Instant consentRevokedAt,
        @Version Long version) implements VersionedEntity<UUID> {

    public Set<String> scopeSet() {
        return Arrays.stream(scopes.split(" ")).collect(Collectors.toUnmodifiableSet());
    }

    public Authorization consented(String userId, Instant now) {
        return new Authorization(tenantId, id, isvTenantId, serviceId, clientId, scopes,
                AuthorizationStateMachine.next(state, AuthorizationAction.CONSENT), requestedBy, requestedAt, userId, now,
                revokedBy, revokedAt, consentRevokedAt, version);
    }

    public Authorization revoked(String actor, Instant now) {
        return new Authorization(tenantId, id, isvTenantId, serviceId, clientId, scopes,
                AuthorizationStateMachine.next(state, AuthorizationAction.REVOKE), requestedBy, requestedAt, grantedBy,
                grantedAt, actor, now, consentRevokedAt, version);
    }

    public Authorization superseded(Instant now) {
        return new Authorization(tenantId, id, isvTenantId, serviceId, clientId, scopes,
                AuthorizationStateMachine.next(state, AuthorizationAction.SUPERSEDE), requestedBy, requestedAt, grantedBy,
                grantedAt, "platform", now, consentRevokedAt, version);
    }
}
