package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.change.MiniProgramChangeListener;
import dev.miniplatform.api.change.MiniProgramChanged;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The wallet API's side of {@link MiniProgramChanged}: the feed row in the change's transaction
 * ({@link CatalogChanges}), every node's cache entry dropped after the commit ({@link CatalogInvalidation}).
 * A closed workspace is invalidated by the follower alone, as before: wallet reads already refuse its releases
 * (V19), and its rows reach every node within one follow interval.
 */
@Component
class WalletChangeListener implements MiniProgramChangeListener {

    private final CatalogChanges feed;
    private final CatalogInvalidation invalidation;

    WalletChangeListener(CatalogChanges feed, CatalogInvalidation invalidation) {
        this.feed = feed;
        this.invalidation = invalidation;
    }

    @Override
    public Mono<Void> inTransaction(MiniProgramChanged change) {
        return switch (change.kind()) {
            case MODIFIED -> feed.touched(change.appId(), false);
            case REMOVED -> feed.touched(change.appId(), true);
            case WORKSPACE_CLOSED -> feed.workspaceClosed();
        };
    }

    @Override
    public Mono<Void> committed(MiniProgramChanged change) {
        return change.kind() == MiniProgramChanged.Kind.WORKSPACE_CLOSED
                ? Mono.empty()
                : invalidation.changed(change.appId());
    }
}
