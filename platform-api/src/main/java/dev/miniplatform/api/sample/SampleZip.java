package dev.miniplatform.api.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a sample's files so that the same files always give the same bytes, on every node and every build: entries
 * in name order, one fixed local timestamp (in the DOS range, so no time zone and no extra field), no directory entries,
 * no comment, and STORED rather than deflated, since deflate output may differ between zlib versions (the JDK's own
 * or the system's) and two nodes of one cluster would then list different SHA-256 for one sample version. A sample is
 * a few kilobytes: compression would save little.
 */
final class SampleZip {

    /**
     * A fixed local time well inside the DOS range. (1980-01-01 00:00 itself is the JDK's "before 1980" marker, for
     * which it adds an extended-timestamp field converted through the default time zone.)
     */
    static final LocalDateTime TIMESTAMP = LocalDateTime.of(2000, 1, 1, 0, 0);

    private SampleZip() {
    }

    static byte[] of(SortedMap<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(entry(file.getKey(), file.getValue()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static ZipEntry entry(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(TIMESTAMP);
        return entry;
    }
}
