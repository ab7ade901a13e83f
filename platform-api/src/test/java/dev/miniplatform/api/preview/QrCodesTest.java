package dev.miniplatform.api.preview;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class QrCodesTest {

    private static final String LINK = "alipays://preview?appId=mp3i4vrueaiez7z6gnufip&preview=" + "x".repeat(43);

    private final QrCodes codes = new QrCodes(new PreviewProperties(Duration.ofHours(24), Duration.ofHours(2), 10, 20,
            false, Duration.ofMinutes(1), 320));

    @Test
    void thePngDecodesBackToTheLinkAndIsAtLeastTheConfiguredSize() throws Exception {
        QrCodes.Pictures pictures = codes.of(LINK);

        BufferedImage png = ImageIO.read(new ByteArrayInputStream(data(pictures.pngDataUrl(), "image/png")));
        assertThat(png.getWidth()).isGreaterThanOrEqualTo(320).isEqualTo(png.getHeight());
        int[] pixels = png.getRGB(0, 0, png.getWidth(), png.getHeight(), null, 0, png.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(png.getWidth(), png.getHeight(), pixels)))).getText();
        assertThat(decoded).isEqualTo(LINK);
    }

    @Test
    void theSvgIsWellFormedAndSquare() throws Exception {
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(data(codes.of(LINK).svgDataUrl(), "image/svg+xml")));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        String[] viewBox = svg.getDocumentElement().getAttribute("viewBox").split(" ");
        assertThat(viewBox[2]).isEqualTo(viewBox[3]);
        assertThat(svg.getElementsByTagName("path").getLength()).isEqualTo(1);
    }

    private static byte[] data(String url, String mediaType) {
        String prefix = "data:" + mediaType + ";base64,";
        assertThat(url).startsWith(prefix);
        return Base64.getDecoder().decode(url.substring(prefix.length()));
    }
}
