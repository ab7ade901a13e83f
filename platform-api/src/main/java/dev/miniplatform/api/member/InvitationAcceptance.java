package dev.miniplatform.api.member;

import dev.miniplatform.api.access.ForbiddenException;
import dev.miniplatform.api.access.GoneException;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.identity.IdentitySync;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.member.Invitation;
import dev.miniplatform.model.member.InvitationRepository;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Accepting an invitation: the logged-in person must hold the invited address <em>and</em> Keycloak must have
 * verified it ({@code email_verified}), because anyone can type any address into their own account. Creates the
 * membership (and a developer's assignments) in PostgreSQL; joining the Keycloak organization and role group is
 * queued with it and performed after the commit.
 */
@Service
class InvitationAcceptance {

    private final TenantTransactions transactions;
    private final InvitationRepository invitations;
    private final MembershipRepository memberships;
    private final TenantRepository tenants;
    private final Assignments assignments;
    private final IdentitySync identity;
    private final AuditLog audit;
    private final Clock clock;

    InvitationAcceptance(TenantTransactions transactions, InvitationRepository invitations,
                         MembershipRepository memberships, TenantRepository tenants, Assignments assignments,
                         IdentitySync identity, AuditLog audit, Clock clock) {
        this.transactions = transactions;
        this.invitations = invitations;
        this.memberships = memberships;
        this.tenants = tenants;
        this.assignments = assignments;
        this.identity = identity;
        this.audit = audit;
        this.clock = clock;
    }

    public Mono<AcceptedInvitation> accept(AcceptInvitationRequest request) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            return Mono.error(InvalidInputException.of("token", "required", "the token from the invitation link"));
        }
        return accept(request.token());
    }

    public Mono<AcceptedInvitation> accept(String tokenValue) {
        Invitations.Token token = Invitations.parse(tokenValue).orElse(null);
        if (token == null) {
            return Mono.error(new NotFoundException("Invitation"));
        }
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new ForbiddenException("Log in to the console to accept an invitation.")))
                .flatMap(user -> transactions.inTransaction(accept(token, user))
                        .contextWrite(TenantContext.forTenant(token.tenantId(), user.userId())));
    }

    private Mono<AcceptedInvitation> accept(Invitations.Token token, ConsoleUser user) {
        return tenants.findById(token.tenantId())
                .filter(Tenant::isActive)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Invitation")))
                .then(invitations.findByTokenHash(token.hash()))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Invitation")))
                .flatMap(invitation -> checkUsable(invitation, user))
                .flatMap(invitation -> join(invitation, user));
    }

    private Mono<Invitation> checkUsable(Invitation invitation, ConsoleUser user) {
        Instant now = clock.instant();
        return switch (invitation.status()) {
            case ACCEPTED -> Mono.error(new ConflictException("This invitation has already been used."));
            case WITHDRAWN -> Mono.error(new GoneException("This invitation was withdrawn."));
            case PENDING -> invitation.isExpired(now) ? Mono.error(new GoneException("This invitation has expired; ask for a new one."))
                    : !sameAddress(invitation, user) ? Mono.error(new ForbiddenException("This invitation was sent to another email address."))
                    : !user.emailVerified() ? Mono.error(new ForbiddenException(
                            "Verify your email address in your account first, then log in again and accept the invitation."))
                    : Mono.just(invitation);
        };
    }

    private static boolean sameAddress(Invitation invitation, ConsoleUser user) {
        return user.email() != null && user.email().equalsIgnoreCase(invitation.email());
    }

    private Mono<AcceptedInvitation> join(Invitation invitation, ConsoleUser user) {
        Instant now = clock.instant();
        Membership membership = Membership.joined(invitation.tenantId(), user.userId(), invitation.role(),
                invitation.name(), invitation.email(), now);
        List<String> invited = invitation.role() == MemberRole.DEVELOPER ? invitation.miniProgramList() : List.of();
        return assignments.stillExisting(invited)
                .flatMap(appIds -> join(invitation, user, membership, appIds, now));
    }

    private Mono<AcceptedInvitation> join(Invitation invitation, ConsoleUser user, Membership membership,
                                          List<String> appIds, Instant now) {
        return memberships.findByTenantIdAndUserId(invitation.tenantId(), user.userId())
                .flatMap(existing -> Mono.<Membership>error(new ConflictException("You are already a member of this workspace.")))
                .switchIfEmpty(memberships.save(membership))
                .then(invitations.save(invitation.accepted(user.userId(), now)))
                .then(assignments.replace(invitation.tenantId(), user.userId(), appIds))
                .then(identity.memberChanged(invitation.tenantId(), user.userId()))
                .then(audit.record(invitation.tenantId(), user.actorId(), "invitation.accepted", "member", user.userId(),
                        null, Map.of("role", invitation.role(), "miniPrograms", appIds)))
                .thenReturn(new AcceptedInvitation(invitation.tenantId(), invitation.role(), appIds));
    }
}
