package dev.miniplatform.model.tenancy;

import dev.miniplatform.model.VersionedEntity;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A workspace. Its id is also the tenant key of every row it owns.
 */
@Table("tenants")
public record Tenant(
        @Id UUID id,
        TenantKind kind,
        String name,
        String organizationId,
        String groupId,
        TenantStatus status,
        String createdBy,
        Instant createdAt,
        @Version Long version) implements VersionedEntity<UUID> {

    public static Tenant create(TenantKind kind, TenantName name, String createdBy, Instant now) {
        return new Tenant(UUID.randomUUID(), kind, name.value(), null, null, TenantStatus.ACTIVE, createdBy, now, null);
    }

    /** Links the tenant to its Keycloak organization (alias = tenant id) and role group. */
    public Tenant inRealm(String keycloakOrganizationId, String keycloakGroupId) {
        return new Tenant(id, kind, name, keycloakOrganizationId, keycloakGroupId, status, createdBy, createdAt, version);
    }

    public Tenant closed() {
        return new Tenant(id, kind, name, organizationId, groupId, TenantStatus.CLOSED, createdBy, createdAt, version);
    }

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
