package dev.miniplatform.api.console;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the platform serves the console: deep links get the app, files are files, the app learns where Keycloak
 * is, and what a browser loads first stays under 1 MB gzipped.
 */
class ConsoleServingIntegrationTest extends IntegrationTest {

    private static final Pattern ASSET = Pattern.compile("/console/(assets/[^\"]+)\"");

    @Test
    void everyConsolePathWithoutAFileExtensionIsTheAppWithItsSecurityHeaders() {
        for (String path : List.of("/console/", "/console/w/some-tenant/mini-programs/some-app", "/console/reviews")) {
            api.get().uri(path)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                            .contains("script-src 'self';", "frame-ancestors 'none'", "connect-src 'self' http://127.0.0.1:"))
                    .expectHeader().value("Cache-Control", cache -> assertThat(cache).contains("no-cache"))
                    .expectBody(String.class).value(html -> assertThat(html).contains("<div id=\"root\">"));
        }
        api.get().uri("/console")
                .exchange()
                .expectStatus().isEqualTo(301)
                .expectHeader().valueEquals("Location", "/console/");
        api.get().uri("/console/no-such-file.png")
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void assetsAreCachedForAYearAndTheConfigurationNamesKeycloak() {
        String html = api.get().uri("/console/").exchange().expectBody(String.class).returnResult().getResponseBody();
        Matcher asset = ASSET.matcher(html);
        assertThat(asset.find()).isTrue();
        api.get().uri("/console/" + asset.group(1))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().value("Cache-Control", cache -> assertThat(cache).contains("max-age=31536000", "immutable"));
        api.get().uri("/console/config.json")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.realm").isEqualTo("platform")
                .jsonPath("$.clientId").isEqualTo("platform-console")
                .jsonPath("$.keycloakUrl").value(url -> assertThat(url.toString()).startsWith("http://127.0.0.1:"));
    }

    @Test
    void theFirstLoadIsUnderOneMegabyteGzipped() throws IOException {
        Path console = new ClassPathResource("static/console/index.html").getFile().toPath().getParent();
        long gzipped;
        try (Stream<Path> files = Files.walk(console)) {
            gzipped = files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".js") || file.toString().endsWith(".css")
                            || file.toString().endsWith(".html"))
                    .mapToLong(ConsoleServingIntegrationTest::gzippedSize)
                    .sum();
        }
        System.out.printf("console first load: %,d bytes gzipped%n", gzipped);
        assertThat(gzipped).isLessThan(1024 * 1024);
    }

    private static long gzippedSize(Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                gzip.write(Files.readAllBytes(file));
            }
            return bytes.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
