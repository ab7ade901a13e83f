package dev.miniplatform.walletsdk;

import java.time.Instant;
import java.util.List;

/**
 * One page of the change feed, {@code GET /wallet/v1/changes}: follow {@code next} (an opaque cursor) while
 * {@code hasMore}; keep the last {@code next} to continue later.
 */
public record ChangePage(List<Change> changes, String next, boolean hasMore) {

    public ChangePage {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** {@code kind} is {@code UPSERT} (read the mini program again) or {@code REMOVE} (nothing live any more). */
    public record Change(String appId, String kind, String version, Instant occurredAt) {

        public boolean isRemove() {
            return "REMOVE".equals(kind);
        }
    }
}
