package dev.miniplatform.walletsdk;

import java.time.Instant;
import java.util.List;

/** One page of {@code GET /wallet/v1/mini-programs}; ask for {@code page + 1} while {@code hasMore}. */
public record ListPage(List<Item> items, int page, int size, boolean hasMore) {

    public ListPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** A released mini program as the list shows it (no package or per-user version: use get for that). */
    public record Item(String appId, String language, String name, String tagline, String industry, String logoUrl,
                       String status, String version, Instant publishedAt, Instant createdAt) {
    }
}
