package dev.miniplatform.api.walletapi;

import dev.miniplatform.infra.polling.PollingLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The PostgreSQL streaming replica the wallet path may read ({@code platform.wallet.replica.*}), and whether it may
 * now: every {@code probeInterval} each node asks the primary for its WAL position and the replica for what it has
 * replayed ({@link ReplicaLag}); the replica is read while it answers, is in recovery and lags at most
 * {@code maxLag}. A read that fails on it marks it unusable until the next probe succeeds. Whether one answer of it is
 * new enough for the cache is decided per read ({@link WalletTransactions#read}, {@link CatalogFreshness}).
 * <p>
 * The replica's connections are a pool of this component's own, not a {@code ConnectionFactory} bean: the
 * application's one connection factory (the primary's, auto-configured) stays the only one everything else sees.
 */
@Component
class CatalogReplica extends PollingLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatalogReplica.class);

    private static final String PRIMARY_POSITION = "select pg_current_wal_flush_lsn()::text as lsn";
    private static final String INSERT_POSITION = "select pg_current_wal_insert_lsn()::text as lsn";
    private static final String REPLAYED = """
            select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as lsn""";

    private final WalletProperties.Replica settings;
    private final DatabaseClient primary;
    private final ConnectionPool pool;
    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final ReplicaLag lag = new ReplicaLag();
    private volatile Duration lastLag = Duration.ZERO;
    private volatile boolean usable;

    CatalogReplica(WalletProperties properties, R2dbcProperties primaryProperties, DatabaseClient primary,
                   MeterRegistry meters) {
        this.settings = properties.replica();
        this.primary = primary;
        if (settings.configured()) {
            this.pool = pool(settings, primaryProperties);
            this.database = DatabaseClient.create(pool);
            DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
            // a hot standby refuses "BEGIN READ WRITE"; read-only is also what every wallet read is
            readOnly.setReadOnly(true);
            this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(pool), readOnly);
            Gauge.builder("platform.wallet.replica.lag", this, replica -> replica.lastLag.toMillis() / 1000.0)
                    .description("how long ago the primary wrote WAL the wallet path's replica has not replayed")
                    .baseUnit("seconds")
                    .register(meters);
            Gauge.builder("platform.wallet.replica.usable", this, replica -> replica.usable ? 1 : 0)
                    .register(meters);
        } else {
            this.pool = null;
            this.database = null;
            this.transactions = null;
        }
    }

    private static ConnectionPool pool(WalletProperties.Replica settings, R2dbcProperties primary) {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(settings.url()).mutate()
                .option(ConnectionFactoryOptions.USER, settings.username() != null ? settings.username() : primary.getUsername())
                .option(ConnectionFactoryOptions.PASSWORD, settings.password() != null ? settings.password() : primary.getPassword())
                .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, settings.timeout())
                .build();
        return new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(options))
                .name("wallet-replica")
                .initialSize(0)
                .maxSize(settings.poolSize())
                .maxAcquireTime(settings.timeout())
                .build());
    }

    boolean configured() {
        return pool != null;
    }

    /** Whether a wallet read may try the replica now. */
    boolean usable() {
        return usable;
    }

    Duration lag() {
        return lastLag;
    }

    DatabaseClient database() {
        return database;
    }

    TransactionalOperator transactions() {
        return transactions;
    }

    Duration timeout() {
        return settings.timeout();
    }

    /**
     * For the invalidation of a change that just committed: a WAL position at or after its commit, the primary's
     * insert position now (insert, not write or flush: a batch item's commit does not wait for the flush, decision
     * 135, so it can be visible before its WAL is written). {@link Lsn#ZERO} without a replica (no query), and when
     * the primary does not answer: the follower brings a position within one interval.
     */
    Mono<Lsn> positionAfterCommit() {
        if (!configured()) {
            return Mono.just(Lsn.ZERO);
        }
        return primary.sql(INSERT_POSITION)
                .map(row -> Lsn.parse(row.get("lsn", String.class)))
                .one()
                .timeout(settings.timeout())
                .onErrorResume(failure -> {
                    log.debug("could not read the WAL position of a change: {}", failure.toString());
                    return Mono.just(Lsn.ZERO);
                });
    }

    /** A read failed on the replica (it was answered by the primary): no more tries until a probe succeeds. */
    void failed(Throwable failure) {
        if (usable) {
            log.warn("wallet reads go to the primary: the replica failed a read ({})", failure.toString());
        }
        usable = false;
    }

    @Override
    protected boolean enabled() {
        return configured();
    }

    @Override
    protected Flux<?> work() {
        return every(settings.probeInterval(), this::probe, failure -> {
            if (usable) {
                log.warn("wallet reads go to the primary: the replica does not answer ({})", failure.toString());
            }
            usable = false;
        });
    }

    /** One measurement; the primary is asked first, so the replica's answer is at least as recent. */
    Mono<Boolean> probe() {
        return primary.sql(PRIMARY_POSITION)
                .map(row -> Lsn.parse(row.get("lsn", String.class)))
                .one()
                .zipWhen(position -> database.sql(REPLAYED)
                        .map(row -> new Replayed(Boolean.TRUE.equals(row.get("recovering", Boolean.class)),
                                row.get("lsn", String.class)))
                        .one()
                        .timeout(settings.timeout()))
                .map(positions -> judge(positions.getT1(), positions.getT2()));
    }

    private record Replayed(boolean recovering, String lsn) {
    }

    private boolean judge(Lsn primaryPosition, Replayed replayed) {
        if (!replayed.recovering() || replayed.lsn() == null) {
            if (usable || lastLag.isZero()) {
                log.warn("wallet reads go to the primary: {} is not a standby in recovery", settings.url());
            }
            lastLag = Duration.ofDays(1);
            usable = false;
            return false;
        }
        lastLag = lag.observe(System.nanoTime(), primaryPosition, Lsn.parse(replayed.lsn()));
        boolean now = lastLag.compareTo(settings.maxLag()) <= 0;
        if (now != usable) {
            log.info(now ? "wallet reads use the replica again (lag {} ms)" : "wallet reads go to the primary: the replica lags {} ms",
                    lastLag.toMillis());
        }
        usable = now;
        return now;
    }

    @Override
    public void destroy() {
        if (pool != null) {
            pool.dispose();
        }
    }
}
