package dev.miniplatform.api.walletapi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Read-only work for one wallet: one transaction whose first statement sets {@code app.wallet_id}, so row-level
 * security admits exactly the rows released to that wallet (V10). Transaction-local, like the tenant settings.
 * The catalog follower reads the whole change feed with {@code app.catalog_follower} instead.
 * <p>
 * {@link #read} may run the work on the replica ({@link CatalogReplica}) instead of the primary: when the replica is
 * usable, and only if it has replayed the WAL position the caller requires (read in the transaction's first
 * statement, so every later statement's snapshot includes it). Otherwise, and when the replica fails or is slower
 * than its timeout, the same work runs on the primary: a wallet read never fails because of the replica.
 */
@Component
class WalletTransactions {

    private static final String SET_WALLET = "select set_config('app.wallet_id', $1, true)";
    private static final String SET_WALLET_ON_REPLICA = """
            select set_config('app.wallet_id', $1, true), pg_last_wal_replay_lsn()::text as replayed""";
    private static final String SET_FOLLOWER = "select set_config('app.catalog_follower', 'on', true)";

    /** The replica has not replayed what the read requires; no stack trace, it is a routing signal. */
    private static final class Behind extends RuntimeException {

        Behind() {
            super("the replica has not replayed the required WAL position", null, false, false);
        }
    }

    private static final Behind BEHIND = new Behind();

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final CatalogReplica replica;
    private final AtomicLong fromReplica = new AtomicLong();
    private final Counter replicaReads;
    private final Counter behindReads;
    private final Counter failedReads;

    WalletTransactions(DatabaseClient database, TransactionalOperator transactions, CatalogReplica replica,
                       MeterRegistry meters) {
        this.database = database;
        this.transactions = transactions;
        this.replica = replica;
        this.replicaReads = reads(meters, "replica");
        this.behindReads = reads(meters, "primary-replica-behind");
        this.failedReads = reads(meters, "primary-replica-failed");
    }

    private static Counter reads(MeterRegistry meters, String answeredBy) {
        return Counter.builder("platform.wallet.replica.reads")
                .description("wallet reads that could use the replica, by who answered")
                .tag("answered", answeredBy)
                .register(meters);
    }

    <T> Mono<T> forWallet(UUID walletId, Mono<T> work) {
        return setting(SET_WALLET, walletId.toString())
                .then(work)
                .as(transactions::transactional);
    }

    <T> Flux<T> forWallet(UUID walletId, Flux<T> work) {
        return setting(SET_WALLET, walletId.toString())
                .thenMany(work)
                .as(transactions::transactional);
    }

    /**
     * The wallet's work on the replica when it has replayed at least {@code required}, else on the primary.
     * {@code work} builds its statements on the database it is handed.
     */
    <T> Mono<T> read(UUID walletId, Lsn required, Function<DatabaseClient, Mono<T>> work) {
        Mono<T> onPrimary = Mono.defer(() -> forWallet(walletId, work.apply(database)));
        if (!replica.usable()) {
            return onPrimary;
        }
        return onReplica(walletId, required, work)
                .timeout(replica.timeout())
                .doOnSuccess(answered -> {
                    replicaReads.increment();
                    fromReplica.incrementAndGet();
                })
                .onErrorResume(Behind.class, behind -> {
                    behindReads.increment();
                    return onPrimary;
                })
                .onErrorResume(failure -> {
                    failedReads.increment();
                    replica.failed(failure);
                    return onPrimary;
                });
    }

    private <T> Mono<T> onReplica(UUID walletId, Lsn required, Function<DatabaseClient, Mono<T>> work) {
        DatabaseClient standby = replica.database();
        return standby.sql(SET_WALLET_ON_REPLICA)
                .bind(0, walletId.toString())
                .map(row -> row.get("replayed", String.class))
                .one()
                .flatMap(replayed -> replayed != null && Lsn.parse(replayed).reached(required)
                        ? work.apply(standby)
                        : Mono.error(BEHIND))
                .as(replica.transactions()::transactional);
    }

    /** How many reads this node answered from the replica: what tests check to know the replica was really read. */
    long replicaReadCount() {
        return fromReplica.get();
    }

    <T> Flux<T> asFollower(Flux<T> work) {
        return setting(SET_FOLLOWER, null)
                .thenMany(work)
                .as(transactions::transactional);
    }

    DatabaseClient database() {
        return database;
    }

    private Mono<Void> setting(String sql, String value) {
        DatabaseClient.GenericExecuteSpec spec = database.sql(sql);
        if (value != null) {
            spec = spec.bind(0, value);
        }
        return spec.fetch()
                .all()
                .then();
    }
}
