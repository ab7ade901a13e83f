package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodePackageInspectorTest {

    private static final String MANIFEST = "{\"pages\": [\"pages/index/index\"]}";
    private static final PackageLimits LIMITS = new PackageLimits(1_000_000, 20, 100, 10_000, 8, 1000, 20);

    private final CodePackageInspector inspector = new CodePackageInspector(LIMITS);

    @Test
    void countsEntriesAndInflatedBytesOfAValidPackage() {
        CodePackageInspector.Contents contents = inspect(zip(Map.of("app.json", MANIFEST, "pages/", "",
                "pages/index/index.js", "Page({});")));

        assertThat(contents.entries()).isEqualTo(3);
        assertThat(contents.uncompressedBytes()).isEqualTo(MANIFEST.length() + "Page({});".length());
    }

    @Test
    void refusesWhatIsNotAZip() {
        assertRefused("not a zip".getBytes(StandardCharsets.UTF_8), "not-zip");
        assertRefused(new byte[0], "not-zip");
        assertRefused(zip(Map.of()), "not-zip");
    }

    @Test
    void refusesATruncatedZip() {
        byte[] whole = zip(Map.of("app.json", MANIFEST, "big.js", "x".repeat(5000)));
        assertRefused(Arrays.copyOf(whole, whole.length / 2), "not-zip");
    }

    @Test
    void refusesAPackageThatInflatesBeyondTheLimitWhateverItsHeadersSay() {
        // 1.5 MB of zeros deflate to about 1.5 KB; the limit is 1 MB of inflated bytes
        byte[] bomb = zip(Map.of("app.json", MANIFEST, "zeros.bin", "\0".repeat(1_500_000)));
        assertThat(bomb.length).isLessThan(10_000);

        assertRefused(bomb, "zip-bomb");
        assertRefused(lieAboutSizes(bomb), "zip-bomb");
    }

    @Test
    void countsAllEntriesTogetherAgainstTheInflatedLimit() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app.json", MANIFEST);
        for (int i = 0; i < 5; i++) {
            files.put("part" + i + ".bin", "\0".repeat(250_000));
        }
        assertRefused(zip(files), "zip-bomb");
    }

    @Test
    void refusesMoreEntriesThanTheLimit() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app.json", MANIFEST);
        for (int i = 1; i < 20; i++) {
            files.put("f" + i + ".js", "");
        }
        assertThat(inspect(zip(files)).entries()).isEqualTo(20);

        files.put("one-too-many.js", "");
        assertRefused(zip(files), "too-many-entries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/abs/path.js", "a\\b.js", "C:/x.js", "pages/../../x.js"})
    void refusesEntriesThatEscapeThePackage(String name) {
        assertRefused(zip(Map.of("app.json", MANIFEST, name, "x")), "entry-name");
    }

    @Test
    void refusesANulInAnEntryName() {
        byte[] bytes = rename(zip(Map.of("app.json", MANIFEST, "aXb.js", "x")), "aXb.js", "a\0b.js");
        assertRefused(bytes, "entry-name");
    }

    @Test
    void refusesAnEntryNameThatIsNotUtf8() {
        byte[] bytes = zip(Map.of("app.json", MANIFEST, "ab.js", "x"));
        byte[] name = "ab.js".getBytes(StandardCharsets.US_ASCII);
        replaceAll(bytes, name, new byte[]{(byte) 0xC3, (byte) 0x28, '.', 'j', 's'});
        // the JDK reports the undecodable name either way, depending on the release: both refuse the package
        assertThatThrownBy(() -> inspect(bytes)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("package");
                    assertThat(error.code()).isIn("entry-name", "not-zip");
                }));
    }

    @Test
    void refusesTwoManifests() {
        byte[] bytes = rename(zip(Map.of("app.json", MANIFEST, "app.jsoX", MANIFEST)), "app.jsoX", "app.json");
        assertRefused(bytes, "manifest-duplicate");
    }

    @Test
    void refusesDuplicateNames() {
        byte[] bytes = rename(zip(Map.of("app.json", MANIFEST, "a.js", "1", "b.js", "2")), "b.js", "a.js");
        assertRefused(bytes, "duplicate-entry");
    }

    @Test
    void requiresTheManifestAtTheRoot() {
        assertRefused(zip(Map.of("pages/app.json", MANIFEST)), "manifest-missing");
        assertRefused(zip(Map.of("app.json/", "")), "manifest-missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"pages\"", "{}", "{\"pages\": []}", "{\"pages\": \"index\"}", "{\"pages\": [1]}",
            "{\"pages\": [\" \"]}", "{\"pages\": [{}]}", "null"})
    void requiresAnObjectWithANonEmptyPagesArrayOfPaths(String manifest) {
        assertRefused(zip(Map.of("app.json", manifest)), "manifest-pages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"pages\": [\"a\"]", "{\"pages\": [\"a\"]} {}", "{\"pages\": [\"a\"], \"pages\": [\"b\"]}",
            "{pages: [\"a\"]}"})
    void requiresOneWellFormedJsonObjectWithoutDuplicateKeys(String manifest) {
        assertRefused(zip(Map.of("app.json", manifest)), "manifest-json");
    }

    @Test
    void acceptsOtherPropertiesOfAnyShapeWithinTheLimits() {
        String manifest = "{\"window\": {\"title\": \"Tea\", \"colors\": [1, 2.5, true, null]}, \"pages\": [\"a\", \"b\"]}";
        assertThat(inspect(zip(Map.of("app.json", manifest))).entries()).isEqualTo(1);
    }

    @Test
    void refusesAManifestLargerThanItsLimitEvenIfItIsOnlyWhitespace() {
        assertRefused(zip(Map.of("app.json", MANIFEST + " ".repeat(10_000))), "manifest-too-large");
        assertRefused(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": [" + "0,".repeat(6000) + "0]}")), "manifest-too-large");
    }

    @Test
    void refusesDeepNestingLongStringsAndLongNumbers() {
        assertThat(inspect(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": " + "[".repeat(7) + "]".repeat(7) + "}"))).entries())
                .isEqualTo(1);
        assertRefused(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": " + "[".repeat(8) + "]".repeat(8) + "}")), "manifest-limits");
        assertRefused(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": \"" + "s".repeat(1001) + "\"}")), "manifest-limits");
        assertRefused(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"" + "k".repeat(1001) + "\": 1}")), "manifest-limits");
        assertRefused(zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": " + "9".repeat(21) + "}")), "manifest-limits");
    }

    @Test
    void refusesDeepNestingEvenBeforeThePagesArray() {
        String deep = "{\"x\": " + "[".repeat(5000) + "]".repeat(5000) + ", \"pages\": [\"a\"]}";
        assertRefused(zip(Map.of("app.json", deep)), "manifest-limits");
    }

    @Test
    void leavesTheCallersStreamOpen() {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(zip(Map.of("app.json", MANIFEST))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        inspector.inspect(in);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void aStagedFileIsCheckedAgainstItsCentralDirectory(@TempDir Path dir) throws IOException {
        byte[] valid = zip(Map.of("app.json", MANIFEST, "pages/", "", "evil.js", "x"));
        assertThat(inspector.inspect(write(dir, "valid.zip", valid)).entries()).isEqualTo(3);

        // unzip tools read names from the central directory, a stream reader from the local headers
        byte[] twoFaced = renameLast(valid, "evil.js", "../e.js");
        assertRejected(() -> inspector.inspect(write(dir, "two-faced.zip", twoFaced)), "package", "inconsistent");
        byte[] listedTwice = renameLast(zip(Map.of("app.json", MANIFEST, "a.js", "1", "b.js", "2")), "b.js", "a.js");
        assertRejected(() -> inspector.inspect(write(dir, "listed-twice.zip", listedTwice)), "package", "inconsistent");
    }

    @Test
    void aStagedFileWithoutItsEndRecordIsNotAZip(@TempDir Path dir) throws IOException {
        byte[] valid = zip(Map.of("app.json", MANIFEST));
        assertRejected(() -> inspector.inspect(write(dir, "cut.zip", Arrays.copyOf(valid, valid.length - 10))), "package", "not-zip");
    }

    @Test
    void aZipCommentIsAllowed(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setComment("built by the tea house CI");
            zip.putNextEntry(new ZipEntry("app.json"));
            zip.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(inspector.inspect(write(dir, "comment.zip", bytes.toByteArray())).entries()).isEqualTo(1);
    }

    @Test
    void rejectsLimitsBelowOne() {
        assertThatThrownBy(() -> new PackageLimits(0, 1, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private CodePackageInspector.Contents inspect(byte[] zip) {
        return inspector.inspect(new ByteArrayInputStream(zip));
    }

    private void assertRefused(byte[] zip, String code) {
        assertRejected(() -> inspect(zip), "package", code);
        assertThatThrownBy(() -> inspect(zip)).isInstanceOf(InvalidInputException.class);
    }

    static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : new LinkedHashMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The zip writer refuses some names (duplicates, NUL); patching the written bytes gets them in. */
    private static byte[] rename(byte[] zip, String from, String to) {
        byte[] copy = zip.clone();
        replaceAll(copy, from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Renames only the last occurrence, which is the central directory's. */
    private static byte[] renameLast(byte[] zip, String from, String to) {
        byte[] copy = zip.clone();
        byte[] was = from.getBytes(StandardCharsets.UTF_8);
        for (int i = copy.length - was.length; i >= 0; i--) {
            if (Arrays.equals(copy, i, i + was.length, was, 0, was.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.UTF_8), 0, copy, i, was.length);
                return copy;
            }
        }
        throw new IllegalArgumentException(from + " is not in the zip");
    }

    private static void replaceAll(byte[] bytes, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
            }
        }
    }

    /**
     * Sets the sizes in the bomb's data descriptor (where the zip writer records them) to 1, so a reader
     * trusting them would think the entry tiny; the inflated count stops it before the mismatch is even seen.
     */
    private static byte[] lieAboutSizes(byte[] zip) {
        byte[] copy = zip.clone();
        int descriptors = 0;
        for (int i = 0; i + 30 <= copy.length; i++) {
            // the first descriptor is the manifest's, which has to stay readable for the bomb to be reached
            if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 7 && copy[i + 3] == 8 && descriptors++ > 0) {
                writeInt(copy, i + 8, 1);
                writeInt(copy, i + 12, 1);
            }
        }
        return copy;
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
        bytes[at + 2] = (byte) (value >>> 16);
        bytes[at + 3] = (byte) (value >>> 24);
    }
}
