package dev.miniplatform.api.release;

import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Where code packages live, content-addressed by SHA-256 within a tenant. The default keeps them in PostgreSQL
 * ({@link PostgresCodePackageStore}); an S3-compatible object store fits the same contract (key
 * {@code <tenant>/<sha256>.zip}, written once, never overwritten) for large catalogs — see docs/operations.md.
 * Implementations must join the caller's transaction or be idempotent, since a version row points at the hash.
 */
public interface CodePackageStore {

    /** Stores the bytes unless the tenant already has a package with this hash. */
    Mono<Void> store(UUID tenantId, String sha256, byte[] bytes);

    /** The package's bytes, or empty if the tenant has none with this hash. */
    Mono<byte[]> load(UUID tenantId, String sha256);
}
