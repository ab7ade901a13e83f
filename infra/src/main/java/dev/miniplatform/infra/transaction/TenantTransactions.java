package dev.miniplatform.infra.transaction;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.UUID;

/**
 * Runs database work in one transaction whose first statement sets {@code app.tenant_id} and {@code app.user_id}
 * from the {@link TenantContext} in the Reactor Context. The settings are transaction-local
 * ({@code set_config(…, true)}), so they end with the transaction and never reach the next user of a pooled
 * connection. Without a context, both are empty and row-level security shows no tenant rows at all.
 * <p>
 * Work that must follow a successful commit, such as a first attempt at a queued call to Keycloak or SMTP, is
 * registered with {@link #afterCommit}: it runs after the commit, when the connection is back in the pool, and never
 * for a transaction that rolled back. A nested call joins the outer transaction and its after-commit work.
 * <p>
 * After the commit, and before the after-commit work, every {@link TenantChangeListener} is told which tenants the
 * transaction acted in, unless it ran for a {@link SafeRequest}.
 */
@Component
public class TenantTransactions {

    private static final String SET_SETTINGS =
            "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), "
                    + "set_config('app.reviewer', $3, true), set_config('app.safe_request', $4, true)";

    private final DatabaseClient databaseClient;
    private final TransactionalOperator transactionalOperator;
    private final List<TenantChangeListener> listeners;

    public TenantTransactions(DatabaseClient databaseClient, TransactionalOperator transactionalOperator) {
        this(databaseClient, transactionalOperator, List.of());
    }

    @Autowired
    public TenantTransactions(DatabaseClient databaseClient, TransactionalOperator transactionalOperator,
                              List<TenantChangeListener> listeners) {
        this.databaseClient = databaseClient;
        this.transactionalOperator = transactionalOperator;
        this.listeners = List.copyOf(listeners);
    }

    public <T> Mono<T> inTransaction(Mono<T> work) {
        return Mono.deferContextual(context -> context.hasKey(AfterCommit.KEY)
                ? transactional(work)
                : Mono.defer(() -> transactionalThenAfterCommit(work)));
    }

    public <T> Flux<T> inTransaction(Flux<T> work) {
        return Flux.deferContextual(context -> context.hasKey(AfterCommit.KEY)
                ? transactional(work)
                : Flux.defer(() -> transactionalThenAfterCommit(work)));
    }

    /**
     * Runs {@code action} after the current transaction commits. Outside a transaction started here it is not run
     * at all, so register only work that the durable queue would also do.
     */
    public static Mono<Void> afterCommit(Mono<Void> action) {
        return Mono.deferContextual(context -> {
            context.<AfterCommit>getOrEmpty(AfterCommit.KEY).ifPresent(pending -> pending.add(action));
            return Mono.empty();
        });
    }

    private <T> Mono<T> transactionalThenAfterCommit(Mono<T> work) {
        AfterCommit afterCommit = new AfterCommit();
        return transactional(work)
                .contextWrite(context -> context.put(AfterCommit.KEY, afterCommit))
                .flatMap(value -> committed(afterCommit).thenReturn(value))
                .switchIfEmpty(Mono.defer(() -> committed(afterCommit)).then(Mono.empty()));
    }

    private <T> Flux<T> transactionalThenAfterCommit(Flux<T> work) {
        AfterCommit afterCommit = new AfterCommit();
        return transactional(work)
                .contextWrite(context -> context.put(AfterCommit.KEY, afterCommit))
                .concatWith(Mono.defer(() -> committed(afterCommit)).then(Mono.empty()));
    }

    private Mono<Void> committed(AfterCommit afterCommit) {
        return Mono.deferContextual(context -> SafeRequest.in(context) || listeners.isEmpty()
                        ? Mono.<Void>empty()
                        : Flux.fromIterable(afterCommit.tenants())
                                .flatMap(tenant -> Flux.fromIterable(listeners)
                                        .flatMap(listener -> listener.tenantChanged(tenant)))
                                .then())
                .then(Mono.defer(afterCommit::run));
    }

    private <T> Mono<T> transactional(Mono<T> work) {
        return applySettings()
                .then(work)
                .as(transactionalOperator::transactional);
    }

    private <T> Flux<T> transactional(Flux<T> work) {
        return applySettings()
                .thenMany(work)
                .as(transactionalOperator::transactional);
    }

    /**
     * Within a transaction started for a user without a tenant: from here on the transaction acts in
     * {@code tenantId} (sign-up checks the person's workspaces first, then creates the new one).
     */
    public Mono<Void> enterTenant(UUID tenantId) {
        return actedIn(tenantId).then(databaseClient.sql("select set_config('app.tenant_id', $1, true)")
                .bind(0, tenantId.toString())
                .fetch()
                .all()
                .then());
    }

    private static Mono<Void> actedIn(UUID tenantId) {
        return Mono.deferContextual(context -> {
            context.<AfterCommit>getOrEmpty(AfterCommit.KEY).ifPresent(pending -> pending.actedIn(tenantId));
            return Mono.empty();
        });
    }

    private Mono<Void> applySettings() {
        return Mono.deferContextual(context -> applySettings(TenantContext.from(context), SafeRequest.in(context)));
    }

    private Mono<Void> applySettings(TenantContext context, boolean safe) {
        Mono<Void> settings = databaseClient.sql(SET_SETTINGS)
                .bind(0, context.tenantId().map(UUID::toString).orElse(""))
                .bind(1, context.userId().orElse(""))
                .bind(2, context.reviewer() ? "on" : "")
                .bind(3, safe ? "on" : "")
                .fetch()
                .all()
                // read the result to its end: cancelling a query midway (first()) leaves the driver draining
                // the connection while the transaction goes on
                .then();
        return Mono.justOrEmpty(context.tenantId()).flatMap(TenantTransactions::actedIn).then(settings);
    }
}
