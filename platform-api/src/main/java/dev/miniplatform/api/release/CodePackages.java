package dev.miniplatform.api.release;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.CodePackageInspector;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.Validation;
import jakarta.annotation.PreDestroy;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Receives a code package upload as a stream of multipart events, never as a parsed form: nothing is read before
 * the caller has been let in (see {@link VersionService#checkUploadAllowed}), at most
 * {@code platform.release.max-parts} parts are accepted, the two fields are held in memory up to
 * {@code max-field-bytes}, and the package goes straight to a private staging file while it is hashed and counted.
 * The staged file is then inspected by {@link CodePackageInspector} as a stream, and deleted whatever happens.
 * Memory per upload is a few buffers, whatever the size of the body or of the archive.
 */
@Component
public class CodePackages {

    static final String PACKAGE_PART = "package";
    static final String MULTIPART = "multipart";

    private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);
    private static final Set<String> FIELDS = Set.of("version", "description");
    private static final int MAX_PART_HEADER_BYTES = 8192;

    /**
     * What a staged upload holds once received and inspected; the file lives until the upload ends.
     *
     * @param extra the values of the extra fields the caller asked for (e.g. a template's {@code extSchema}),
     *              absent when not sent
     */
    public record Received(VersionService.Upload upload, String sha256, long size, Path file, Map<String, String> extra) {

        /** The package bytes in chunks, read from the staging file off the event loop. */
        public Flux<ByteBuffer> content(int chunkBytes) {
            return Flux.using(() -> FileChannel.open(file),
                            channel -> Flux.generate((SynchronousSink<ByteBuffer> sink) -> readChunk(channel, chunkBytes, sink)),
                            CodePackages::closeQuietly)
                    .subscribeOn(Schedulers.boundedElastic());
        }
    }

    private final ReleaseProperties properties;
    private final CodePackageInspector inspector;
    private final PartEventHttpMessageReader reader;
    private final Path staging;

    CodePackages(ReleaseProperties properties) throws IOException {
        this.properties = properties;
        this.inspector = new CodePackageInspector(properties.packageLimits());
        this.reader = new PartEventHttpMessageReader();
        this.reader.setMaxInMemorySize(properties.maxFieldBytes());
        this.reader.setMaxHeadersSize(MAX_PART_HEADER_BYTES);
        this.staging = Files.createTempDirectory("code-packages-");
    }

    /** A declared body above the limit is refused from its headers alone. */
    public void checkDeclaredLength(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > properties.maxRequestBytes()) {
            throw new PackageTooLargeException(properties.maxPackageBytes());
        }
    }

    /** Stages and inspects the upload, hands it to {@code use}, and deletes the staged file afterwards. */
    <T> Mono<T> receive(ServerHttpRequest request, Function<Received, Mono<T>> use) {
        return receive(request, Set.of(), use);
    }

    /**
     * Like {@link #receive(ServerHttpRequest, Function)}, also accepting the named extra fields (each bounded by
     * {@code platform.release.max-field-bytes}, as version and description are).
     */
    public <T> Mono<T> receive(ServerHttpRequest request, Set<String> extraFields, Function<Received, Mono<T>> use) {
        return receive(request, extraFields, true, use);
    }

    /**
     * A package that is not a version (a preview): the same limits and checks, no version and description asked
     * for ({@link Received#upload()} then holds whatever was sent, possibly nulls).
     */
    public <T> Mono<T> receiveUnversioned(ServerHttpRequest request, Function<Received, Mono<T>> use) {
        return receive(request, Set.of(), false, use);
    }

    private <T> Mono<T> receive(ServerHttpRequest request, Set<String> extraFields, boolean versioned,
                                Function<Received, Mono<T>> use) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> Files.createTempFile(staging, "package-", ".zip")).subscribeOn(Schedulers.boundedElastic()),
                file -> stage(request, file, extraFields, versioned)
                        .flatMap(this::inspected)
                        .flatMap(use),
                file -> Mono.fromRunnable(() -> deleteQuietly(file)).subscribeOn(Schedulers.boundedElastic()));
    }

    /**
     * Checks a package the platform builds itself (a sample of the gallery) exactly as an upload's is checked once
     * received: the size limit, then the staged file through {@link CodePackageInspector}, central directory and all.
     * Blocking (it writes and reads a staging file): for start-up, or a bounded-elastic thread.
     */
    public CodePackageInspector.Contents inspectBuilt(byte[] zip) throws IOException {
        if (zip.length > properties.maxPackageBytes()) {
            throw new PackageTooLargeException(properties.maxPackageBytes());
        }
        Path file = Files.createTempFile(staging, "built-", ".zip");
        try {
            Files.write(file, zip);
            return inspector.inspect(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Where uploads are staged; empty whenever no upload is in flight. */
    Path stagingDirectory() {
        return staging;
    }

    private Mono<Received> stage(ServerHttpRequest request, Path file, Set<String> extraFields, boolean versioned) {
        Form form = new Form(file, extraFields, versioned);
        return reader.read(PART_EVENT, bounded(request), Map.of())
                .onErrorMap(BodyFailure::new)
                .windowUntil(PartEvent::isLast)
                .index()
                .concatMap(part -> receivePart(part.getT1(), part.getT2(), form))
                .then(Mono.fromCallable(form::received))
                .onErrorMap(BodyFailure.class, CodePackages::translate);
    }

    /**
     * A failure of the body itself (unreadable, too large) reaches both the current part and the sequence of
     * parts; marked, the part lets it go and the sequence reports it once, instead of Reactor dropping the second.
     */
    private static final class BodyFailure extends RuntimeException {

        BodyFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static Throwable translate(BodyFailure failure) {
        return failure.getCause() instanceof DecodingException ? malformed() : failure.getCause();
    }

    private Mono<Void> receivePart(long index, Flux<PartEvent> events, Form form) {
        Flux<PartEvent> part = index < properties.maxParts()
                ? events.switchOnFirst((first, all) -> first.hasValue() ? receivePart(first.get(), all, form) : all)
                : refuse(InvalidInputException.of(MULTIPART, "too-many-parts",
                        "at most %d parts: version, description and package".formatted(properties.maxParts())));
        return part.onErrorComplete(BodyFailure.class)
                .then();
    }

    private Flux<PartEvent> receivePart(PartEvent first, Flux<PartEvent> all, Form form) {
        // PartEvent.name() throws for a part without one; the header itself is what a client may leave out
        String name = first.headers().getContentDisposition().getName();
        if (name == null || name.isBlank()) {
            return refuse(InvalidInputException.of(MULTIPART, "part-name", "every part needs a name in its Content-Disposition"));
        }
        if (first instanceof FilePartEvent) {
            return form.receivePackage(name, all);
        }
        if (first instanceof FormPartEvent field) {
            return released(all)
                    .then(Mono.fromRunnable(() -> form.receiveField(name, field.value())))
                    .thenMany(Flux.empty());
        }
        return refuse(InvalidInputException.of(MULTIPART, "part", "part '%s' is neither a field nor a file".formatted(name)));
    }

    /** A field's events are consumed and released; their content is a copy of the value. */
    private static Mono<Void> released(Flux<PartEvent> events) {
        return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                .then();
    }

    /**
     * Refuses a part without reading on: the error cancels the body, and the reader releases what it still holds.
     * Releasing the part's events here as well released shared buffers twice (IllegalReferenceCountException).
     */
    private static Flux<PartEvent> refuse(RuntimeException refusal) {
        return Flux.error(refusal);
    }

    private Mono<Received> inspected(Received received) {
        return Mono.fromCallable(() -> inspect(received))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Received inspect(Received received) {
        inspector.inspect(received.file());
        return received;
    }

    /** Counts every byte of the raw body, so preambles and part headers cannot grow it past the limit either. */
    private ServerHttpRequest bounded(ServerHttpRequest request) {
        long limit = properties.maxRequestBytes();
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong read = new AtomicLong();
                return super.getBody().doOnNext(buffer -> {
                    if (read.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw new PackageTooLargeException(properties.maxPackageBytes());
                    }
                });
            }
        };
    }

    private static InvalidInputException malformed() {
        return InvalidInputException.of(MULTIPART, "malformed", "the multipart body is malformed or truncated");
    }

    /** The parts as they arrive; used by one upload, in order (concatMap), so it needs no synchronisation. */
    private final class Form {

        private final Path file;
        private final Set<String> extraFields;
        private final boolean versioned;
        private final Map<String, String> fields = new HashMap<>();
        private final MessageDigest digest = Sha256.newDigest();
        private boolean packageReceived;
        private long size;

        Form(Path file, Set<String> extraFields, boolean versioned) {
            this.file = file;
            this.extraFields = extraFields;
            this.versioned = versioned;
        }

        void receiveField(String name, String value) {
            if (PACKAGE_PART.equals(name)) {
                throw InvalidInputException.of(PACKAGE_PART, "not-a-file", "send the code package as a file part (with a filename)");
            }
            if (!FIELDS.contains(name) && !extraFields.contains(name)) {
                return; // other fields are ignored, as forms do; max-parts and max-field-bytes bound what they cost
            }
            if (fields.putIfAbsent(name, value) != null) {
                throw InvalidInputException.of(name, "duplicate", "'%s' was sent more than once".formatted(name));
            }
        }

        Flux<PartEvent> receivePackage(String name, Flux<PartEvent> events) {
            if (!PACKAGE_PART.equals(name)) {
                return refuse(InvalidInputException.of(MULTIPART, "unexpected-part",
                        "unexpected file part '%s'; the code package is the part 'package'".formatted(printable(name))));
            }
            if (packageReceived) {
                return refuse(InvalidInputException.of(PACKAGE_PART, "duplicate", "send exactly one code package"));
            }
            packageReceived = true;
            Flux<DataBuffer> content = events.map(PartEvent::content)
                    .doOnNext(this::count);
            return DataBufferUtils.write(content, file)
                    .thenMany(Flux.empty());
        }

        private void count(DataBuffer buffer) {
            size += buffer.readableByteCount();
            if (size > properties.maxPackageBytes()) {
                DataBufferUtils.release(buffer);
                throw new PackageTooLargeException(properties.maxPackageBytes());
            }
            try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
                buffers.forEachRemaining(digest::update);
            }
        }

        Received received() {
            Validation validation = new Validation();
            if (!packageReceived) {
                validation.reject(PACKAGE_PART, "required", "attach the code package as a file part named 'package'");
            }
            VersionService.Upload upload = new VersionService.Upload(fields.get("version"), fields.get("description"));
            if (versioned) {
                validation.attempt(() -> VersionService.validate(upload));
            }
            validation.throwIfInvalid();
            Map<String, String> extra = new HashMap<>(fields);
            extra.keySet().retainAll(extraFields);
            return new Received(upload, Sha256.hexOf(digest), size, file, Map.copyOf(extra));
        }
    }

    private static String printable(String name) {
        String trimmed = name.length() > 100 ? name.substring(0, 100) + "…" : name;
        return trimmed.replaceAll("\\p{Cntrl}", "?");
    }

    private static void readChunk(FileChannel channel, int chunkBytes, SynchronousSink<ByteBuffer> sink) {
        ByteBuffer chunk = ByteBuffer.allocate(chunkBytes);
        try {
            while (chunk.hasRemaining() && channel.read(chunk) >= 0) {
                // fill the chunk unless the file ends first
            }
        } catch (IOException e) {
            sink.error(new UncheckedIOException(e));
            return;
        }
        if (chunk.position() == 0) {
            sink.complete();
        } else {
            sink.next(chunk.flip());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    void removeStagingDirectory() throws IOException {
        FileSystemUtils.deleteRecursively(staging);
    }
}
