package dev.miniplatform.api.member;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.ForbiddenException;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.identity.IdentitySync;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.MembershipStatus;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Members of a workspace. Changes are written to PostgreSQL, which every request checks, and mirrored to the
 * tenant's Keycloak role groups, which the next token carries: the mirroring is queued in the same transaction and
 * performed after the commit ({@link IdentitySync}), so Keycloak being slow or down never holds a transaction open. Owner and masters manage members; nobody changes
 * or removes the owner here (ownership transfer is a separate, owner-only operation, not offered yet).
 */
@Service
class MemberService {

    private final TenantScope scope;
    private final MembershipRepository memberships;
    private final Assignments assignments;
    private final IdentitySync identity;
    private final AuditLog audit;

    MemberService(TenantScope scope, MembershipRepository memberships, Assignments assignments,
                  IdentitySync identity, AuditLog audit) {
        this.scope = scope;
        this.memberships = memberships;
        this.assignments = assignments;
        this.identity = identity;
        this.audit = audit;
    }

    public Mono<List<MemberView>> list(String tenantId) {
        return scope.run(tenantId, access -> listAll(access.requireManager()));
    }

    public Mono<MemberView> change(String tenantId, String userId, MemberPatch patch) {
        return scope.run(tenantId, access -> target(access.requireManager(), userId)
                .flatMap(member -> change(access, member, patch)));
    }

    public Mono<Void> remove(String tenantId, String userId) {
        return scope.run(tenantId, access -> target(access.requireManager(), userId)
                .flatMap(member -> remove(access, member)));
    }

    private Mono<List<MemberView>> listAll(Access access) {
        return assignments.all()
                .flatMap(byUser -> memberships.findAllByOrderByCreatedAtAsc()
                        .map(member -> MemberView.of(member, byUser.getOrDefault(member.userId(), List.of())))
                        .collectList());
    }

    private Mono<Membership> target(Access access, String userId) {
        return memberships.findByTenantIdAndUserId(access.tenantId(), userId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Member")))
                .filter(member -> member.role() != MemberRole.OWNER)
                .switchIfEmpty(Mono.error(() -> new ForbiddenException("The owner's membership cannot be changed or removed.")));
    }

    private Mono<MemberView> change(Access access, Membership member, MemberPatch patch) {
        return assignments.of(member.userId())
                .flatMap(current -> change(access, member, patch, current));
    }

    /** Validates the whole patch against the member's current assignments, then applies it. */
    private Mono<MemberView> change(Access access, Membership member, MemberPatch patch, List<String> current) {
        Validation validation = new Validation();
        if (patch.role() == null && patch.status() == null && patch.miniPrograms() == null) {
            validation.reject("", "empty", "give at least one of role, status, miniPrograms");
        }
        MemberRole role = patch.role() == null ? member.role() : Invitations.parseRole(patch.role(), "role", validation);
        MembershipStatus status = patch.status() == null ? member.status() : parseStatus(patch.status(), validation);
        List<String> appIds = patch.miniPrograms() == null ? current : patch.miniPrograms();
        if (role == MemberRole.DEVELOPER && appIds.isEmpty()) {
            validation.reject("miniPrograms", "required", "a developer needs at least one mini program");
        }
        if (role == MemberRole.MASTER && !appIds.isEmpty() && patch.miniPrograms() != null) {
            validation.reject("miniPrograms", "not-applicable", "masters manage every mini program");
        }
        List<String> assigned = role == MemberRole.DEVELOPER ? appIds : List.of();
        return assignments.checkExist(appIds, "miniPrograms", validation)
                .doOnNext(Validation::throwIfInvalid)
                .then(Mono.defer(() -> apply(access, member, role, status, assigned, current)));
    }

    private Mono<MemberView> apply(Access access, Membership member, MemberRole role, MembershipStatus status,
                                   List<String> appIds, List<String> before) {
        Membership changed = member.withRole(role).withStatus(status);
        return memberships.save(changed)
                .flatMap(saved -> assignments.replace(access.tenantId(), saved.userId(), appIds).thenReturn(saved))
                .flatMap(saved -> syncKeycloak(access, member, saved).thenReturn(MemberView.of(saved, appIds)))
                .flatMap(view -> audit.record(access.tenantId(), access.actor(), "member.changed", "member",
                        member.userId(), summary(member, before), summary(changed, appIds)).thenReturn(view));
    }

    /** Keycloak holds role groups and organization membership; assignments live only in the database. */
    private Mono<Void> syncKeycloak(Access access, Membership before, Membership after) {
        if (before.role() == after.role() && before.status() == after.status()) {
            return Mono.empty();
        }
        return identity.memberChanged(access.tenantId(), after.userId());
    }

    private Mono<Void> remove(Access access, Membership member) {
        return assignments.of(member.userId())
                .flatMap(before -> memberships.delete(member)
                        .then(identity.memberChanged(access.tenantId(), member.userId()))
                        .then(audit.record(access.tenantId(), access.actor(), "member.removed", "member",
                                member.userId(), summary(member, before), null)));
    }

    private static MembershipStatus parseStatus(String raw, Validation validation) {
        try {
            return MembershipStatus.valueOf(raw);
        } catch (IllegalArgumentException e) {
            validation.reject("status", "enum", "must be ACTIVE or BLOCKED");
            return null;
        }
    }

    private static Map<String, Object> summary(Membership member, List<String> appIds) {
        return Map.of("role", member.role(), "status", member.status(), "miniPrograms", appIds);
    }
}
