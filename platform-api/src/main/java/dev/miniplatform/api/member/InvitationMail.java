package dev.miniplatform.api.member;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.ops.RequestIdFilter;
import dev.miniplatform.infra.effects.PendingEffects;
import dev.miniplatform.infra.mail.QueuedMail;
import dev.miniplatform.model.member.Invitation;
import dev.miniplatform.model.tenancy.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The invitation email. It is queued in the invitation's transaction and sent after the commit (retried while the
 * SMTP server refuses), so a rolled-back invitation sends nothing and a slow SMTP server holds no transaction open.
 * The token travels only in the link's fragment ({@code …/console/invitations#token=…}), which browsers never send
 * to a server, and in the body of the accept call — never in a path that reaches access logs.
 */
@Component
class InvitationMail {

    private static final Logger log = LoggerFactory.getLogger(InvitationMail.class);

    private final PendingEffects effects;
    private final WorkspaceProperties workspace;

    InvitationMail(PendingEffects effects, WorkspaceProperties workspace) {
        this.effects = effects;
        this.workspace = workspace;
    }

    /** Queues the mail; call inside the invitation's transaction. */
    Mono<Void> queue(Tenant tenant, Invitation invitation, Invitations.Token token) {
        String link = link(token);
        String subject = "You are invited to join %s on the Mini Program Platform".formatted(tenant.name());
        return effects.enqueue(QueuedMail.of(tenant.id(), workspace.mailFrom(), invitation.email(), subject,
                        text(invitation, tenant, link, token)))
                .then(RequestIdFilter.logged(() -> logQueued(invitation, link)));
    }

    String link(Invitations.Token token) {
        return workspace.consoleUrl() + "/console/invitations#token=" + token.value();
    }

    private void logQueued(Invitation invitation, String link) {
        if (workspace.logInvitationLinks()) {
            // dev runs only: the mail sits in the in-process SMTP server, so show the link where people look
            log.info("Invitation {} to {} queued for mailing; accept link: {}", invitation.id(), invitation.email(), link);
        } else {
            log.info("Invitation {} to {} queued for mailing", invitation.id(), invitation.email());
        }
    }

    private static String text(Invitation invitation, Tenant tenant, String link, Invitations.Token token) {
        return """
                Hello %s,

                you are invited to join "%s" on the Mini Program Platform as %s.

                Accept the invitation here (the link works once and expires on %s):
                %s

                Or accept it through the API while logged in with this email address (verified):
                POST /api/v1/invitations/accept
                {"token": "%s"}

                If you did not expect this email, ignore it.
                """.formatted(invitation.name(), tenant.name(), invitation.role(), invitation.expiresAt(), link, token.value());
    }
}
