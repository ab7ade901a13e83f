package dev.miniplatform.api.access;

import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.validation.NotFoundException;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.util.Set;
import java.util.UUID;

/**
 * What the caller may do in one tenant, as of this request: read from the database on every request, so a
 * role change, block or removal applies immediately, whatever the caller's token still says.
 *
 * @param assignedAppIds the mini programs a developer may see and change (empty for owners and masters)
 * @param delegation     set when an ISV application acts for the merchant (then {@code user} and
 *                       {@code membership} are null): who it is and what the merchant granted
 * @param key            set when a CI key of the workspace calls (then {@code user}, {@code membership} and
 *                       {@code delegation} are null, and {@code assignedAppIds} are the key's mini programs)
 */
public record Access(Tenant tenant, ConsoleUser user, Membership membership, Set<String> assignedAppIds,
                     Delegation delegation, KeyGrant key) {

    public Access(Tenant tenant, ConsoleUser user, Membership membership, Set<String> assignedAppIds) {
        this(tenant, user, membership, assignedAppIds, null, null);
    }

    public Access(Tenant tenant, Delegation delegation) {
        this(tenant, null, null, Set.of(), delegation, null);
    }

    public Access(Tenant tenant, KeyGrant key) {
        this(tenant, null, null, key.appIds(), null, key);
    }

    /**
     * An ISV acting for the merchant under an ACTIVE authorization.
     *
     * @param scopes the scopes both granted by the authorization and carried by the token
     */
    public record Delegation(UUID isvTenantId, String isvName, String clientId, UUID authorizationId,
                             Set<String> scopes) {
    }

    /**
     * A CI key in force, as read from the database on this request (not revoked, token issued after its last
     * rotation, called from an allowed address).
     *
     * @param appIds      the mini programs it may work on
     * @param allowSubmit whether it may also submit versions for review
     */
    public record KeyGrant(UUID keyId, UUID workspaceId, String clientId, String name, Set<String> appIds,
                           boolean allowSubmit) {

        /** Whether the key may do this at all (which mini program is {@link #requireVisible}'s matter). */
        public boolean permits(KeyAction action) {
            return action != null && (action != KeyAction.SUBMIT || allowSubmit);
        }

        /** The request's context with this grant in it: set by the filter that checked the key's standing. */
        public Context into(Context context) {
            return context.put(KeyGrant.class, this);
        }

        /** The grant the current request's key was admitted with, or empty (no key, or its standing unchecked). */
        public static Mono<KeyGrant> current() {
            return Mono.deferContextual(context -> Mono.justOrEmpty(context.<KeyGrant>getOrEmpty(KeyGrant.class)));
        }
    }

    public UUID tenantId() {
        return tenant.id();
    }

    /** Where the tenant lives in Keycloak. */
    public TenantRealmEntry realmEntry() {
        return new TenantRealmEntry(tenant.organizationId(), tenant.groupId());
    }

    public MemberRole role() {
        return membership == null ? null : membership.role();
    }

    /**
     * Who did it, for audit entries: a person ({@code user:<id>}), an ISV on behalf of this merchant
     * ({@code isv:<isv tenant> (<name>) on behalf of merchant <tenant>}), or a CI key ({@code ci-key:<id> (<name>)}).
     */
    public String actor() {
        if (key != null) {
            return "ci-key:%s (%s)".formatted(key.keyId(), key.name());
        }
        if (delegation != null) {
            return "isv:%s (%s) on behalf of merchant %s".formatted(delegation.isvTenantId(), delegation.isvName(),
                    tenant.id());
        }
        return user.actorId();
    }

    /** The id stored as creator/uploader: the person, the ISV's client for delegated work, or the CI key's client. */
    public String actingUserId() {
        if (key != null) {
            return "ci-key:" + key.clientId();
        }
        return delegation != null ? "isv:" + delegation.clientId() : user.userId();
    }

    /** Owners and masters manage everything in the tenant; an authorized ISV works on all its mini programs. */
    public boolean manages() {
        return delegation != null || role() == MemberRole.OWNER || role() == MemberRole.MASTER;
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
