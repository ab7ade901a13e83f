package dev.miniplatform.api.walletapi;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes the change feed, inside the tenant transaction of every change a wallet can see (told by
 * {@link WalletChangeListener}): the feed row then exists exactly when the change does.
 */
@Component
class CatalogChanges {

    private final DatabaseClient database;

    CatalogChanges(DatabaseClient database) {
        this.database = database;
    }

    /** Records the mini program's current state on every target it was released to; {@code removed} for deletion. */
    Mono<Void> touched(String appId, boolean removed) {
        return database.sql("select app_catalog_touch($1, $2) as written")
                .bind(0, appId)
                .bind(1, removed)
                .fetch()
                .all()
                .then();
    }

    /**
     * The tenant's workspace is closing: every mini program of it leaves every wallet (a REMOVE on each target it
     * was released to). Wallet reads already refuse a closed workspace's releases (V19); these rows tell mirrors and
     * every node's caches (through the change-feed follower).
     */
    Mono<Void> workspaceClosed() {
        return database.sql("select app_catalog_touch(m.app_id, true) as written from mini_programs m "
                        + "where m.tenant_id = app_current_tenant()")
                .fetch()
                .all()
                .then();
    }
}
