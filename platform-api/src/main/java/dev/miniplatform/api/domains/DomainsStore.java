package dev.miniplatform.api.domains;

import dev.miniplatform.model.domains.DomainList;
import dev.miniplatform.model.domains.ServerDomains;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code mini_program_domains} row of a mini program (V29), in the caller's tenant transaction. Raw SQL for the
 * two things a repository would hide: the JSON column and the insert-or-update that only succeeds at the expected
 * revision.
 */
@Component
class DomainsStore {

    private static final TypeReference<Map<String, List<String>>> LISTS = new TypeReference<>() {
    };

    private final DatabaseClient database;
    private final JsonMapper json;

    DomainsStore(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** What is saved; revision 0 and five empty lists while nothing is. */
    record Saved(ServerDomains domains, long revision, Instant updatedAt) {

        static final Saved NOTHING = new Saved(ServerDomains.NONE, 0, null);

        DomainsView view(String appId) {
            return DomainsView.of(appId, domains, revision, updatedAt);
        }
    }

    /** @param forUpdate lock the row until the transaction ends (before a replace compares revisions) */
    Mono<Saved> find(String appId, boolean forUpdate) {
        return database.sql("select lists::text as lists, revision, updated_at from mini_program_domains where app_id = $1"
                        + (forUpdate ? " for update" : ""))
                .bind(0, appId)
                .map(this::saved)
                .one()
                .defaultIfEmpty(Saved.NOTHING);
    }

    /**
     * Writes the lists as revision {@code expected + 1}, or nothing (empty) when the row is no longer at
     * {@code expected}: two first saves at the same moment cannot both insert.
     */
    Mono<Saved> write(UUID tenantId, String appId, ServerDomains domains, long expected, String by, Instant at) {
        return database.sql("""
                        insert into mini_program_domains as d (tenant_id, app_id, lists, revision, updated_by, updated_at)
                        values ($1, $2, $3::jsonb, $4 + 1, $5, $6)
                        on conflict (tenant_id, app_id) do update
                           set lists = excluded.lists, revision = excluded.revision,
                               updated_by = excluded.updated_by, updated_at = excluded.updated_at
                         where d.revision = $4
                        returning lists::text as lists, revision, updated_at""")
                .bind(0, tenantId)
                .bind(1, appId)
                .bind(2, json.writeValueAsString(domains.byField()))
                .bind(3, expected)
                .bind(4, by)
                .bind(5, at)
                .map(this::saved)
                .one();
    }

    private Saved saved(Readable row) {
        Map<String, List<String>> byField = json.readValue(row.get("lists", String.class), LISTS);
        Map<DomainList, List<String>> lists = new EnumMap<>(DomainList.class);
        for (DomainList list : DomainList.values()) {
            lists.put(list, byField.getOrDefault(list.field(), List.of()));
        }
        OffsetDateTime updatedAt = row.get("updated_at", OffsetDateTime.class);
        return new Saved(ServerDomains.stored(lists), row.get("revision", Long.class),
                updatedAt == null ? null : updatedAt.toInstant());
    }
}
