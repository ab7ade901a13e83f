package dev.miniplatform.api.release;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Where code packages live, content-addressed by SHA-256 within a tenant. The default keeps them in PostgreSQL
 * ({@link PostgresCodePackageStore}); an S3-compatible object store fits the same contract (key
 * {@code <tenant>/<sha256>.zip}, written once, never overwritten) for large catalogs — see docs/operations.md.
 * Implementations must join the caller's transaction or be idempotent, since a version row points at the hash.
 */
public interface CodePackageStore {

    /**
     * Stores the package unless the tenant already has one with this hash. {@code content} gives the bytes in
     * chunks of the size the store asks for, so no implementation needs the whole package in memory; it is not
     * read at all for a package the tenant already has. A new package counts against the tenant's storage quota
     * ({@code QuotaExceededException} when it would pass it, before anything is written); one the tenant already
     * has costs nothing and is kept for the caller's transaction, which then refers to it.
     */
    Mono<Void> store(UUID tenantId, String sha256, long size, IntFunction<Flux<ByteBuffer>> content);

    /** {@link #store(UUID, String, long, IntFunction)} for a package already in memory (a template's, a sample). */
    default Mono<Void> store(UUID tenantId, String sha256, byte[] bytes) {
        return store(tenantId, sha256, bytes.length, chunkBytes -> Flux.range(0, (bytes.length + chunkBytes - 1) / chunkBytes)
                .map(i -> ByteBuffer.wrap(bytes, i * chunkBytes, Math.min(chunkBytes, bytes.length - i * chunkBytes)).slice()));
    }

    /** The package's bytes, or empty if the tenant has none with this hash. */
    Mono<byte[]> load(UUID tenantId, String sha256);
}
