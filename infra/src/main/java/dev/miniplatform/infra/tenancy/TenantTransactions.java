package dev.miniplatform.infra.tenancy;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Runs database work in one transaction whose first statement sets {@code app.tenant_id} and {@code app.user_id}
 * from the {@link TenantContext} in the Reactor Context. The settings are transaction-local
 * ({@code set_config(…, true)}), so they end with the transaction and never reach the next user of a pooled
 * connection. Without a context, both are empty and row-level security shows no tenant rows at all.
 */
@Component
public class TenantTransactions {

    private static final String SET_SETTINGS =
            "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), "
                    + "set_config('app.reviewer', $3, true)";

    private final DatabaseClient databaseClient;
    private final TransactionalOperator transactionalOperator;

    public TenantTransactions(DatabaseClient databaseClient, TransactionalOperator transactionalOperator) {
        this.databaseClient = databaseClient;
        this.transactionalOperator = transactionalOperator;
    }

    public <T> Mono<T> inTransaction(Mono<T> work) {
        return applySettings()
                .then(work)
                .as(transactionalOperator::transactional);
    }

    public <T> Flux<T> inTransaction(Flux<T> work) {
        return applySettings()
                .thenMany(work)
                .as(transactionalOperator::transactional);
    }

    private Mono<Void> applySettings() {
        return TenantContext.current()
                .flatMap(this::applySettings);
    }

    private Mono<Void> applySettings(TenantContext context) {
        return databaseClient.sql(SET_SETTINGS)
                .bind(0, context.tenantId().map(UUID::toString).orElse(""))
                .bind(1, context.userId().orElse(""))
                .bind(2, context.reviewer() ? "on" : "")
                .fetch()
                .all()
                // read the result to its end: cancelling a query midway (first()) leaves the driver draining
                // the connection while the transaction goes on
                .then();
    }
}
