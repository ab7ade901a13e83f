package dev.miniplatform.api.walletapi;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.RowsFetchSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The wallet API's files, code packages and logos, streamed from PostgreSQL in bounded pieces (and template
 * instances' ext configs, one piece each). A download holds a few pieces in memory whatever the file's size and
 * however slowly the wallet reads: the next piece is read only when the connection has taken most of the previous
 * ones. Each piece is read in a short wallet transaction of its
 * own, under the wallet's row-level security like the file itself, so a slow reader holds no database connection
 * between pieces, and a release taken offline during a download ends the download.
 */
@Component
class WalletFiles {

    /** One database read: one stored chunk of a package (PostgresCodePackageStore), at most this of anything else. */
    static final int PIECE_BYTES = 1024 * 1024;

    /**
     * What the connection is handed at a time. Reactor Netty asks for up to 128 buffers ahead of what the socket has
     * taken, so this, not the piece, bounds what a stalled download queues: 128 × 16 KB.
     */
    static final int SLICE_BYTES = 16 * 1024;

    private static final String PACKAGE = """
            select p.tenant_id, p.size, p.bytes is not null as whole,
                   (select count(*) from code_package_chunks c where c.tenant_id = p.tenant_id and c.sha256 = p.sha256) as chunks
              from code_packages p where p.sha256 = $1 limit 1""";
    private static final String LOGO = """
            select l.tenant_id, l.content_type, octet_length(l.bytes) as size from logos l where l.sha256 = $1 limit 1""";
    // at most one batch item's size (platform.batch.max-item-bytes): one piece
    private static final String EXT_CONFIG = """
            select {bytes} as bytes, {sha256} as sha256 from mini_program_versions v
             where v.app_id = $1 and v.version = $2 and v.ext_config is not null"""
            .replace("{bytes}", CatalogStore.EXT_CONFIG_BYTES)
            .replace("{sha256}", CatalogStore.EXT_CONFIG_SHA256);
    private static final String PACKAGE_CHUNK = """
            select bytes from code_package_chunks where tenant_id = $1 and sha256 = $2 and seq = $3""";
    // packages stored before V7 keep their bytes in one value; substring reads a bounded part of it
    private static final String PACKAGE_PART = """
            select substring(bytes from $3 for $4) as bytes from code_packages where tenant_id = $1 and sha256 = $2""";
    private static final String LOGO_PART = """
            select substring(bytes from $3 for $4) as bytes from logos where tenant_id = $1 and sha256 = $2""";

    /** A file the wallet may read; {@code content} reads it when subscribed. */
    record WalletFile(String sha256, String contentType, long size, Flux<ByteBuffer> content) {
    }

    /** Where a file's bytes are: in chunk rows (one piece each), or in one value read part by part. */
    private record Stored(UUID tenantId, String sha256, String contentType, long size, String pieceQuery, boolean chunked,
                          int pieces) {
    }

    private final WalletTransactions transactions;

    WalletFiles(WalletTransactions transactions) {
        this.transactions = transactions;
    }

    Mono<WalletFile> codePackage(UUID walletId, String sha256) {
        return first(walletId, transactions.database().sql(PACKAGE)
                        .bind(0, sha256)
                        .map(row -> storedPackage(sha256, row)))
                // a closed workspace's packages keep their metadata but not their bytes (V27), like a package never stored
                .filter(stored -> stored.pieces() > 0)
                .map(stored -> file(walletId, stored));
    }

    Mono<WalletFile> logo(UUID walletId, String sha256) {
        return first(walletId, transactions.database().sql(LOGO)
                        .bind(0, sha256)
                        .map(row -> storedLogo(sha256, row)))
                .map(stored -> file(walletId, stored));
    }

