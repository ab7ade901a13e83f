package dev.miniplatform.api.preview;

import dev.miniplatform.model.hashing.Sha256;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A preview ticket: 256 bits from {@link SecureRandom}, base64url without padding (43 characters, URL-safe, so it
 * goes into a deep link and a path as it is). Only its SHA-256 is stored; a ticket is shown once, when issued.
 * Unguessable, so a plain (unsalted, fast) hash is enough to make a stolen table useless.
 */
record PreviewTicket(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    static PreviewTicket issue() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return new PreviewTicket(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    /** What the database keeps and looks tickets up by. */
    String hash() {
        return hashOf(value);
    }

    static String hashOf(String ticket) {
        return Sha256.hexOf(ticket);
    }

    /** Whether a presented string could be a ticket at all (anything else is not found without a query). */
    static boolean wellFormed(String presented) {
        return presented != null && SHAPE.matcher(presented).matches();
    }

    @Override
    public String toString() {
        return "PreviewTicket[…]"; // never in logs
    }
}
