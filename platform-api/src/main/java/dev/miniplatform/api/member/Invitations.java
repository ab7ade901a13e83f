package dev.miniplatform.api.member;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.validation.Validation;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Invitation tokens and roles. A token is {@code <tenant id>.<256 random bits>}: the tenant part lets the accept
 * call set the tenant for row-level security before looking anything up; only the token's SHA-256 is stored.
 */
final class Invitations {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Invitations() {
    }

    record Token(String value, UUID tenantId) {

        String hash() {
            return Sha256.hexOf(value);
        }
    }

    static Token newToken(UUID tenantId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new Token(tenantId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret), tenantId);
    }

    static Optional<Token> parse(String value) {
        int dot = value == null ? -1 : value.indexOf('.');
        if (dot < 0 || value.length() > 100) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Token(value, UUID.fromString(value.substring(0, dot))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Only MASTER and DEVELOPER can be given; a workspace has exactly one OWNER, its creator. */
    static MemberRole parseRole(String raw, String field, Validation validation) {
        if (raw == null || raw.isBlank()) {
            validation.reject(field, "required", "must be MASTER or DEVELOPER");
            return null;
        }
        if (!raw.equals(MemberRole.MASTER.name()) && !raw.equals(MemberRole.DEVELOPER.name())) {
            validation.reject(field, "enum", "must be MASTER or DEVELOPER");
            return null;
        }
        return MemberRole.valueOf(raw);
    }
}
