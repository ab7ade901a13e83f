package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.domains.DomainList;
import dev.miniplatform.model.release.Environment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wallet read path's SQL, in one place. Every query runs under the wallet's row-level security
 * ({@link WalletTransactions}), so a forgotten condition cannot show another wallet's catalog; the explicit
 * wallet and environment conditions are there for the indexes.
 */
@Component
class CatalogStore {

    /**
     * A version's ext config exactly as the wallet downloads it (UTF-8 of the stored JSON text), and its SHA-256.
     * Both are computed by PostgreSQL from the same expression, so the hash in the metadata and the bytes of the
     * download cannot disagree, whatever the connection's encoding.
     */
    static final String EXT_CONFIG_BYTES = "convert_to(v.ext_config, 'UTF8')";
    static final String EXT_CONFIG_SHA256 = "encode(sha256(" + EXT_CONFIG_BYTES + "), 'hex')";

    private static final String DOCUMENT = """
            select m.tenant_id, m.app_id, m.default_language, m.industry, m.service_phone, m.service_email,
                   m.logo_sha256, m.created_at, m.updated_at,
                   (select json_agg(json_build_array(l.language, l.name, l.tagline, l.description))
                      from mini_program_localizations l
                     where l.tenant_id = m.tenant_id and l.app_id = m.app_id) as texts,
                   (select json_agg(json_build_array(r.version, r.state, r.gray_percent, r.pilot_user_ids, v.sha256,
                                                     r.updated_at, {extConfigSha256}, r.domains))
                      from releases r
                      join mini_program_versions v
                        on v.tenant_id = r.tenant_id and v.app_id = r.app_id and v.version = r.version
                     where r.tenant_id = m.tenant_id and r.app_id = m.app_id and r.wallet_id = $2
                       and r.environment = $3
                       and r.state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE')) as releases
              from mini_programs m
             where m.app_id = $1
            """.replace("{extConfigSha256}", EXT_CONFIG_SHA256);

    private static final TypeReference<List<List<Object>>> ROWS = new TypeReference<>() {
    };

    private final WalletTransactions transactions;
    private final CatalogFreshness freshness;
    private final JsonMapper json;
    private final Counter loads;
    private final AtomicLong loadCount = new AtomicLong();

    CatalogStore(WalletTransactions transactions, CatalogFreshness freshness, JsonMapper json, MeterRegistry meters) {
        this.transactions = transactions;
        this.freshness = freshness;
        this.json = json;
        this.loads = Counter.builder("platform.wallet.catalog.database.loads")
                .description("mini program documents read from PostgreSQL by the wallet API")
                .register(meters);
    }

    /**
     * The document of one mini program on one target, or empty when nothing is live there for this wallet. Read from
     * the replica when it has replayed every change of the mini program this node knows of, else from the primary.
     */
    Mono<CatalogDocument> document(UUID walletId, Environment environment, String appId) {
        return Mono.defer(() -> {
                    loads.increment();
                    loadCount.incrementAndGet();
                    return transactions.read(walletId, freshness.required(appId),
                            database -> document(database, walletId, environment, appId));
                });
    }

    private Mono<CatalogDocument> document(DatabaseClient database, UUID walletId, Environment environment, String appId) {
        return database.sql(DOCUMENT)
                .bind(0, appId)
                .bind(1, walletId)
                .bind(2, environment.name())
                .map(this::document)
                .all()
                .collectList()
                .flatMap(rows -> Mono.justOrEmpty(rows.stream()
                        .filter(document -> !document.releases().isEmpty())
                        .findFirst()));
    }

    /** How many documents this node has read from PostgreSQL: what single-flight tests count. */
    long loadCount() {
        return loadCount.get();
    }

    private CatalogDocument document(Readable row) {
        List<List<Object>> texts = rows(row.get("texts", String.class));
        Map<String, CatalogDocument.Texts> byLanguage = new LinkedHashMap<>();
        String defaultLanguage = row.get("default_language", String.class);
        List<String> languages = new ArrayList<>();
        languages.add(defaultLanguage);
        for (List<Object> text : texts) {
            String language = (String) text.get(0);
            byLanguage.put(language, new CatalogDocument.Texts((String) text.get(1), (String) text.get(2), (String) text.get(3)));
            if (!language.equals(defaultLanguage)) {
                languages.add(language);
            }
        }
        List<CatalogDocument.LiveRelease> releases = rows(row.get("releases", String.class)).stream()
                .map(CatalogStore::release)
                .toList();
        return new CatalogDocument(row.get("tenant_id", UUID.class), row.get("app_id", String.class), defaultLanguage,
                List.copyOf(languages), byLanguage, row.get("logo_sha256", String.class), row.get("industry", String.class),
                row.get("service_phone", String.class), row.get("service_email", String.class),
                instant(row, "created_at"), instant(row, "updated_at"), releases);
    }

    private static CatalogDocument.LiveRelease release(List<Object> values) {
        Integer percent = values.get(2) == null ? null : ((Number) values.get(2)).intValue();
        String pilot = (String) values.get(3);
        Set<String> pilotUsers = pilot == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(pilot.split("\n")));
        return new CatalogDocument.LiveRelease((String) values.get(0), (String) values.get(1), percent, pilotUsers,
                (String) values.get(4), OffsetDateTime.parse((String) values.get(5)).toInstant(), (String) values.get(6),
                domains(values.get(7)));
    }

    /** All five lists, in their order, whatever the release's copy holds (nothing, before V29). */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> domains(Object copied) {
        Map<String, Object> lists = copied instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        Map<String, List<String>> domains = new LinkedHashMap<>();
        for (DomainList list : DomainList.values()) {
            Object entries = lists.get(list.field());
            domains.put(list.field(), entries instanceof List<?> values
                    ? values.stream().map(String::valueOf).toList() : List.of());
        }
        return domains;
    }

    private List<List<Object>> rows(String raw) {
        return raw == null ? List.of() : json.readValue(raw, ROWS);
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
