package dev.miniplatform.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Real zip files made in memory, for version uploads: valid ones, and the bombs a hostile member would send. */
public final class CodePackagesForTests {

    public static final String MANIFEST = "{\"pages\": [\"pages/index/index\"]}";

    private CodePackagesForTests() {
    }

    public static byte[] valid() {
        return zip(Map.of("app.json", MANIFEST, "pages/index/index.js", "Page({});"));
    }

    /**
     * A valid package of about {@code bytes} bytes that no other call makes: random bytes (seeded) stored next to the
     * manifest, which deflate cannot shrink, so the zip is as large as its content.
     */
    public static byte[] noise(int bytes, long seed) {
        byte[] noise = new byte[bytes];
        new Random(seed).nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 1024);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("app.json"));
            zip.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("assets/noise.bin"));
            zip.write(noise);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Entries in the order given. */
    public static byte[] zip(Map<String, String> files) {
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

    /** A valid manifest and one entry of {@code bytes} zeros: about a thousandth of that once deflated. */
    public static byte[] zeros(long bytes) {
        return streamed("zeros.bin", new byte[0], (byte) 0, bytes, new byte[0]);
    }

    /** An {@code app.json} of about {@code bytes} bytes of valid JSON: {@code {"pages": [...], "x": [0,0,0,...]}}. */
    public static byte[] hugeManifest(long bytes) {
        return streamed("app.json", "{\"pages\": [\"a\"], \"x\": [".getBytes(StandardCharsets.UTF_8), (byte) 0, bytes,
                "0]}".getBytes(StandardCharsets.UTF_8));
    }

    /** A valid manifest followed by {@code bytes} spaces, which JSON allows. */
    public static byte[] manifestOfSpaces(long bytes) {
        return streamed("app.json", MANIFEST.getBytes(StandardCharsets.UTF_8), (byte) ' ', bytes, new byte[0]);
    }

    /** A manifest whose ignored property nests {@code depth} arrays. */
    public static byte[] deepManifest(int depth) {
        return zip(Map.of("app.json", "{\"pages\": [\"a\"], \"x\": " + "[".repeat(depth) + "]".repeat(depth) + "}"));
    }

    /** A valid manifest and {@code entries - 1} empty files. */
    public static byte[] manyEntries(int entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app.json"));
            zip.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
            for (int i = 1; i < entries; i++) {
                zip.putNextEntry(new ZipEntry("f" + i));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The zip writer refuses some names (duplicates, NUL); patching the written bytes gets them in. */
    public static byte[] rename(byte[] zip, String from, String to) {
        byte[] copy = zip.clone();
        byte[] was = from.getBytes(StandardCharsets.UTF_8);
        byte[] now = to.getBytes(StandardCharsets.UTF_8);
        if (was.length != now.length) {
            throw new IllegalArgumentException("names must have the same length in bytes");
        }
        for (int i = 0; i + was.length <= copy.length; i++) {
            if (Arrays.equals(copy, i, i + was.length, was, 0, was.length)) {
                System.arraycopy(now, 0, copy, i, now.length);
            }
        }
        return copy;
    }

    /**
     * One big entry written a megabyte at a time (the fill byte, with 0 meaning "0," for JSON arrays), next to a
     * valid manifest unless the big entry is the manifest itself.
     */
    private static byte[] streamed(String name, byte[] head, byte fill, long bytes, byte[] tail) {
        byte[] chunk = new byte[1024 * 1024];
        if (fill == 0 && name.equals("app.json")) {
            for (int i = 0; i < chunk.length; i += 2) {
                chunk[i] = '0';
                chunk[i + 1] = ',';
            }
        } else {
            Arrays.fill(chunk, fill);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            if (!name.equals("app.json")) {
                zip.putNextEntry(new ZipEntry("app.json"));
                zip.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry(name));
            zip.write(head);
            for (long written = 0; written < bytes; written += chunk.length) {
                zip.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
            zip.write(tail);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