    /**
     * The ext config a template instance's version was built with, if that version is live for this wallet (the
     * row-level security of versions, V14/V19: a live release to this wallet, in a workspace still active).
     */
    Mono<WalletFile> extConfig(UUID walletId, String appId, String version) {
        return first(walletId, transactions.database().sql(EXT_CONFIG)
                        .bind(0, appId)
                        .bind(1, version)
                        .map(WalletFiles::extConfigFile));
    }

    private static WalletFile extConfigFile(Readable row) {
        ByteBuffer bytes = row.get("bytes", ByteBuffer.class);
        return new WalletFile(row.get("sha256", String.class), "application/json", bytes.remaining(),
                Flux.defer(() -> Flux.just(bytes.duplicate())));
    }

    /** The first row under the wallet's row-level security; the result is read to its end, never cancelled midway. */
    private <T> Mono<T> first(UUID walletId, RowsFetchSpec<T> query) {
        return transactions.forWallet(walletId, query.all().collectList())
                .flatMap(found -> Mono.justOrEmpty(found.stream().findFirst()));
    }

    private static Stored storedPackage(String sha256, Readable row) {
        UUID tenantId = row.get("tenant_id", UUID.class);
        long size = row.get("size", Long.class);
        return Boolean.TRUE.equals(row.get("whole", Boolean.class))
                ? new Stored(tenantId, sha256, "application/zip", size, PACKAGE_PART, false, parts(size))
                : new Stored(tenantId, sha256, "application/zip", size, PACKAGE_CHUNK, true,
                row.get("chunks", Long.class).intValue());
    }

    private static Stored storedLogo(String sha256, Readable row) {
        long size = row.get("size", Integer.class);
        return new Stored(row.get("tenant_id", UUID.class), sha256, row.get("content_type", String.class), size,
                LOGO_PART, false, parts(size));
    }

    private static int parts(long size) {
        return (int) ((size + PIECE_BYTES - 1) / PIECE_BYTES);
    }

    private WalletFile file(UUID walletId, Stored stored) {
        Flux<ByteBuffer> content = Flux.range(0, stored.pieces())
                .concatMap(index -> readAhead(walletId, stored, index), 1)
                .flatMapIterable(WalletFiles::slices, 1);
        return new WalletFile(stored.sha256(), stored.contentType(), stored.size(), content);
    }

    /**
     * Reads the piece to its end as soon as it is its turn, whatever the client's pace, and keeps it until the
     * response asks for it: the wallet transaction never waits on the client (a transaction that waited for
     * demand would hold a pooled connection for as long as the slowest reader liked).
     */
    private Mono<ByteBuffer> readAhead(UUID walletId, Stored stored, int index) {
        return Mono.fromFuture(() -> piece(walletId, stored, index).toFuture());
    }

    private Mono<ByteBuffer> piece(UUID walletId, Stored stored, int index) {
        return first(walletId, pieceQuery(stored, index).map(row -> row.get("bytes", ByteBuffer.class)))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                        "Piece %d of %s is gone or no longer visible to wallet %s".formatted(index, stored.sha256(), walletId))));
    }

    /** A chunk row by its number, or a part of one value by offset (substring counts from 1). */
    private DatabaseClient.GenericExecuteSpec pieceQuery(Stored stored, int index) {
        DatabaseClient.GenericExecuteSpec query = transactions.database().sql(stored.pieceQuery())
                .bind(0, stored.tenantId())
                .bind(1, stored.sha256());
        return stored.chunked()
                ? query.bind(2, index)
                : query.bind(2, 1 + index * PIECE_BYTES).bind(3, PIECE_BYTES);
    }

    /** Views of the piece, no copies. */
    private static List<ByteBuffer> slices(ByteBuffer piece) {
        List<ByteBuffer> slices = new ArrayList<>(piece.remaining() / SLICE_BYTES + 1);
        for (int at = piece.position(); at < piece.limit(); at += SLICE_BYTES) {
            slices.add(piece.slice(at, Math.min(SLICE_BYTES, piece.limit() - at)));
        }
        return slices;
    }
}
