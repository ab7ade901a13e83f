package dev.miniplatform.api.release;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.UUID;

/**
 * Code packages as {@code bytea} rows in {@code code_packages}, inside the caller's transaction and under the
 * same row-level security as everything else of the tenant.
 */
@Component
class PostgresCodePackageStore implements CodePackageStore {

    private final DatabaseClient database;
    private final Clock clock;

    PostgresCodePackageStore(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<Void> store(UUID tenantId, String sha256, byte[] bytes) {
        return database.sql("""
                        insert into code_packages (tenant_id, sha256, size, bytes, created_at)
                        values ($1, $2, $3, $4, $5) on conflict do nothing""")
                .bind(0, tenantId)
                .bind(1, sha256)
                .bind(2, (long) bytes.length)
                .bind(3, ByteBuffer.wrap(bytes))
                .bind(4, clock.instant())
                .then();
    }

    @Override
    public Mono<byte[]> load(UUID tenantId, String sha256) {
        return database.sql("select bytes from code_packages where tenant_id = $1 and sha256 = $2")
                .bind(0, tenantId)
                .bind(1, sha256)
                .map(row -> row.get("bytes", ByteBuffer.class))
                .one()
                .map(PostgresCodePackageStore::bytes);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
