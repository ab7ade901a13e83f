package dev.miniplatform.api.cikey;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.infra.effects.Effect;
import dev.miniplatform.infra.effects.PendingEffects;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Creates, lists, rotates and revokes a workspace's CI keys (owner and master only). Keycloak is called outside any
 * transaction: a key's client is created (or its secret regenerated) first, then the row is written; a row that
 * cannot be written undoes the client. A revocation is the row's, at once; the client's removal is queued after it.
 */
@Service
public class CiKeyService {

    static final int MAX_LIVE_KEYS = 20;
    static final int MAX_APPS = 50;
    private static final int MAX_NAME = 64;
    private static final String TARGET = "ci-key";
    private static final String COLUMNS = """
            tenant_id, id, name, client_id, app_ids, allow_submit, allowed_sources, created_by, created_at, not_before,
            revoked_at, revoked_by""";

    private final TenantScope scope;
    private final DatabaseClient database;
    private final KeycloakAdmin keycloak;
    private final KeycloakProperties keycloakProperties;
    private final PendingEffects effects;
    private final AuditLog audit;
    private final Clock clock;

    CiKeyService(TenantScope scope, DatabaseClient database, KeycloakAdmin keycloak, KeycloakProperties keycloakProperties,
                 PendingEffects effects, AuditLog audit, Clock clock) {
        this.scope = scope;
        this.database = database;
        this.keycloak = keycloak;
        this.keycloakProperties = keycloakProperties;
        this.effects = effects;
        this.audit = audit;
        this.clock = clock;
    }

    /** What was checked before Keycloak is asked for a client. */
    private record Checked(String name, List<String> appIds, boolean allowSubmit, List<String> allowedSources) {
    }

