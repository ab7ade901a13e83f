package dev.miniplatform.api.release;

import dev.miniplatform.api.workspace.Quotas;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Code packages in PostgreSQL, inside the caller's transaction and under the same row-level security as
 * everything else of the tenant: one {@code code_packages} row with the size, and the bytes as
 * {@code code_package_chunks} of {@value #CHUNK_BYTES} bytes each, written one after the other. The driver holds a
 * bound value in memory in full, so chunks (rather than one {@code bytea} of up to 20 MB) bound the memory an
 * upload costs to about one chunk. A new package counts against the tenant's storage quota ({@link Quotas}).
 */
@Component
class PostgresCodePackageStore implements CodePackageStore {

    static final int CHUNK_BYTES = 1024 * 1024;

    private final DatabaseClient database;
    private final Quotas quotas;
    private final Clock clock;

    PostgresCodePackageStore(DatabaseClient database, Quotas quotas, Clock clock) {
        this.database = database;
        this.quotas = quotas;
        this.clock = clock;
    }

    @Override
    public Mono<Void> store(UUID tenantId, String sha256, long size, IntFunction<Flux<ByteBuffer>> content) {
        return heldIfStored(tenantId, sha256)
                .flatMap(held -> held ? Mono.<Void>empty() : storeNew(tenantId, sha256, size, content));
    }

    /**
     * Whether the tenant has the package already; if so it stays locked until the caller's transaction ends, so
     * that deleting its last other version at the same moment (V27 then deletes unreferenced packages) cannot take
     * it away before the caller's version refers to it.
     */
    private Mono<Boolean> heldIfStored(UUID tenantId, String sha256) {
        return database.sql("select sha256 from code_packages where tenant_id = $1 and sha256 = $2 for key share")
                .bind(0, tenantId)
                .bind(1, sha256)
                .map(row -> row.get("sha256", String.class))
                .all()
                .count()
                .map(found -> found > 0);
    }

    /** The quota first, so a refused package writes nothing; the chunks only if no parallel upload stored it first. */
    private Mono<Void> storeNew(UUID tenantId, String sha256, long size, IntFunction<Flux<ByteBuffer>> content) {
        return quotas.reserveStorage(tenantId, size)
                .then(database.sql("""
                                insert into code_packages (tenant_id, sha256, size, created_at)
                                values ($1, $2, $3, $4) on conflict do nothing""")
                        .bind(0, tenantId)
                        .bind(1, sha256)
                        .bind(2, size)
                        .bind(3, clock.instant())
                        .fetch()
                        .rowsUpdated())
                .filter(inserted -> inserted > 0)
                .flatMapMany(inserted -> content.apply(CHUNK_BYTES).index())
                .concatMap(chunk -> storeChunk(tenantId, sha256, chunk), 1)
                .then();
    }

    private Mono<Long> storeChunk(UUID tenantId, String sha256, Tuple2<Long, ByteBuffer> chunk) {
        return database.sql("insert into code_package_chunks (tenant_id, sha256, seq, bytes) values ($1, $2, $3, $4)")
                .bind(0, tenantId)
                .bind(1, sha256)
                .bind(2, chunk.getT1().intValue())
                .bind(3, chunk.getT2())
                .fetch()
                .rowsUpdated();
    }

    @Override
    public Mono<byte[]> load(UUID tenantId, String sha256) {
        return database.sql("select bytes from code_package_chunks where tenant_id = $1 and sha256 = $2 order by seq")
                .bind(0, tenantId)
                .bind(1, sha256)
                .map(row -> row.get("bytes", ByteBuffer.class))
                .all()
                .collectList()
                .filter(chunks -> !chunks.isEmpty())
                .map(PostgresCodePackageStore::joined)
                .switchIfEmpty(Mono.defer(() -> loadWhole(tenantId, sha256)));
    }

    /** Packages stored before chunking (V7) keep their bytes in {@code code_packages}. */
    private Mono<byte[]> loadWhole(UUID tenantId, String sha256) {
        return database.sql("select bytes from code_packages where tenant_id = $1 and sha256 = $2 and bytes is not null")
                .bind(0, tenantId)
                .bind(1, sha256)
                .map(row -> row.get("bytes", ByteBuffer.class))
                .one()
                .map(buffer -> joined(List.of(buffer)));
    }

    private static byte[] joined(List<ByteBuffer> chunks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuffer chunk : chunks) {
            byte[] part = new byte[chunk.remaining()];
            chunk.get(part);
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }
}
