package dev.miniplatform.model.member;

import dev.miniplatform.model.VersionedEntity;
import dev.miniplatform.model.tenancy.MemberRole;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An invitation to join a tenant with a role. Only the SHA-256 of its secret is stored; the secret itself exists
 * only in the email. {@code miniPrograms} holds the app ids to assign to a developer, joined by commas.
 */
@Table("invitations")
public record Invitation(
        UUID tenantId,
        @Id UUID id,
        String name,
        String email,
        MemberRole role,
        String miniPrograms,
        String tokenHash,
        InvitationStatus status,
        String invitedBy,
        Instant createdAt,
        Instant expiresAt,
        String acceptedBy,
        Instant acceptedAt,
        @Version Long version) implements VersionedEntity<UUID> {

    /** Alipay+ invitation links are valid for three days. */
    public static final Duration VALIDITY = Duration.ofDays(3);

    public List<String> miniProgramList() {
        return miniPrograms.isEmpty() ? List.of() : Arrays.asList(miniPrograms.split(","));
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Invitation accepted(String userId, Instant now) {
        return new Invitation(tenantId, id, name, email, role, miniPrograms, tokenHash, InvitationStatus.ACCEPTED,
                invitedBy, createdAt, expiresAt, userId, now, version);
    }

    public Invitation withdrawn() {
        return new Invitation(tenantId, id, name, email, role, miniPrograms, tokenHash, InvitationStatus.WITHDRAWN,
                invitedBy, createdAt, expiresAt, acceptedBy, acceptedAt, version);
    }

    /** A resend issues a new secret and a fresh validity period; the old link stops working. */
    public Invitation resent(String newTokenHash, Instant now) {
        return new Invitation(tenantId, id, name, email, role, miniPrograms, newTokenHash, status, invitedBy,
                createdAt, now.plus(VALIDITY), acceptedBy, acceptedAt, version);
    }
}
