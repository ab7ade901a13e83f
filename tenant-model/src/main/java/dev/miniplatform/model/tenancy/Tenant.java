package dev.miniplatform.model.tenancy;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.Persistable;
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
        String createdBy,
        Instant createdAt,
        @Version Long version) implements Persistable<UUID> {

    public static Tenant create(TenantKind kind, TenantName name, String createdBy, Instant now) {
        return new Tenant(UUID.randomUUID(), kind, name.value(), null, createdBy, now, null);
    }

    /** Links the tenant to its Keycloak organization, whose alias is the tenant id. */
    public Tenant withOrganization(String keycloakOrganizationId) {
        return new Tenant(id, kind, name, keycloakOrganizationId, createdBy, createdAt, version);
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    @Transient
    public boolean isNew() {
        return version == null;
    }
}
