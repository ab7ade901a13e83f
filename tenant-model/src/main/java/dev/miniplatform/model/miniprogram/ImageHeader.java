package dev.miniplatform.model.miniprogram;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads type and pixel size from the first bytes of a PNG or JPEG, without decoding the image.
 * <p>
 * Only headers are read, on purpose: a file name or a declared content type is whatever the client says, whereas
 * the header is what every viewer will act on. Not decoding keeps the check cheap and out of reach of
 * decompression bombs; whether the pixels themselves are intact is left to the store's own review.
 */
record ImageHeader(String contentType, int width, int height) {

    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);
    private static final int PNG_HEADER_LENGTH = 24;

    private static final int JPEG_MARKER_PREFIX = 0xFF;
    private static final int JPEG_SOI = 0xD8;
    private static final int JPEG_EOI = 0xD9;
    private static final int JPEG_SOS = 0xDA;
    private static final int JPEG_TEM = 0x01;
    private static final int JPEG_SOF_SEGMENT_LENGTH = 9;

    static ImageHeader read(byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return readPng(bytes);
        }
        if (isJpeg(bytes)) {
            return readJpeg(bytes);
        }
        throw new UnsupportedLogoFormatException("the data is neither a PNG nor a JPEG image");
    }

    /** The first chunk of a PNG must be IHDR, whose data opens with width and height as 4-byte integers. */
    private static ImageHeader readPng(byte[] bytes) {
        if (bytes.length < PNG_HEADER_LENGTH || !regionEquals(bytes, 12, IHDR)) {
            throw new UnsupportedLogoFormatException("the PNG header is truncated or malformed");
        }
        return new ImageHeader(PNG, int32(bytes, 16), int32(bytes, 20));
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 3
                && unsigned(bytes, 0) == JPEG_MARKER_PREFIX
                && unsigned(bytes, 1) == JPEG_SOI
                && unsigned(bytes, 2) == JPEG_MARKER_PREFIX;
    }

    /**
     * Walks the marker segments up to the first start-of-frame, which holds the size. Segments before it (JFIF and
     * Exif data, quantization and Huffman tables) vary in number and length, so no fixed offset would do.
     */
    private static ImageHeader readJpeg(byte[] bytes) {
        int position = 2;
        while (position < bytes.length) {
            if (unsigned(bytes, position) != JPEG_MARKER_PREFIX) {
                throw malformedJpeg();
            }
            int markerAt = position;
            while (markerAt + 1 < bytes.length && unsigned(bytes, markerAt + 1) == JPEG_MARKER_PREFIX) {
                markerAt++; // fill bytes may pad before a marker
            }
            if (markerAt + 1 >= bytes.length) {
                break;
            }
            int marker = unsigned(bytes, markerAt + 1);
            if (isStartOfFrame(marker)) {
                return readStartOfFrame(bytes, markerAt);
            }
            if (marker == JPEG_SOS || marker == JPEG_EOI) {
                throw new UnsupportedLogoFormatException("the JPEG has no frame header before its image data");
            }
            position = isStandalone(marker) ? markerAt + 2 : nextSegment(bytes, markerAt);
        }
        throw malformedJpeg();
    }

    /** SOF0 to SOF15, except the three markers in that range that are not frames: DHT, JPG and DAC. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Markers without a length field: TEM and the restart markers RST0 to RST7. */
    private static boolean isStandalone(int marker) {
        return marker == JPEG_TEM || (marker >= 0xD0 && marker <= 0xD7);
    }

    /** The length field counts itself but not the two marker bytes. */
    private static int nextSegment(byte[] bytes, int markerAt) {
        if (markerAt + 4 > bytes.length) {
            throw malformedJpeg();
        }
        int length = uint16(bytes, markerAt + 2);
        if (length < 2) {
            throw malformedJpeg();
        }
        return markerAt + 2 + length;
    }

    /** Frame header: marker (2), length (2), precision (1), height (2), width (2). */
    private static ImageHeader readStartOfFrame(byte[] bytes, int markerAt) {
        if (markerAt + JPEG_SOF_SEGMENT_LENGTH > bytes.length) {
            throw malformedJpeg();
        }
        return new ImageHeader(JPEG, uint16(bytes, markerAt + 7), uint16(bytes, markerAt + 5));
    }

    private static UnsupportedLogoFormatException malformedJpeg() {
        return new UnsupportedLogoFormatException("the JPEG header is truncated or malformed");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && regionEquals(bytes, 0, prefix);
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        return Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length);
    }

    private static int unsigned(byte[] bytes, int offset) {
        return bytes[offset] & 0xFF;
    }

    private static int uint16(byte[] bytes, int offset) {
        return unsigned(bytes, offset) << 8 | unsigned(bytes, offset + 1);
    }

    /** Big-endian; a value above 2^31 - 1 (forbidden by the PNG spec) comes out negative and fails as dimensions. */
    private static int int32(byte[] bytes, int offset) {
        return uint16(bytes, offset) << 16 | uint16(bytes, offset + 2);
    }
}
