package dev.miniplatform.api.preview;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import org.springframework.stereotype.Component;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * QR codes of deep links, made with ZXing: a PNG of at least {@code platform.preview.qr-pixels} square (whole pixels
 * per module, so it stays sharp) and an SVG of the same modules (one path, scales to any size). Error correction M,
 * the four-module quiet zone the standard asks for. A deep link of about 110 characters gives 53 modules: a PNG of
 * about 1 KB, an SVG of about 14 KB, a few milliseconds of CPU (mostly drawing the PNG), so callers run it off the
 * event loop.
 */
@Component
class QrCodes {

    private static final int QUIET_ZONE = 4;
    private static final Map<EncodeHintType, Object> HINTS = Map.of(
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN, QUIET_ZONE,
            EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());

    static {
        ImageIO.setUseCache(false); // in memory: no temporary files for a few kilobytes
    }

    private final int minPixels;

    QrCodes(PreviewProperties properties) {
        this.minPixels = properties.qrPixels();
    }

    /** Both pictures of one code, as data URLs (they are small, and the raw ticket they carry is never stored). */
    record Pictures(String pngDataUrl, String svgDataUrl) {
    }

    Pictures of(String text) {
        BitMatrix modules = modules(text);
        return new Pictures(
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png(modules)),
                "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg(modules).getBytes(StandardCharsets.UTF_8)));
    }

    /** One bit per module, quiet zone included. */
    private static BitMatrix modules(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, HINTS);
        } catch (WriterException e) {
            throw new IllegalArgumentException("Cannot encode a QR code of " + text.length() + " characters", e);
        }
    }

    private byte[] png(BitMatrix modules) {
        int size = modules.getWidth();
        int scale = Math.max(1, (minPixels + size - 1) / size);
        BufferedImage image = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < size * scale; y++) {
            for (int x = 0; x < size * scale; x++) {
                image.setRGB(x, y, modules.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String svg(BitMatrix modules) {
        int size = modules.getWidth();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (modules.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges">\
                <rect width="100%%" height="100%%" fill="#ffffff"/><path fill="#000000" d="%s"/></svg>
                """.formatted(size, size, size * 8, size * 8, path);
    }
}
