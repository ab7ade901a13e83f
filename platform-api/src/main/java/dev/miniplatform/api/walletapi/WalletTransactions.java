package dev.miniplatform.api.walletapi;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Read-only work for one wallet: one transaction whose first statement sets {@code app.wallet_id}, so row-level
 * security admits exactly the rows released to that wallet (V10). Transaction-local, like the tenant settings.
 * The catalog follower reads the whole change feed with {@code app.catalog_follower} instead.
 */
@Component
class WalletTransactions {

    private static final String SET_WALLET = "select set_config('app.wallet_id', $1, true)";
    private static final String SET_FOLLOWER = "select set_config('app.catalog_follower', 'on', true)";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    WalletTransactions(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
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
