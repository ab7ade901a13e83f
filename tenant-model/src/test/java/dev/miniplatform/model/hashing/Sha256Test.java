package dev.miniplatform.model.hashing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/** The FIPS 180-2 test vectors: every form gives the same, lowercase, hash. */
class Sha256Test {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void hashesBytesAndTextToLowercaseHex() {
        assertThat(Sha256.hexOf("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(Sha256.hexOf("abc")).isEqualTo(ABC);
        assertThat(Sha256.hexOf(new byte[0])).isEqualTo(EMPTY);
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII))).hasSize(32).startsWith(0xba, 0x78);
    }

    @Test
    void hashesTextAsUtf8() {
        assertThat(Sha256.hexOf("西湖")).isEqualTo(Sha256.hexOf("西湖".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(Sha256.hexOf("西湖".getBytes(StandardCharsets.UTF_16)));
    }

    @Test
    void aDigestFedInPartsGivesTheHashOfTheWhole() {
        MessageDigest digest = Sha256.newDigest();
        digest.update((byte) 'a');
        digest.update("bc".getBytes(StandardCharsets.US_ASCII));

        assertThat(Sha256.hexOf(digest)).isEqualTo(ABC);
        assertThat(Sha256.hexOf(digest)).as("the digest was reset").isEqualTo(EMPTY);
    }
}
