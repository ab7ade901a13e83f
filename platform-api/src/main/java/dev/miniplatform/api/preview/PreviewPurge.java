package dev.miniplatform.api.preview;

import dev.miniplatform.infra.polling.PollingLoop;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Deletes expired previews every {@code platform.preview.purge-interval}, on every node (deleting twice is harmless:
 * the second finds nothing). Their packages go with them unless a version or another preview uses the same bytes
 * (V30's trigger), which gives the bytes back to the workspace's storage quota. Expired previews stop working at
 * their expiry whatever this loop does: every read checks the time itself; the loop only frees the space.
 * <p>
 * {@code expired_preview_tenants} (V30) names the workspaces with expired previews; each is purged in its own
 * transaction under its row-level security, at most {@value #TENANTS_PER_ROUND} per round.
 */
@Component
class PreviewPurge extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(PreviewPurge.class);
    private static final int TENANTS_PER_ROUND = 100;

    private final DatabaseClient database;
    private final TenantTransactions transactions;
    private final PreviewProperties properties;
    private final Clock clock;

    PreviewPurge(DatabaseClient database, TenantTransactions transactions, PreviewProperties properties, Clock clock) {
        this.database = database;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** One round; the number of previews deleted. */
    Mono<Long> runOnce() {
        Instant now = clock.instant();
        return database.sql("select expired_preview_tenants($1, $2) as tenant_id")
                .bind(0, now)
                .bind(1, TENANTS_PER_ROUND)
                .map(row -> row.get("tenant_id", UUID.class))
                .all()
                .concatMap(tenant -> purge(tenant, now))
                .reduce(0L, Long::sum);
    }

    private Mono<Long> purge(UUID tenant, Instant now) {
        return transactions.inTransaction(database.sql("delete from previews where expires_at <= $1")
                        .bind(0, now)
                        .fetch()
                        .rowsUpdated())
                .contextWrite(TenantContext.forTenant(tenant, null));
    }

    @Override
    protected boolean enabled() {
        return properties.purgeEnabled();
    }

    @Override
    protected Flux<Long> work() {
        return every(properties.purgeInterval(), this::runOnce, failure ->
                log.warn("Preview purge failed; the next round retries: {}", failure.toString()));
    }
}
