package dev.miniplatform.api.walletapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.validation.Validation;
import io.r2dbc.spi.Readable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The list and the change feed, straight from PostgreSQL under the wallet's row-level
 * security. Both the list and the feed read a bounded page per request: the list pages by a bounded offset over an
 * indexed order, the feed by its cursor, so a catalog of any size is never loaded at once.
 * <p>
 * Both read the replica when it is usable ({@link WalletTransactions#read}): nothing of theirs is cached, so its lag
 * (at most {@code platform.wallet.replica.max-lag}) is all they can be behind. The feed never skips a change on a
 * replica either, nor when a wallet's pages alternate between replica and primary: its fence
 * ({@code tx < pg_snapshot_xmin(pg_current_snapshot())}) holds on a hot standby, whose snapshots count as running
 * every transaction whose end it has not replayed, so no row that sorts before a cursor handed out by either server can
 * appear on any of them later ({@link ChangeCursor}). A lagging replica only answers fewer rows, and the cursor stays
 * where it was.
 */
@Component
class CatalogQueries {

    /** Deeper than this, the list answers 400 and points to the change feed, which pages without an offset. */
    static final int MAX_OFFSET = 10_000;

    private static final Map<String, String> SORTS = Map.of(
            "appId", "m.app_id asc",
            "name", "l.name asc, m.app_id asc",
            "publishedAt", "live.published_at desc, m.app_id asc",
            "createdAt", "m.created_at desc, m.app_id asc");

    private static final List<String> STATUSES = List.of("FULL_RELEASE", "GRAYSCALE", "PILOT_TESTING");

    private static final String LIST = """
            with live as (
                select r.tenant_id, r.app_id,
                       case max(case r.state when 'FULL_RELEASE' then 3 when 'GRAYSCALE' then 2 else 1 end)
                           when 3 then 'FULL_RELEASE' when 2 then 'GRAYSCALE' else 'PILOT_TESTING' end as status,
                       max(r.version) filter (where r.state = 'FULL_RELEASE') as version,
                       coalesce(max(r.full_released_at), max(r.updated_at)) as published_at
                  from releases r
                 where r.wallet_id = :wallet and r.environment = :environment
                   and r.state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE')
                 group by r.tenant_id, r.app_id)
            select m.app_id, m.default_language, m.industry, m.logo_sha256, m.created_at, l.name, l.tagline,
                   live.status, live.version, live.published_at
              from live
              join mini_programs m on m.tenant_id = live.tenant_id and m.app_id = live.app_id
              join mini_program_localizations l
                on l.tenant_id = m.tenant_id and l.app_id = m.app_id and l.language = m.default_language
             where (:q = '' or exists (select 1 from mini_program_localizations x
                                        where x.tenant_id = m.tenant_id and x.app_id = m.app_id
                                          and (x.name ilike :q or x.tagline ilike :q)))
               and (:industry = '' or m.industry = :industry or m.industry like :industry || '.%')
               and (:status = '' or live.status = :status)
             order by {order}
             limit :limit offset :offset
            """;

    private static final String CHANGES = """
            select tx::text as tx, seq, app_id, kind, version, occurred_at from catalog_changes
             where wallet_id = $1 and environment = $2
               and (tx, seq) > ($3::xid8, $4) and tx < pg_snapshot_xmin(pg_current_snapshot())
             order by tx, seq
             limit $5
            """;

    private final WalletTransactions transactions;

    CatalogQueries(WalletTransactions transactions) {
        this.transactions = transactions;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListItem(String appId, String language, String name, String tagline, String industry, String logoUrl,
                    String status, String version, Instant publishedAt, Instant createdAt) {
    }

    record ListPage(List<ListItem> items, int page, int size, boolean hasMore) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Change(String appId, String kind, String version, Instant occurredAt) {
    }

    record ChangePage(List<Change> changes, String next, boolean hasMore) {
    }

    Mono<ListPage> list(UUID walletId, ListRequest request) {
        Validation validation = new Validation();
        String sort = request.sort() == null || request.sort().isEmpty() ? "appId" : request.sort();
        if (!SORTS.containsKey(sort)) {
            validation.reject("sort", "unknown", "one of appId, name, publishedAt, createdAt");
        }
        String status = request.status() == null ? "" : request.status().toUpperCase(Locale.ROOT);
        if (!status.isEmpty() && !STATUSES.contains(status)) {
            validation.reject("status", "unknown", "one of FULL_RELEASE, GRAYSCALE, PILOT_TESTING");
        }
        int page = request.page() == null ? 0 : request.page();
        int size = request.size() == null ? 20 : request.size();
        if (page < 0) {
            validation.reject("page", "range", "0 or more");
        }
        if (size < 1 || size > 100) {
            validation.reject("size", "range", "1 to 100");
        }
        if ((long) page * size > MAX_OFFSET) {
            validation.reject("page", "range", "page × size may not pass " + MAX_OFFSET
                    + "; mirror the catalog with GET /wallet/v1/changes instead");
        }
        String q = request.q() == null ? "" : request.q().trim();
        if (q.length() > 100) {
            validation.reject("q", "length", "at most 100 characters");
        }
        Environment environment = validation.attempt(() -> WalletCatalogService.environment(request.environment()));
        validation.throwIfInvalid();
        String pattern = q.isEmpty() ? "" : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String industry = request.industry() == null ? "" : request.industry();
        return transactions.read(walletId, Lsn.ZERO, database -> database.sql(LIST.replace("{order}", SORTS.get(sort)))
                        .bind("wallet", walletId)
                        .bind("environment", environment.name())
                        .bind("q", pattern)
                        .bind("industry", industry)
                        .bind("status", status)
                        .bind("limit", size + 1)
                        .bind("offset", page * size)
                        .map(CatalogQueries::item)
                        .all()
                        .collectList())
                .map(items -> new ListPage(items.subList(0, Math.min(size, items.size())), page, size, items.size() > size));
    }

    private static ListItem item(Readable row) {
        String logo = row.get("logo_sha256", String.class);
        return new ListItem(row.get("app_id", String.class), row.get("default_language", String.class),
                row.get("name", String.class), row.get("tagline", String.class), row.get("industry", String.class),
                logo == null ? null : WalletPaths.logo(logo), row.get("status", String.class),
                row.get("version", String.class), CatalogStore.instant(row, "published_at"),
                CatalogStore.instant(row, "created_at"));
    }

    Mono<ChangePage> changes(UUID walletId, Environment environment, ChangeCursor since, int limit) {
        record Row(ChangeCursor cursor, Change change) {
        }
        return transactions.read(walletId, Lsn.ZERO, database -> database.sql(CHANGES)
                        .bind(0, walletId)
                        .bind(1, environment.name())
                        .bind(2, since.tx())
                        .bind(3, since.seq())
                        .bind(4, limit + 1)
                        .map(row -> new Row(new ChangeCursor(row.get("tx", String.class), row.get("seq", Long.class)),
                                new Change(row.get("app_id", String.class), row.get("kind", String.class),
                                        row.get("version", String.class), CatalogStore.instant(row, "occurred_at"))))
                        .all()
                        .collectList())
                .map(rows -> {
                    List<Row> page = rows.subList(0, Math.min(limit, rows.size()));
                    ChangeCursor next = page.isEmpty() ? since : page.getLast().cursor();
                    return new ChangePage(page.stream().map(Row::change).toList(), next.encode(), rows.size() > limit);
                });
    }
}
