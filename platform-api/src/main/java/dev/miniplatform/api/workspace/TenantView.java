package dev.miniplatform.api.workspace;

import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantKind;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant as its member sees it, with the member's own role.
 */
public record TenantView(UUID id, TenantKind kind, String name, MemberRole role, Instant createdAt) {

    static TenantView of(Tenant tenant, Membership membership) {
        return new TenantView(tenant.id(), tenant.kind(), tenant.name(), membership.role(), tenant.createdAt());
    }
}