    Mono<CiKeyView> create(String tenantId, CiKeyRequest request) {
        UUID id = UUID.randomUUID();
        return scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                        .then(requireRoom())
                        .then(Mono.defer(() -> validated(request))))
                .flatMap(checked -> {
                    UUID workspace = UUID.fromString(tenantId);
                    String clientId = clientIdFor(checked.name());
                    return keycloak.registerCiKeyClient(clientId, "CI key " + checked.name() + " of workspace " + workspace,
                                    id.toString(), workspace.toString())
                            .flatMap(secret -> scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                                            .then(lockKeys(access))
                                            .then(requireRoom())
                                            .then(insert(access, id, clientId, checked)))
                                    .map(saved -> saved.withSecret(secret, tokenUrl()))
                                    .onErrorResume(failure -> keycloak.removeClient(clientId)
                                            .onErrorResume(undo -> Mono.empty())
                                            .then(Mono.error(failure))));
                });
    }

    Flux<CiKeyView> list(String tenantId) {
        return scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                        .thenMany(database.sql("select " + COLUMNS + " from ci_keys order by revoked_at is not null, created_at desc")
                                .map(CiKeyService::view)
                                .all())
                        .collectList())
                .flatMapIterable(keys -> keys);
    }

    /**
     * A new secret: the old one stops working at Keycloak at once, and tokens issued with it before now are refused
     * from the next request on (to the second: a token's issue time has no finer grain).
     */
    Mono<CiKeyView> rotate(String tenantId, String keyId) {
        return scope.run(tenantId, access -> Mono.fromCallable(access::requireManager).then(live(keyId, false)))
                .flatMap(key -> keycloak.regenerateSecret(key.clientId())
                        .flatMap(secret -> scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                                        .then(live(keyId, true))
                                        .flatMap(current -> rotated(access, current)))
                                .map(saved -> saved.withSecret(secret, tokenUrl()))));
    }

    /** Revokes the key from the next request on; revoking a revoked key changes nothing. */
    Mono<Void> revoke(String tenantId, String keyId) {
        return scope.run(tenantId, access -> Mono.fromCallable(access::requireManager)
                .then(find(keyId, true))
                .flatMap(key -> key.revokedAt() != null ? Mono.empty() : revoked(access, key)));
    }

    /**
     * Revokes every key of a workspace that is closing, inside the closing transaction: nobody can enter the workspace
     * afterwards anyway, and the keys' clients are removed from Keycloak after it commits.
     */
    public Mono<Void> revokeAll(Access access) {
        return database.sql("select " + COLUMNS + " from ci_keys where revoked_at is null for update")
                .map(CiKeyService::view)
                .all()
                .concatMap(key -> revoked(access, key))
                .then();
    }

    private Mono<Void> revoked(Access access, CiKeyView key) {
        Instant now = clock.instant();
        return database.sql("update ci_keys set revoked_at = $2, revoked_by = $3 where id = $1")
                .bind(0, key.id())
                .bind(1, now)
                .bind(2, access.actor())
                .fetch()
                .rowsUpdated()
                .then(effects.enqueue(CiKeyClientRemoval.of(access.tenantId(), key.clientId())))
                .then(audit.record(access.tenantId(), access.actor(), "ci-key.revoked", TARGET, key.id().toString(),
                        Map.of("name", key.name(), "clientId", key.clientId()), Map.of("revokedAt", now.toString())));
    }

    private Mono<CiKeyView> rotated(Access access, CiKeyView key) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return database.sql("update ci_keys set not_before = $2 where id = $1 returning " + COLUMNS)
                .bind(0, key.id())
                .bind(1, notBefore)
                .map(CiKeyService::view)
                .one()
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "ci-key.rotated", TARGET,
                                key.id().toString(), Map.of("notBefore", key.notBefore().toString()),
                                Map.of("notBefore", saved.notBefore().toString()))
                        .thenReturn(saved));
    }

    private Mono<CiKeyView> insert(Access access, UUID id, String clientId, Checked checked) {
        Instant now = clock.instant();
        return database.sql("""
                        insert into ci_keys (tenant_id, id, name, client_id, app_ids, allow_submit, allowed_sources,
                            created_by, created_at, not_before)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning\s""" + COLUMNS)
                .bind(0, access.tenantId())
                .bind(1, id)
                .bind(2, checked.name())
                .bind(3, clientId)
                .bind(4, checked.appIds().toArray(String[]::new))
                .bind(5, checked.allowSubmit())
                .bind(6, checked.allowedSources().toArray(String[]::new))
                .bind(7, access.actor())
                .bind(8, now)
                // a token carries its issue time in whole seconds: one issued in the second of creation counts
                .bind(9, now.truncatedTo(ChronoUnit.SECONDS))
                .map(CiKeyService::view)
                .one()
                .flatMap(saved -> audit.record(access.tenantId(), access.actor(), "ci-key.created", TARGET, id.toString(),
                                null, Map.of("name", saved.name(), "clientId", clientId, "appIds", saved.appIds(),
                                        "allowSubmit", saved.allowSubmit(), "allowedSources", saved.allowedSources()))
                        .thenReturn(saved));
    }

    /** Creations of one workspace take turns from here to commit, so the limit on live keys holds. */
    private Mono<Void> lockKeys(Access access) {
        return database.sql("select pg_advisory_xact_lock(hashtextextended('ci_keys:' || $1, 0)) as locked")
                .bind(0, access.tenantId().toString())
                .fetch()
                .all()
                .then();
    }

    private Mono<Void> requireRoom() {
        return database.sql("select count(*) as live from ci_keys where revoked_at is null")
                .map(row -> row.get("live", Long.class))
                .one()
                .filter(live -> live >= MAX_LIVE_KEYS)
                .flatMap(live -> Mono.error(new ConflictException(
                        "This workspace already has %d CI keys in force, the most allowed; revoke one first.".formatted(live))));
    }

    private Mono<CiKeyView> live(String keyId, boolean forUpdate) {
        return find(keyId, forUpdate)
                .filter(key -> key.revokedAt() == null)
                .switchIfEmpty(Mono.error(() -> new ConflictException("This CI key was revoked; create a new one.")));
    }

    private Mono<CiKeyView> find(String keyId, boolean forUpdate) {
        return Mono.justOrEmpty(TenantScope.parse(keyId))
                .flatMap(id -> database.sql("select " + COLUMNS + " from ci_keys where id = $1" + (forUpdate ? " for update" : ""))
                        .bind(0, id)
                        .map(CiKeyService::view)
                        .one())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("CI key")));
    }

    /** Checks every field, naming each that fails; the mini programs must be this workspace's. */
    private Mono<Checked> validated(CiKeyRequest request) {
        Validation validation = new Validation();
        if (request == null) {
            validation.reject("name", "required", "name the key, e.g. \"main branch deploys\"")
                    .reject("appIds", "required", "list the mini programs the key may upload and preview");
            validation.throwIfInvalid();
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            validation.reject("name", name.isEmpty() ? "required" : "invalid",
                    "1 to %d characters without control characters".formatted(MAX_NAME));
        }
        List<String> appIds = appIds(request.appIds(), validation);
        List<String> sources = SourceAddresses.parse(request.allowedSources(), "allowedSources", validation);
        boolean allowSubmit = Boolean.TRUE.equals(request.allowSubmit());
        if (validation.hasErrors() || appIds.isEmpty()) {
            validation.throwIfInvalid();
        }
        return database.sql("select app_id from mini_programs where app_id = any($1)")
                .bind(0, appIds.toArray(String[]::new))
                .map(row -> row.get("app_id", String.class))
                .all()
                .collect(Collectors.toSet())
                .map(found -> {
                    for (int i = 0; i < appIds.size(); i++) {
                        if (!found.contains(appIds.get(i))) {
                            validation.reject("appIds[%d]".formatted(i), "unknown", "no mini program of this workspace has this id");
                        }
                    }
                    validation.throwIfInvalid();
                    return new Checked(name, appIds, allowSubmit, sources);
                });
    }

    private static List<String> appIds(List<String> requested, Validation validation) {
        if (requested == null || requested.isEmpty()) {
            validation.reject("appIds", "required", "list the mini programs the key may upload and preview");
            return List.of();
        }
        if (requested.size() > MAX_APPS) {
            validation.reject("appIds", "too-many", "at most %d mini programs per key".formatted(MAX_APPS));
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String appId = requested.get(i);
            if (appId == null || appId.isBlank() || appId.length() > 64) {
                validation.reject("appIds[%d]".formatted(i), "invalid", "a mini program id of this workspace");
            } else {
                ids.add(appId.strip());
            }
        }
        return new ArrayList<>(ids);
    }

    private String clientIdFor(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        slug = slug.isEmpty() ? "key" : slug.substring(0, Math.min(slug.length(), 30)).replaceAll("-$", "");
        return keycloakProperties.ciKeyClientPrefix() + slug + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String tokenUrl() {
        return keycloakProperties.issuer() + "/protocol/openid-connect/token";
    }

    static CiKeyView view(Readable row) {
        return new CiKeyView(row.get("id", UUID.class), row.get("tenant_id", UUID.class), row.get("name", String.class),
                row.get("client_id", String.class), Arrays.asList(row.get("app_ids", String[].class)),
                Boolean.TRUE.equals(row.get("allow_submit", Boolean.class)),
                Arrays.asList(row.get("allowed_sources", String[].class)), row.get("created_by", String.class),
                row.get("created_at", Instant.class), row.get("not_before", Instant.class),
                row.get("revoked_at", Instant.class), row.get("revoked_by", String.class), null, null, null);
    }
}
