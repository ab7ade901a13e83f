package dev.miniplatform.api.member;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.ForbiddenException;
import dev.miniplatform.api.access.GoneException;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.mail.Mailer;
import dev.miniplatform.infra.tenancy.TenantContext;
import dev.miniplatform.infra.tenancy.TenantTransactions;
import dev.miniplatform.model.member.Invitation;
import dev.miniplatform.model.member.InvitationRepository;
import dev.miniplatform.model.member.InvitationStatus;
import dev.miniplatform.model.miniprogram.ServiceEmail;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.tenancy.TenantRepository;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Invitations: an email with a single-use link valid three days; withdraw and resend; acceptance by the
 * logged-in invitee creates the membership in PostgreSQL and Keycloak.
 */
@Service
public class InvitationService {

    private static final Logger log = LoggerFactory.getLogger(InvitationService.class);

    private final TenantScope scope;
    private final TenantTransactions transactions;
    private final InvitationRepository invitations;
    private final MembershipRepository memberships;
    private final TenantRepository tenants;
    private final Assignments assignments;
    private final KeycloakAdmin keycloak;
    private final Mailer mailer;
    private final AuditLog audit;
    private final WorkspaceProperties workspace;
    private final Clock clock;

    InvitationService(TenantScope scope, TenantTransactions transactions, InvitationRepository invitations,
                      MembershipRepository memberships, TenantRepository tenants, Assignments assignments,
                      KeycloakAdmin keycloak, Mailer mailer, AuditLog audit, WorkspaceProperties workspace, Clock clock) {
        this.scope = scope;
        this.transactions = transactions;
        this.invitations = invitations;
        this.memberships = memberships;
        this.tenants = tenants;
        this.assignments = assignments;
        this.keycloak = keycloak;
        this.mailer = mailer;
        this.audit = audit;
        this.workspace = workspace;
        this.clock = clock;
    }

    public Mono<InvitationView> invite(String tenantId, InvitationRequest request) {
        return scope.run(tenantId, access -> validated(access.requireManager(), request)
                .flatMap(invitation -> create(access, invitation)));
    }

    public Mono<List<InvitationView>> list(String tenantId) {
        return scope.run(tenantId, access -> listAll(access.requireManager()));
    }

    private Mono<List<InvitationView>> listAll(Access access) {
        return invitations.findAllByOrderByCreatedAtDesc()
                .map(invitation -> InvitationView.of(invitation, clock.instant()))
                .collectList();
    }

    public Mono<Void> withdraw(String tenantId, String invitationId) {
        return scope.run(tenantId, access -> pending(access.requireManager(), invitationId)
                .flatMap(invitation -> invitations.save(invitation.withdrawn()))
                .flatMap(withdrawn -> audit.record(access.tenantId(), access.actor(), "invitation.withdrawn",
                        "invitation", withdrawn.id().toString(), null, Map.of("email", withdrawn.email()))));
    }

