package dev.miniplatform.api.access;

import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.validation.NotFoundException;

import java.util.Set;
import java.util.UUID;

/**
 * What the caller may do in one tenant, as of this request: read from the database on every request, so a
 * role change, block or removal applies immediately, whatever the caller's token still says.
 *
 * @param assignedAppIds the mini programs a developer may see and change (empty for owners and masters)
 */
public record Access(Tenant tenant, ConsoleUser user, Membership membership, Set<String> assignedAppIds) {

    public UUID tenantId() {
        return tenant.id();
    }

    /** Where the tenant lives in Keycloak. */
    public TenantRealmEntry realmEntry() {
        return new TenantRealmEntry(tenant.organizationId(), tenant.groupId());
    }

    public MemberRole role() {
        return membership.role();
    }

    public String actor() {
        return user.actorId();
    }

    /** Owners and masters manage everything in the tenant. */
    public boolean manages() {
        return role() == MemberRole.OWNER || role() == MemberRole.MASTER;
    }

    public Access requireManager() {
        if (!manages()) {
            throw new ForbiddenException("Only the owner or a master of this workspace can do this.");
        }
        return this;
    }

    /** Transferring ownership and closing the workspace are the owner's alone. */
    public Access requireOwner() {
        if (role() != MemberRole.OWNER) {
            throw new ForbiddenException("Only the owner of this workspace can do this.");
        }
        return this;
    }

    /** A developer's unassigned mini programs do not exist for them. */
    public Access requireVisible(String appId) {
        if (!manages() && !assignedAppIds.contains(appId)) {
            throw new NotFoundException("Mini program");
        }
        return this;
    }
}
