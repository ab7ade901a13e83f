package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Checks a code package by reading it once, front to back, as a stream: every entry is inflated into one small
 * buffer and counted, so memory stays at a few kilobytes whatever the archive claims, and the sizes written in
 * its headers are never trusted. {@code app.json} is the only entry that is parsed, with Jackson's streaming
 * parser under {@link PackageLimits}, so no tree of it is ever built.
 * <p>
 * Every refusal is an {@link InvalidInputException} on the field {@value #FIELD}, with one of the codes
 * {@code not-zip}, {@code inconsistent}, {@code too-many-entries}, {@code zip-bomb}, {@code entry-name}, {@code duplicate-entry},
 * {@code manifest-missing}, {@code manifest-duplicate}, {@code manifest-too-large}, {@code manifest-limits},
 * {@code manifest-json}, {@code manifest-pages}. The caller owns (and closes) the input stream.
 */
public final class CodePackageInspector {

    public static final String FIELD = "package";

    private static final int BUFFER_BYTES = 8192;

    private final PackageLimits limits;
    private final JsonFactory json;

    public CodePackageInspector(PackageLimits limits) {
        this.limits = limits;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(limits.maxManifestBytes())
                        .maxNestingDepth(limits.maxManifestDepth())
                        .maxStringLength(limits.maxManifestStringLength())
                        .maxNameLength(limits.maxManifestStringLength())
                        .maxNumberLength(limits.maxManifestNumberLength())
                        .build())
                // two "pages" keys would let two readers of the same file disagree about what it says
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** What the package holds, as counted while reading it. */
    public record Contents(int entries, long uncompressedBytes) {
    }

    /**
     * Inspects a staged package: its entries as a stream, then its central directory, which must list exactly
     * the same names (code {@code inconsistent} otherwise), since unzip tools go by the directory.
     */
    public Contents inspect(Path zipFile) {
        Scan scan;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(zipFile), BUFFER_BYTES * 8)) {
            scan = scan(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> listed;
        try (SeekableByteChannel channel = Files.newByteChannel(zipFile)) {
            listed = CentralDirectory.names(channel, limits.maxEntries());
        } catch (IOException e) {
            throw CentralDirectory.inconsistent("the zip's central directory is truncated or corrupt");
        }
        if (listed.size() != scan.names().size() || !new HashSet<>(listed).equals(scan.names())) {
            throw CentralDirectory.inconsistent("the zip's central directory does not list the same entries as the archive holds");
        }
        return scan.contents();
    }

    /** Checks the entries only, as they come; for a package that is not (yet) a file. */
    public Contents inspect(InputStream zipBytes) {
        return scan(zipBytes).contents();
    }

    private record Scan(Set<String> names, long uncompressedBytes) {

        Contents contents() {
            return new Contents(names.size(), uncompressedBytes);
        }
    }

    private Scan scan(InputStream zipBytes) {
        Budget total = new Budget(limits.maxUncompressedBytes(), () -> invalid("zip-bomb",
                "the package inflates to more than %d bytes".formatted(limits.maxUncompressedBytes())));
        Set<String> names = new HashSet<>();
        ZipInputStream zip = new ZipInputStream(new Unclosable(zipBytes), StandardCharsets.UTF_8);
        try {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (ZipEntry entry = next(zip); entry != null; entry = next(zip)) {
                if (names.size() >= limits.maxEntries()) {
                    throw invalid("too-many-entries", "the package has more than %d entries".formatted(limits.maxEntries()));
                }
                EntryName name = EntryName.of(entry.getName(), limits.maxEntryNameLength());
                if (!names.add(name.value())) {
                    throw name.isManifest()
                            ? invalid("manifest-duplicate", "the package has more than one " + EntryName.MANIFEST)
                            : invalid("duplicate-entry", "the package holds '%s' twice".formatted(name.value()));
                }
                InputStream content = new Metered(zip, total);
                if (name.isManifest()) {
                    checkManifest(content);
                }
                drain(content, buffer);
            }
        } catch (ZipException e) {
            throw invalid("not-zip", "not a readable zip archive");
        } catch (IOException e) {
            throw invalid("not-zip", "the zip archive is truncated or corrupt");
        }
        if (names.isEmpty()) {
            throw invalid("not-zip", "not a zip archive, or one without entries");
        }
        if (!names.contains(EntryName.MANIFEST)) {
            throw invalid("manifest-missing", "the zip has no " + EntryName.MANIFEST + " at its root");
        }
        return new Scan(names, total.spent);
    }

    /** A name that is not valid UTF-8 makes the JDK throw an IllegalArgumentException rather than a ZipException. */
    private static ZipEntry next(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw invalid("entry-name", "an entry name is not valid UTF-8");
        }
    }

    private static void drain(InputStream entry, byte[] buffer) throws IOException {
        while (entry.read(buffer) >= 0) {
            // the Metered stream counts; the bytes themselves are not needed
        }
    }

    private void checkManifest(InputStream entry) throws IOException {
        InputStream manifest = new Metered(entry, new Budget(limits.maxManifestBytes(), () -> invalid("manifest-too-large",
                "%s is larger than %d bytes".formatted(EntryName.MANIFEST, limits.maxManifestBytes()))));
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), manifest)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw invalid("manifest-json", EntryName.MANIFEST + " is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw pagesMissing();
            }
            boolean pages = false;
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                boolean isPages = "pages".equals(parser.currentName());
                parser.nextToken();
                if (isPages) {
                    pages = readPages(parser);
                } else {
                    walkValue(parser);
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("manifest-json", EntryName.MANIFEST + " has content after its JSON object");
            }
            if (!pages) {
                throw pagesMissing();
            }
        } catch (StreamConstraintsException e) {
            throw invalid("manifest-limits", EntryName.MANIFEST + " exceeds a parser limit (nesting depth %d, strings of %d characters, numbers of %d digits)"
                    .formatted(limits.maxManifestDepth(), limits.maxManifestStringLength(), limits.maxManifestNumberLength()));
        } catch (JacksonIOException e) {
            throw invalid("not-zip", "the zip archive is corrupt inside " + EntryName.MANIFEST);
        } catch (JacksonException e) {
            throw invalid("manifest-json", EntryName.MANIFEST + " is not valid JSON");
        }
    }

    /**
     * Reads past the current value token by token. Unlike {@code skipChildren}, it reads each string, so the
     * string length limit applies to every string of the document, not only to those the platform uses.
     */
    private static void walkValue(JsonParser parser) {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token == JsonToken.VALUE_STRING) {
                parser.getString();
            }
            if (depth > 0) {
                parser.nextToken();
            }
        } while (depth > 0);
    }

    /** A non-empty array of non-blank page paths. */
    private static boolean readPages(JsonParser parser) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        int pages = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_STRING || parser.getString().isBlank()) {
                throw invalid("manifest-pages", "every entry of \"pages\" in " + EntryName.MANIFEST + " must be a page path");
            }
            pages++;
        }
        return pages > 0;
    }

    private static InvalidInputException pagesMissing() {
        return invalid("manifest-pages", EntryName.MANIFEST + " must be a JSON object with a non-empty \"pages\" array");
    }

    private static InvalidInputException invalid(String code, String message) {
        return InvalidInputException.of(FIELD, code, message);
    }

    /** Bytes allowed for one purpose; spending past it refuses the package. */
    private static final class Budget {

        private final long limit;
        private final Supplier<InvalidInputException> refusal;
        private long spent;

        Budget(long limit, Supplier<InvalidInputException> refusal) {
            this.limit = limit;
            this.refusal = refusal;
        }

        void spend(long bytes) {
            spent += bytes;
            if (spent > limit) {
                throw refusal.get();
            }
        }
    }

    /** Charges every byte actually read (inflated) to a budget; the header's size claims play no part. */
    private static final class Metered extends FilterInputStream {

        private final Budget budget;

        Metered(InputStream in, Budget budget) {
            super(in);
            this.budget = budget;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                budget.spend(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                budget.spend(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the parser closes its input; the zip stream must stay open for the next entry
        }
    }

    /** The caller opened the stream and closes it; the zip reader must not. */
    private static final class Unclosable extends FilterInputStream {

        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
