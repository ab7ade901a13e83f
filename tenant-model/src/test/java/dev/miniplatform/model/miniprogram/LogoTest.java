package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogoTest {

    @ParameterizedTest
    @CsvSource({"png, image/png", "jpeg, image/jpeg"})
    void readsTypeAndSizeFromARealImage(String format, String contentType) {
        byte[] bytes = image(format, 64, 64);

        Logo logo = Logo.inspect(bytes);

        assertThat(logo.contentType()).isEqualTo(contentType);
        assertThat(logo.width()).isEqualTo(64);
        assertThat(logo.height()).isEqualTo(64);
        assertThat(logo.size()).isEqualTo(bytes.length);
    }

    @ParameterizedTest
    @CsvSource({"png, 64, 32", "jpeg, 64, 32", "png, 1, 2", "jpeg, 300, 299"})
    void rejectsImagesThatAreNotSquare(String format, int width, int height) {
        assertRejected(() -> Logo.inspect(image(format, width, height)), "logo", "aspect-ratio");
    }

    @Test
    void judgesTheBytesNotTheLabel() {
        // Uploaded as "logo.jpg" with Content-Type image/jpeg; neither is an input, so only the header can decide.
        byte[] pngUploadedAsJpeg = image("png", 48, 48);

        assertThat(Logo.inspect(pngUploadedAsJpeg).contentType()).isEqualTo("image/png");
    }

    @Test
    void fingerprintsTheBytesAsLowerCaseHex() throws Exception {
        byte[] bytes = image("png", 16, 16);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        assertThat(Logo.inspect(bytes).sha256()).isEqualTo(expected).matches("[0-9a-f]{64}");
    }

    @Test
    void findsTheFrameHeaderBehindHuffmanTablesInAProgressiveJpeg() {
        byte[] bytes = {
                (byte) 0xFF, (byte) 0xD8,                                   // SOI
                (byte) 0xFF, (byte) 0xE0, 0x00, 0x04, 0x4A, 0x46,           // APP0, 2 bytes of data
                (byte) 0xFF, (byte) 0xFF,                                   // a fill byte before the next marker
                (byte) 0xC4, 0x00, 0x09, 0x00, 0x20, 0x00, 0x20, 0, 0, 0,   // DHT, shaped like a frame header
                (byte) 0xFF, (byte) 0xC2, 0x00, 0x0B, 0x08,                 // SOF2, 8-bit precision
                0x00, 0x78, 0x00, 0x78, 0x01, 0x01, 0x11, 0x00,             // 120 x 120, one component
                (byte) 0xFF, (byte) 0xDA                                    // SOS
        };

        Logo logo = Logo.inspect(bytes);

        assertThat(logo.contentType()).isEqualTo("image/jpeg");
        assertThat(logo.width()).isEqualTo(120);
        assertThat(logo.height()).isEqualTo(120);
    }

    @ParameterizedTest
    @CsvSource({"png, 16", "png, 1024", "jpeg, 16", "jpeg, 1024"})
    void acceptsSidesFromSixteenToOneThousandTwentyFourPixels(String format, int side) {
        assertThat(Logo.inspect(image(format, side, side)).width()).isEqualTo(side);
    }

    @ParameterizedTest
    @CsvSource({"png, 15", "png, 1025", "jpeg, 15", "jpeg, 1025"})
    void rejectsSidesOutsideTheBounds(String format, int side) {
        assertRejected(() -> Logo.inspect(image(format, side, side)), "logo", "dimensions");
    }

    @Test
    void aHeaderClaimingAGiganticSquareIsNotASquareLogo() {
        byte[] png = image("png", 64, 64);
        byte[] claimsPng = Arrays.copyOf(png, png.length);
        writeInt32(claimsPng, 16, 65535);
        writeInt32(claimsPng, 20, 65535);
        byte[] jpeg = image("jpeg", 64, 64);
        byte[] claimsJpeg = Arrays.copyOf(jpeg, jpeg.length);
        int frame = startOfFrame(claimsJpeg);
        claimsJpeg[frame + 5] = claimsJpeg[frame + 6] = claimsJpeg[frame + 7] = claimsJpeg[frame + 8] = (byte) 0xFF;

        assertRejected(() -> Logo.inspect(claimsPng), "logo", "dimensions");
        assertRejected(() -> Logo.inspect(claimsJpeg), "logo", "dimensions");
    }

    @Test
    void rejectsAnImageWithoutPixels() {
        byte[] png = image("png", 8, 8);
        byte[] zeroWidth = Arrays.copyOf(png, png.length);
        Arrays.fill(zeroWidth, 16, 20, (byte) 0);

        assertRejected(() -> Logo.inspect(zeroWidth), "logo", "dimensions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp"})
    void rejectsOtherImageFormats(String format) {
        assertUnsupported(image(format, 64, 64));
    }

    @Test
    void rejectsWebp() {
        byte[] webp = "RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        assertUnsupported(webp);
    }

    @Test
    void rejectsTextAndRandomBytes() {
        assertUnsupported("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8));
        byte[] noise = new byte[1024];
        new Random(42).nextBytes(noise);
        noise[0] = 0x00;
        assertUnsupported(noise);
        assertUnsupported(new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 23})
    void rejectsATruncatedPngHeader(int length) {
        assertUnsupported(Arrays.copyOf(image("png", 64, 64), length));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 6, 20})
    void rejectsATruncatedJpegHeader(int length) {
        assertUnsupported(Arrays.copyOf(image("jpeg", 64, 64), length));
    }

    @Test
    void acceptsExactly256Kilobytes() {
        byte[] padded = Arrays.copyOf(image("png", 64, 64), Logo.MAX_BYTES);

        Logo logo = Logo.inspect(padded);

        assertThat(logo.size()).isEqualTo(262_144);
        assertThat(logo.contentType()).isEqualTo("image/png");
    }

    @Test
    void rejectsOneByteMore() {
        byte[] padded = Arrays.copyOf(image("png", 64, 64), Logo.MAX_BYTES + 1);

        assertThatThrownBy(() -> Logo.inspect(padded))
                .isInstanceOfSatisfying(LogoTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(262_145);
                    assertThat(e.getMessage()).contains("262145", "262144");
                });
    }

    @Test
    void reportsTheSizeBeforeTheFormat() {
        assertThatThrownBy(() -> Logo.inspect(new byte[Logo.MAX_BYTES + 1]))
                .isInstanceOf(LogoTooLargeException.class);
    }

    private static void writeInt32(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    /** The offset of the baseline frame marker (FF C0) that ImageIO writes. */
    private static int startOfFrame(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                return i;
            }
        }
        throw new IllegalStateException("no SOF0 in the test image");
    }

    private static void assertUnsupported(byte[] bytes) {
        assertThatThrownBy(() -> Logo.inspect(bytes))
                .isInstanceOf(UnsupportedLogoFormatException.class)
                .hasMessageStartingWith("logo must be a PNG or JPEG image");
    }

    /** RGB without alpha, because the JPEG writer refuses an alpha channel. */
    private static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xC0FFEE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
