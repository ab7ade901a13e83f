package dev.miniplatform.model.release;

import dev.miniplatform.model.hashing.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decides which wallet users see a grayscale release. A user's bucket (0 to 99) is a pure function of the mini
 * program, the version and the user: SHA-256 over the UTF-8 bytes of {@code appId + "\n" + version + "\n" +
 * walletUserId}, the first 8 bytes read as a big-endian long, taken unsigned modulo 100. A user is in gray when
 * the bucket is below the percentage.
 * <p>
 * Why this shape:
 * <ul>
 *   <li>No state and no randomness, so every node, every restart and every JVM (and any other language that
 *       implements the same three steps) puts a user in the same bucket: a user does not flip between versions
 *       from one request to the next.</li>
 *   <li>Monotone: raising the percentage only adds users, it never moves one back to the old version, because
 *       {@code bucket < p} implies {@code bucket < p + k}.</li>
 *   <li>The version is hashed in, so each release draws a fresh, independent sample: the same unlucky users are
 *       not the guinea pigs of every release.</li>
 *   <li>SHA-256 rather than {@link String#hashCode()}: well spread, and fixed by specification rather than by an
 *       implementation. The modulo bias of 2<sup>64</sup> mod 100 is negligible.</li>
 * </ul>
 */
public final class GrayBucket {

    public static final int BUCKETS = 100;

    private GrayBucket() {
    }

    /** The user's bucket for this version of this mini program, 0 to 99. */
    public static int of(String appId, String version, String walletUserId) {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(walletUserId, "walletUserId");
        byte[] digest = Sha256.of((appId + "\n" + version + "\n" + walletUserId).getBytes(StandardCharsets.UTF_8));
        long value = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        return (int) Long.remainderUnsigned(value, BUCKETS);
    }

    /** Whether the user sees the version at {@code percent} % gray: 0 reaches nobody, 100 everybody. */
    public static boolean inGray(int percent, String appId, String version, String walletUserId) {
        return of(appId, version, walletUserId) < percent;
    }
}
