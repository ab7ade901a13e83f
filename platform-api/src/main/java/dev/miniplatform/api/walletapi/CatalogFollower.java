package dev.miniplatform.api.walletapi;

import dev.miniplatform.infra.polling.PollingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows the whole change feed from "now": every interval, the app ids of rows committed since the last look.
 * Same fence as the wallets' feed ({@link ChangeCursor}), so a row committed late is never stepped over.
 * Always on the primary. Each row comes with a WAL position at least that of its commit (the primary's insert
 * position, read after the rows' snapshot), and the start tells {@link CatalogFreshness} the position before which
 * this node will hear of no change: what a replica must have replayed to fill the cache.
 */
@Component
class CatalogFollower {

    private static final Logger log = LoggerFactory.getLogger(CatalogFollower.class);

    // the position is read after the snapshot: every change committed before it (with a tx below the start) is
    // covered by the position, every later one is a row the follower reads
    private static final String START = """
            select pg_snapshot_xmin(pg_current_snapshot())::text as tx, pg_current_wal_insert_lsn()::text as lsn""";

    // insert, not flush position: batch items commit without waiting for the flush (decision 135)
    private static final String NEXT = """
            select tx::text as tx, seq, app_id, pg_current_wal_insert_lsn()::text as lsn from catalog_changes
             where (tx, seq) > ($1::xid8, $2) and tx < pg_snapshot_xmin(pg_current_snapshot())
             order by tx, seq
             limit 1000
            """;

    private final WalletTransactions transactions;
    private final CatalogFreshness freshness;
    private final AtomicReference<ChangeCursor> position = new AtomicReference<>();

    CatalogFollower(WalletTransactions transactions, CatalogFreshness freshness) {
        this.transactions = transactions;
        this.freshness = freshness;
    }

    /** A mini program changed, committed at or before {@code committedBy}. */
    record Followed(String appId, Lsn committedBy) {
    }

    Flux<Followed> follow(Duration interval) {
        return PollingLoop.every(interval, this::poll, failure ->
                log.warn("could not read the catalog change feed: {}", failure.toString()));
    }

    private Flux<Followed> poll() {
        ChangeCursor from = position.get();
        if (from == null) {
            return transactions.database().sql(START)
                    .map(row -> new Change(new ChangeCursor(row.get("tx", String.class), 0), null,
                            Lsn.parse(row.get("lsn", String.class))))
                    .one()
                    .filter(start -> position.compareAndSet(null, start.cursor()))
                    .doOnNext(start -> freshness.followingFrom(start.committedBy()))
                    .thenMany(Flux.empty());
        }
        return transactions.asFollower(transactions.database().sql(NEXT)
                        .bind(0, from.tx())
                        .bind(1, from.seq())
                        .map(row -> new Change(new ChangeCursor(row.get("tx", String.class), row.get("seq", Long.class)),
                                row.get("app_id", String.class), Lsn.parse(row.get("lsn", String.class))))
                        .all())
                .collectList()
                .flatMapMany(changes -> {
                    if (changes.isEmpty()) {
                        return Flux.empty();
                    }
                    position.set(changes.getLast().cursor());
                    // one position for all: the largest, read last, covers every row of the page
                    Lsn committedBy = changes.getLast().committedBy();
                    return Flux.fromIterable(changes)
                            .map(Change::appId)
                            .distinct()
                            .map(appId -> new Followed(appId, committedBy));
                });
    }

    private record Change(ChangeCursor cursor, String appId, Lsn committedBy) {
    }
}
