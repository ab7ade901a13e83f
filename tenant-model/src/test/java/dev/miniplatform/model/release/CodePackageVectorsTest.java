package dev.miniplatform.model.release;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of {@code release/code-package-vectors.json}, which the developer CLI's local check runs too
 * ({@code cli/test/package.test.js}): a package the CLI passes is one the server passes, and a refusal carries the
 * same code on both sides. A rule changed here without the CLI (or the other way round) fails one of the two.
 */
class CodePackageVectorsTest {

    private static final JsonNode VECTORS = read();

    @TestFactory
    Stream<DynamicTest> everySharedCaseIsJudgedAsTheCliJudgesIt() {
        JsonNode limits = VECTORS.get("limits");
        CodePackageInspector inspector = new CodePackageInspector(new PackageLimits(
                limits.get("maxUncompressedBytes").asLong(), limits.get("maxEntries").asInt(),
                limits.get("maxEntryNameLength").asInt(), limits.get("maxManifestBytes").asInt(),
                limits.get("maxManifestDepth").asInt(), limits.get("maxManifestStringLength").asInt(),
                limits.get("maxManifestNumberLength").asInt()));
        return VECTORS.get("cases").valueStream().map(each -> DynamicTest.dynamicTest(each.get("name").asString(), () -> {
            byte[] zip = zip(each.get("files"));
            if (each.get("refusal").isNull()) {
                assertThat(inspector.inspect(new ByteArrayInputStream(zip)).entries()).isEqualTo(each.get("files").size());
            } else {
                assertRejected(() -> inspector.inspect(new ByteArrayInputStream(zip)), CodePackageInspector.FIELD,
                        each.get("refusal").asString());
            }
        }));
    }

    private static byte[] zip(JsonNode files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, JsonNode> file : files.properties()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().asString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static JsonNode read() {
        try (InputStream in = CodePackageVectorsTest.class.getResourceAsStream("/release/code-package-vectors.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
