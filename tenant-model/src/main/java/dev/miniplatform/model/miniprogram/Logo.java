package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.validation.InvalidInputException;
import java.util.Objects;

/**
 * The mini program's icon as uploaded: a square PNG or JPEG of at most 256 KB, as Alipay+ requires.
 * <p>
 * {@link #inspect(byte[])} judges the bytes alone, never a file name or declared content type, since those are
 * only the client's claim. Its failures come as distinct exceptions so that the web layer can answer with the
 * status a client can act on: {@link LogoTooLargeException} (413), {@link UnsupportedLogoFormatException} (415),
 * and {@code InvalidInputException} on the field {@value #FIELD} (400) for an image of the wrong shape.
 * <p>
 * The SHA-256 lets storage deduplicate uploads and lets a release pin exactly the image that was reviewed.
 * <p>
 * Sides are bounded to {@value #MIN_SIDE}..{@value #MAX_SIDE} pixels. The header is what every decoder sizes its
 * pixel buffer by, so a 65535 x 65535 header (a few bytes in a 256 KB file) would make each wallet that shows the
 * icon allocate 16 GB; at {@value #MAX_SIDE} pixels a decoded logo is at most 4 MB, five times the largest size a
 * store shows an icon at. The platform itself never decodes the pixels (see {@link ImageHeader}).
 */
public record Logo(String contentType, int width, int height, int size, String sha256) {

    public static final String FIELD = "logo";
    public static final int MAX_BYTES = 256 * 1024;
    public static final int MIN_SIDE = 16;
    public static final int MAX_SIDE = 1024;

    public Logo {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        if (size > MAX_BYTES) {
            throw new LogoTooLargeException(size);
        }
        if (width <= 0 || height <= 0) {
            throw InvalidInputException.of(FIELD, "dimensions", "must have a width and height of at least 1 pixel");
        }
        if (width != height) {
            throw InvalidInputException.of(FIELD, "aspect-ratio",
                    "must be square, but is %d x %d pixels".formatted(width, height));
        }
        if (width < MIN_SIDE || width > MAX_SIDE) {
            throw InvalidInputException.of(FIELD, "dimensions", "must be between %d x %d and %d x %d pixels, but is %d x %d"
                    .formatted(MIN_SIDE, MIN_SIDE, MAX_SIDE, MAX_SIDE, width, height));
        }
    }

    /** The size is checked first: a client sending too much should learn that before anything else. */
    public static Logo inspect(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            throw new LogoTooLargeException(bytes.length);
        }
        ImageHeader header = ImageHeader.read(bytes);
        return new Logo(header.contentType(), header.width(), header.height(), bytes.length, Sha256.hexOf(bytes));
    }
}
