package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry names a zip's central directory lists, read as a stream with a bounded count. Unzip tools and most
 * wallets go by the central directory, while a stream reader goes by the local headers; a crafted zip can make
 * the two disagree (a harmless name in one, {@code ../x} in the other), so the inspector requires them to match.
 * Only the classic end record is read: a package with at most a few thousand entries and 20 MB never needs ZIP64.
 */
final class CentralDirectory {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int END_RECORD_BYTES = 22;
    private static final int MAX_COMMENT_BYTES = 0xFFFF;
    private static final int ENTRY_HEADER_BYTES = 46;

    private CentralDirectory() {
    }

    static List<String> names(SeekableByteChannel zip, int maxEntries) throws IOException {
        ByteBuffer end = endRecord(zip);
        int entries = Short.toUnsignedInt(end.getShort(10));
        long size = Integer.toUnsignedLong(end.getInt(12));
        long offset = Integer.toUnsignedLong(end.getInt(16));
        if (entries == 0xFFFF || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL) {
            throw inconsistent("the zip uses ZIP64 records, which a package of this size never needs");
        }
        if (entries > maxEntries) {
            throw InvalidInputException.of(CodePackageInspector.FIELD, "too-many-entries",
                    "the zip's central directory lists more than %d entries".formatted(maxEntries));
        }
        if (offset + size > zip.size()) {
            throw inconsistent("the zip's central directory lies outside the file");
        }
        zip.position(offset);
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(zip)));
        List<String> names = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            names.add(entry(in));
        }
        return names;
    }

    private static String entry(DataInputStream in) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(in.readNBytes(ENTRY_HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        if (header.limit() < ENTRY_HEADER_BYTES || header.getInt(0) != ENTRY_SIGNATURE) {
            throw inconsistent("the zip's central directory is truncated or corrupt");
        }
        int nameLength = Short.toUnsignedInt(header.getShort(28));
        int extraLength = Short.toUnsignedInt(header.getShort(30));
        int commentLength = Short.toUnsignedInt(header.getShort(32));
        byte[] name = in.readNBytes(nameLength);
        if (name.length < nameLength) {
            throw new EOFException();
        }
        in.skipNBytes(extraLength + commentLength);
        return decode(name);
    }

    private static String decode(byte[] name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name))
                    .toString();
        } catch (CharacterCodingException e) {
            throw InvalidInputException.of(CodePackageInspector.FIELD, "entry-name", "an entry name is not valid UTF-8");
        }
    }

    /** The end record is the last thing in the file, followed only by a comment of up to 65,535 bytes. */
    private static ByteBuffer endRecord(SeekableByteChannel zip) throws IOException {
        long size = zip.size();
        int tail = (int) Math.min(size, END_RECORD_BYTES + MAX_COMMENT_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        zip.position(size - tail);
        while (buffer.hasRemaining() && zip.read(buffer) >= 0) {
            // read the whole tail
        }
        for (int at = tail - END_RECORD_BYTES; at >= 0; at--) {
            if (buffer.getInt(at) == END_SIGNATURE && at + END_RECORD_BYTES + Short.toUnsignedInt(buffer.getShort(at + 20)) == tail) {
                return buffer.slice(at, END_RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        throw InvalidInputException.of(CodePackageInspector.FIELD, "not-zip", "the zip has no end of central directory record");
    }

    static InvalidInputException inconsistent(String message) {
        return InvalidInputException.of(CodePackageInspector.FIELD, "inconsistent", message);
    }
}
