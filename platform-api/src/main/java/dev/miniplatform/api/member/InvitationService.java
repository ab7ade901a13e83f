package dev.miniplatform.api.member;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.model.member.Invitation;
import dev.miniplatform.model.member.InvitationRepository;
import dev.miniplatform.model.member.InvitationStatus;
import dev.miniplatform.model.miniprogram.ServiceEmail;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Invitations as the workspace's managers see them: invite (an email with a single-use link valid three days),
 * list, withdraw, resend. The mail is {@link InvitationMail}'s, acceptance is {@link InvitationAcceptance}'s.
 */
@Service
class InvitationService {

    private final TenantScope scope;
    private final InvitationRepository invitations;
    private final Assignments assignments;
    private final InvitationMail mail;
    private final AuditLog audit;
    private final Clock clock;

    InvitationService(TenantScope scope, InvitationRepository invitations, Assignments assignments,
                      InvitationMail mail, AuditLog audit, Clock clock) {
        this.scope = scope;
        this.invitations = invitations;
        this.assignments = assignments;
        this.mail = mail;
        this.audit = audit;
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
                        .then(mail.queue(access.tenant(), saved, token))
                        .thenReturn(InvitationView.of(saved, clock.instant())));
    }

    private Mono<InvitationView> reissue(Access access, Invitation invitation) {
        Invitations.Token token = Invitations.newToken(access.tenantId());
        return invitations.save(invitation.resent(token.hash(), clock.instant()))
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "invitation.resent", "invitation",
                                saved.id().toString(), null, Map.of("email", saved.email()))
                        .then(mail.queue(access.tenant(), saved, token))
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
}
