package dev.miniplatform.model.tenancy;

import dev.miniplatform.model.VersionedEntity;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's role in one tenant. The user id is the Keycloak subject. Keycloak holds the role for the token;
 * this row is what every request is checked against, so a change takes effect on the very next request.
 */
@Table("memberships")
public record Membership(
        @Id UUID id,
        UUID tenantId,
        String userId,
        MemberRole role,
        MembershipStatus status,
        String displayName,
        String email,
        Instant createdAt,
        @Version Long version) implements VersionedEntity<UUID> {

    public static Membership owner(Tenant tenant, String userId) {
        return new Membership(UUID.randomUUID(), tenant.id(), userId, MemberRole.OWNER, MembershipStatus.ACTIVE,
                null, null, tenant.createdAt(), null);
    }

    public static Membership joined(UUID tenantId, String userId, MemberRole role, String displayName, String email,
                                    Instant now) {
        return new Membership(UUID.randomUUID(), tenantId, userId, role, MembershipStatus.ACTIVE, displayName, email,
                now, null);
    }

    public boolean isActive() {
        return status == MembershipStatus.ACTIVE;
    }

    public Membership withRole(MemberRole newRole) {
        return new Membership(id, tenantId, userId, newRole, status, displayName, email, createdAt, version);
    }

    public Membership withStatus(MembershipStatus newStatus) {
        return new Membership(id, tenantId, userId, role, newStatus, displayName, email, createdAt, version);
    }
}
