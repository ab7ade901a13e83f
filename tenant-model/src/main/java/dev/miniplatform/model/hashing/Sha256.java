package dev.miniplatform.model.hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the platform's one hash: content addresses (logos, code packages), stored secrets (invitation tokens),
 * cache keys, ETags, idempotency keys, PKCE and gray buckets. Hex is lowercase, as stored and as served. Here, in
 * the lowest module, so that auth and the application use the same few lines; how a caller encodes the digest
 * beyond hex (Base64url for PKCE and ETags) stays with the caller, as part of its own format.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** A fresh digest, for content that arrives in parts; finish it with {@link #hexOf(MessageDigest)}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The 32 bytes of the hash. */
    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    /** The hash as 64 lowercase hex digits. */
    public static String hexOf(byte[] bytes) {
        return HEX.formatHex(of(bytes));
    }

    /** The hash of the text's UTF-8 bytes, as 64 lowercase hex digits. */
    public static String hexOf(String text) {
        return hexOf(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes {@code digest} (which is reset) and gives its hash as 64 lowercase hex digits. */
    public static String hexOf(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }
}
