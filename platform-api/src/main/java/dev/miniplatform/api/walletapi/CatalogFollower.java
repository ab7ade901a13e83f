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
 */
@Component
class CatalogFollower {

    private static final Logger log = LoggerFactory.getLogger(CatalogFollower.class);

    private static final String START = "select pg_snapshot_xmin(pg_current_snapshot())::text as tx";

    private static final String NEXT = """
            select tx::text as tx, seq, app_id from catalog_changes
             where (tx, seq) > ($1::xid8, $2) and tx < pg_snapshot_xmin(pg_current_snapshot())
             order by tx, seq
             limit 1000
            """;

    private final WalletTransactions transactions;
    private final AtomicReference<ChangeCursor> position = new AtomicReference<>();

    CatalogFollower(WalletTransactions transactions) {
        this.transactions = transactions;
    }

    Flux<String> follow(Duration interval) {
        return PollingLoop.every(interval, this::poll, failure ->
                log.warn("could not read the catalog change feed: {}", failure.toString()));
    }

    private Flux<String> poll() {
        ChangeCursor from = position.get();
        if (from == null) {
            return transactions.database().sql(START)
                    .map(row -> row.get("tx", String.class))
                    .one()
                    .doOnNext(tx -> position.compareAndSet(null, new ChangeCursor(tx, 0)))
                    .thenMany(Flux.empty());
        }
        return transactions.asFollower(transactions.database().sql(NEXT)
                        .bind(0, from.tx())
                        .bind(1, from.seq())
                        .map(row -> new Change(new ChangeCursor(row.get("tx", String.class), row.get("seq", Long.class)),
                                row.get("app_id", String.class)))
                        .all())
                .collectList()
                .flatMapMany(changes -> {
                    if (!changes.isEmpty()) {
                        position.set(changes.getLast().cursor());
                    }
                    return Flux.fromIterable(changes).map(Change::appId).distinct();
                });
    }

    private record Change(ChangeCursor cursor, String appId) {
    }
}
