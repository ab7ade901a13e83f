package dev.miniplatform.api.member;

import dev.miniplatform.model.member.Invitation;
import dev.miniplatform.model.member.InvitationStatus;
import dev.miniplatform.model.tenancy.MemberRole;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invitation as owners and masters see it. {@code status} adds EXPIRED for a pending one past its validity.
 */
record InvitationView(UUID id, String name, String email, MemberRole role, List<String> miniPrograms,
                      String status, Instant createdAt, Instant expiresAt) {

    static InvitationView of(Invitation invitation, Instant now) {
        String status = invitation.status() == InvitationStatus.PENDING && invitation.isExpired(now) ? "EXPIRED"
                : invitation.status().name();
        return new InvitationView(invitation.id(), invitation.name(), invitation.email(), invitation.role(),
                invitation.miniProgramList(), status, invitation.createdAt(), invitation.expiresAt());
    }
}