    public Mono<InvitationView> resend(String tenantId, String invitationId) {
        return scope.run(tenantId, access -> pending(access.requireManager(), invitationId)
                .flatMap(invitation -> reissue(access, invitation)));
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

    private Mono<Invitation> validated(Access access, InvitationRequest request) {
        Validation validation = new Validation();
        TenantName name = validation.attempt(() -> new TenantName(request.name()));
        ServiceEmail email = validation.attempt(() -> ServiceEmail.of("email", request.email()));
        MemberRole role = Invitations.parseRole(request.role(), "role", validation);
        List<String> appIds = request.miniPrograms() == null ? List.of() : request.miniPrograms();
        if (role == MemberRole.DEVELOPER && appIds.isEmpty()) {
            validation.reject("miniPrograms", "required", "a developer needs at least one mini program to work on");
        }
        if (role == MemberRole.MASTER && !appIds.isEmpty()) {
            validation.reject("miniPrograms", "not-applicable", "masters manage every mini program; leave this empty");
        }
        return assignments.checkExist(appIds, "miniPrograms", validation)
                .map(checked -> {
                    checked.throwIfInvalid();
                    Instant now = clock.instant();
                    return new Invitation(access.tenantId(), UUID.randomUUID(), name.value(), email.value(), role,
                            String.join(",", appIds), "", InvitationStatus.PENDING, access.user().userId(), now,
                            now.plus(Invitation.VALIDITY), null, null, null);
                });
    }

    private Mono<InvitationView> create(Access access, Invitation draft) {
        Invitations.Token token = Invitations.newToken(access.tenantId());
        Invitation invitation = draft.resent(token.hash(), draft.createdAt());
        return invitations.save(invitation)
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "invitation.sent", "invitation",
                                saved.id().toString(), null, Map.of("email", saved.email(), "role", saved.role(),
                                        "miniPrograms", saved.miniProgramList()))
                        .then(mail(access, saved, token))
                        .thenReturn(InvitationView.of(saved, clock.instant())));
    }

    private Mono<InvitationView> reissue(Access access, Invitation invitation) {
        Invitations.Token token = Invitations.newToken(access.tenantId());
        return invitations.save(invitation.resent(token.hash(), clock.instant()))
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "invitation.resent", "invitation",
                                saved.id().toString(), null, Map.of("email", saved.email()))
                        .then(mail(access, saved, token))
                        .thenReturn(InvitationView.of(saved, clock.instant())));
    }

    private Mono<Invitation> pending(Access access, String invitationId) {
        UUID id = TenantScope.parse(invitationId).orElse(null);
        Mono<Invitation> found = id == null ? Mono.empty() : invitations.findById(id);
        return found
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Invitation")))
                .filter(invitation -> invitation.status() == InvitationStatus.PENDING)
                .switchIfEmpty(Mono.error(() -> new ConflictException("Only a pending invitation can be withdrawn or resent.")));
    }

    /** The mail goes out inside the transaction: if it cannot be sent, the invitation is not kept either. */
    private Mono<Void> mail(Access access, Invitation invitation, Invitations.Token token) {
        String link = workspace.consoleUrl() + "/console/invitations/" + token.value();
        Tenant tenant = access.tenant();
        return mailer.send(workspace.mailFrom(), invitation.email(),
                        "You are invited to join %s on the Mini Program Platform".formatted(tenant.name()),
                        mailText(invitation, tenant, link, token))
                .doOnSuccess(sent -> logSent(invitation, link));
    }

    private void logSent(Invitation invitation, String link) {
        if (workspace.logInvitationLinks()) {
            // dev runs only: the mail sits in the in-process SMTP server, so show the link where people look
            log.info("Invitation {} mailed to {}; accept link: {}", invitation.id(), invitation.email(), link);
        } else {
            log.info("Invitation {} mailed to {}", invitation.id(), invitation.email());
        }
    }

    private static String mailText(Invitation invitation, Tenant tenant, String link, Invitations.Token token) {
        return """
                Hello %s,

                you are invited to join "%s" on the Mini Program Platform as %s.

                Accept the invitation here (the link works once and expires on %s):
                %s

                Or accept it through the API while logged in:
                POST /api/v1/invitations/%s/accept

                If you did not expect this email, ignore it.
                """.formatted(invitation.name(), tenant.name(), invitation.role(), invitation.expiresAt(), link, token.value());
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
                    : sameAddress(invitation, user) ? Mono.just(invitation)
                    : Mono.error(new ForbiddenException("This invitation was sent to another email address."));
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
                .then(tenants.findById(invitation.tenantId()))
                .flatMap(tenant -> keycloak.joinTenant(new TenantRealmEntry(tenant.organizationId(), tenant.groupId()),
                        user.userId(), invitation.role().name()))
                .then(audit.record(invitation.tenantId(), user.actorId(), "invitation.accepted", "member", user.userId(),
                        null, Map.of("role", invitation.role(), "miniPrograms", appIds)))
                .thenReturn(new AcceptedInvitation(invitation.tenantId(), invitation.role(), appIds));
    }
}
