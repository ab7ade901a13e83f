package dev.miniplatform.api.release;

import dev.miniplatform.model.validation.InvalidInputException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Receives a code package: streams it to a temporary file while hashing and counting (stopping at the size
 * limit), then checks it is a real zip whose root holds {@code app.json}, a JSON object with a non-empty
 * {@code pages} array. File and zip work is blocking and runs on {@link Schedulers#boundedElastic()}.
 */
@Component
class CodePackages {

    static final String MANIFEST = "app.json";

    record Checked(byte[] bytes, String sha256, long size) {
    }

    private final JsonMapper json;
    private final ReleaseProperties properties;

    CodePackages(JsonMapper json, ReleaseProperties properties) {
        this.json = json;
        this.properties = properties;
    }

    Mono<Checked> receive(Flux<DataBuffer> content) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> Files.createTempFile("code-package-", ".zip")).subscribeOn(Schedulers.boundedElastic()),
                file -> stage(content, file),
                file -> Mono.fromRunnable(() -> deleteQuietly(file)).subscribeOn(Schedulers.boundedElastic()));
    }

    private Mono<Checked> stage(Flux<DataBuffer> content, Path file) {
        MessageDigest digest = sha256();
        AtomicLong size = new AtomicLong();
        Flux<DataBuffer> counted = content.doOnNext(buffer -> {
            if (size.addAndGet(buffer.readableByteCount()) > properties.maxPackageBytes()) {
                DataBufferUtils.release(buffer);
                throw new PackageTooLargeException(properties.maxPackageBytes());
            }
            try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
                buffers.forEachRemaining(digest::update);
            }
        });
        return DataBufferUtils.write(counted, file)
                .then(Mono.fromCallable(() -> check(file)).subscribeOn(Schedulers.boundedElastic()))
                .map(bytes -> new Checked(bytes, HexFormat.of().formatHex(digest.digest()), size.get()));
    }

    private byte[] check(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifest = zip.getEntry(MANIFEST);
            if (manifest == null || manifest.isDirectory()) {
                throw invalid("manifest-missing", "the zip has no " + MANIFEST + " at its root");
            }
            checkManifest(zip, manifest);
        } catch (ZipException e) {
            throw invalid("not-zip", "not a readable zip archive");
        }
        return Files.readAllBytes(file);
    }

    private void checkManifest(ZipFile zip, ZipEntry manifest) throws IOException {
        JsonNode root;
        try (InputStream in = zip.getInputStream(manifest)) {
            root = json.readTree(in);
        } catch (JacksonException e) {
            throw invalid("manifest-json", MANIFEST + " is not valid JSON");
        }
        JsonNode pages = root == null ? null : root.get("pages");
        if (root == null || !root.isObject() || pages == null || !pages.isArray() || pages.isEmpty()) {
            throw invalid("manifest-pages", MANIFEST + " must be a JSON object with a non-empty \"pages\" array");
        }
    }

    private static InvalidInputException invalid(String code, String message) {
        return InvalidInputException.of("package", code, message);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
