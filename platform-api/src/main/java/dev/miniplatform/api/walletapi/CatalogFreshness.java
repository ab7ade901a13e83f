package dev.miniplatform.api.walletapi;

import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a replica must have replayed before its answer may fill the catalog cache: the WAL position of the last change
 * of the mini program this node has been told of (by its own commit, pub/sub or the change feed), and, for changes
 * made before this node started following the feed, the primary's position at that start. A cache miss reads the
 * replica only when it has replayed that much ({@link CatalogStore#document}); otherwise the primary. So a change
 * committed on the primary, invalidated on every node, then read back from a replica that has not replayed it yet,
 * never refills a cache with the old document.
 * <p>
 * Striped by app id like {@link CatalogCache}'s generations: another mini program's change in the same stripe merely
 * sends a read to the primary. {@link #changed} must run before the cache's invalidation bumps its generation, so a
 * load that sees the new generation also sees the new requirement.
 */
@Component
class CatalogFreshness {

    private static final long NOT_FOLLOWING = -1;

    private final boolean caching;
    private final AtomicLongArray required = new AtomicLongArray(1024);
    private volatile long floor = NOT_FOLLOWING;

    CatalogFreshness(WalletProperties properties) {
        this.caching = properties.cache().enabled();
    }

    /** This node hears of every change committed after the primary was at {@code position}. */
    void followingFrom(Lsn position) {
        floor = Math.max(floor, position.position());
    }

    /** A change of the mini program was committed at or before {@code position}. */
    void changed(String appId, Lsn position) {
        required.accumulateAndGet(stripe(appId), position.position(), Math::max);
    }

    /**
     * What a document read for the cache requires of a replica. Without a cache (the benchmark's baseline) nothing
     * is refilled, and a replica read is only bounded by the replica's lag; before this node follows the feed, only
     * the primary will do.
     */
    Lsn required(String appId) {
        if (!caching) {
            return Lsn.ZERO;
        }
        long start = floor;
        if (start == NOT_FOLLOWING) {
            return Lsn.UNREACHABLE;
        }
        return new Lsn(Math.max(start, required.get(stripe(appId))));
    }

    private int stripe(String appId) {
        return Math.floorMod(appId.hashCode(), required.length());
    }
}
