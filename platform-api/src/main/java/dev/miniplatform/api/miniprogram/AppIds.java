package dev.miniplatform.api.miniprogram;

import java.security.SecureRandom;

/**
 * Public mini program ids: "mp" and 20 base-32 characters from a CSPRNG (100 bits), so that they are stable,
 * URL-safe and cannot be enumerated from one another.
 */
final class AppIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AppIds() {
    }

    static String next() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder("mp");
        for (byte b : bytes) {
            id.append(ALPHABET[(b & 0xff) % ALPHABET.length]);
        }
        return id.toString();
    }
}
