package dev.miniplatform.api.preview;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.KeyAction;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.miniprogram.MiniProgramLookup;
import dev.miniplatform.api.release.CodePackageStore;
import dev.miniplatform.api.release.CodePackages;
import dev.miniplatform.api.walletregistry.WalletService;
import dev.miniplatform.api.walletregistry.WalletView;
import dev.miniplatform.api.workspace.Quotas;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.wallet.DeepLinkScheme;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Previews of a mini program: a code package (the same limits, checks, storage and quota as a version's) for one
 * wallet, alive for {@code platform.preview.ttl}, opened through a ticket. Who may create, re-ticket and delete them
 * is who may upload versions: owner, master, the assigned developer, an ISV with {@code miniprogram:write}.
 * <p>
 * The raw ticket exists only in the answer that issues it, with its deep link and QR codes; the database keeps its
 * hash. A lost ticket is replaced by issuing a new one ({@link #reissue}), which also makes the caller the one whose
 * membership the ticket depends on.
 */
@Service
class PreviewService {

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final CodePackageStore packages;
    private final Quotas quotas;
    private final WalletService wallets;
    private final DatabaseClient database;
    private final AuditLog audit;
    private final QrCodes qrCodes;
    private final PreviewProperties properties;
    private final Clock clock;

    PreviewService(TenantScope scope, MiniProgramLookup lookup, CodePackageStore packages, Quotas quotas,
                   WalletService wallets, DatabaseClient database, AuditLog audit, QrCodes qrCodes,
                   PreviewProperties properties, Clock clock) {
        this.scope = scope;
        this.lookup = lookup;
        this.packages = packages;
        this.quotas = quotas;
        this.wallets = wallets;
        this.database = database;
        this.audit = audit;
        this.qrCodes = qrCodes;
        this.properties = properties;
        this.clock = clock;
    }

    /** A preview as listed: no ticket (only its hash is stored). */
    record PreviewView(UUID id, String appId, UUID wallet, String sha256, long size, String createdBy,
                       Instant createdAt, Instant expiresAt, Instant ticketExpiresAt) {
    }

    /**
     * The answer that issues a ticket: the only place the ticket, its deep link and its QR codes ever appear.
     *
     * @param deepLinks the deep link by wallet id (one wallet per preview; the map is the shape of DESIGN §7)
     * @param qrPng     a {@code data:image/png;base64,…} URL of the deep link's QR code
     * @param qrSvg     a {@code data:image/svg+xml;base64,…} URL of the same code
     */
    record IssuedPreview(UUID id, String appId, UUID wallet, String sha256, long size, Instant expiresAt,
                         String ticket, Instant ticketExpiresAt, String deepLink, Map<String, String> deepLinks,
                         String qrPng, String qrSvg) {
    }

    /** What a transaction decided; the QR codes are drawn after it committed, off the event loop. */
    private record Issued(PreviewView preview, PreviewTicket ticket, DeepLinkScheme scheme) {
    }

    /**
     * Before a byte of the upload is read: the wallet is registered, the caller may write this mini program, and the
     * workspace's storage is not used up (as {@code VersionService.checkUploadAllowed}). Returns the wallet.
     */
    Mono<WalletView> checkUploadAllowed(String tenantId, String appId, String wallet) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, KeyAction.PREVIEW, access -> lookup.visible(access, appId)
                        .then(quotas.requireStorageRoom(access.tenantId())))
                .then(registeredWallet(wallet));
    }

    private Mono<WalletView> registeredWallet(String wallet) {
        if (wallet == null || wallet.isBlank()) {
            return Mono.error(InvalidInputException.of("wallet", "required", "name the wallet to preview on (?wallet=<walletId>)"));
        }
        return Mono.justOrEmpty(TenantScope.parse(wallet))
                .flatMap(wallets::find)
                .switchIfEmpty(Mono.error(() -> InvalidInputException.of("wallet", "unknown", "no wallet is registered with this id")));
    }

    Mono<IssuedPreview> create(String tenantId, String appId, WalletView wallet, CodePackages.Received received) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.ttl());
        PreviewTicket ticket = PreviewTicket.issue();
        UUID id = UUID.randomUUID();
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, KeyAction.PREVIEW, access -> lookup.visible(access, appId)
                        .then(lockPreviewsOf(appId))
                        .then(requireRoom(appId, now))
                        .then(packages.store(access.tenantId(), received.sha256(), received.size(), received::content))
                        .then(insert(access, id, appId, wallet.id(), received, ticket, now, expiresAt))
                        .flatMap(preview -> audit.record(access.tenantId(), access.actor(), "preview.created", "preview",
                                        id.toString(), null, auditSummary(preview))
                                .thenReturn(new Issued(preview, ticket, new DeepLinkScheme(wallet.deepLinkScheme())))))
                .flatMap(this::drawn);
    }

    Mono<List<PreviewView>> list(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> lookup.visible(access, appId)
                .thenMany(database.sql("""
                                select * from previews where app_id = $1 and expires_at > $2
                                order by created_at desc, id""")
                        .bind(0, appId)
                        .bind(1, clock.instant())
                        .map(PreviewService::view)
                        .all())
                .collectList());
    }

    /** A new ticket for a live preview; the previous one stops working at once. */
    Mono<IssuedPreview> reissue(String tenantId, String appId, String previewId) {
        Instant now = clock.instant();
        PreviewTicket ticket = PreviewTicket.issue();
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                        .then(live(appId, previewId, now))
                        .flatMap(preview -> retick(access, preview, ticket, now))
                        .flatMap(preview -> audit.record(access.tenantId(), access.actor(), "preview.ticket-issued",
                                        "preview", preview.id().toString(), null, auditSummary(preview))
                                .thenReturn(preview)))
                .flatMap(preview -> wallets.find(preview.wallet())
                        .map(wallet -> new Issued(preview, ticket, new DeepLinkScheme(wallet.deepLinkScheme()))))
                .flatMap(this::drawn);
    }

    /** Deletes the preview (its ticket with it); the package's bytes go back to the quota unless a version uses them. */
    Mono<Void> delete(String tenantId, String appId, String previewId) {
        UUID id = TenantScope.parse(previewId).orElse(null);
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> lookup.visible(access, appId)
                .then(Mono.justOrEmpty(id))
                .flatMap(found -> database.sql("delete from previews where app_id = $1 and id = $2 returning *")
                        .bind(0, appId)
                        .bind(1, found)
                        .map(PreviewService::view)
                        .one())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Preview")))
                .flatMap(preview -> audit.record(access.tenantId(), access.actor(), "preview.deleted", "preview",
                        preview.id().toString(), auditSummary(preview), null)));
    }

    /** Creations for one mini program take turns, so the count below holds at commit. */
    private Mono<Void> lockPreviewsOf(String appId) {
        return database.sql("select app_id from mini_programs where app_id = $1 for update")
                .bind(0, appId)
                .fetch()
                .all()
                .then();
    }

    private Mono<Void> requireRoom(String appId, Instant now) {
        return database.sql("select count(*) as alive from previews where app_id = $1 and expires_at > $2")
                .bind(0, appId)
                .bind(1, now)
                .map(row -> row.get("alive", Long.class))
                .one()
                .filter(alive -> alive >= properties.maxPreviewsPerMiniProgram())
                .flatMap(alive -> Mono.error(new ConflictException(
                        "This mini program already has %d live previews, the most allowed; delete one first.".formatted(alive))));
    }

    private Mono<PreviewView> insert(Access access, UUID id, String appId, UUID wallet, CodePackages.Received received,
                                     PreviewTicket ticket, Instant now, Instant expiresAt) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                insert into previews (tenant_id, id, app_id, wallet_id, sha256, size, ticket_hash, ticket_expires_at,
                    creator_user_id, creator_authorization, creator_ci_key, created_by, created_at, expires_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning *""");
        return holder(insert, 8, access)
                .bind(0, access.tenantId())
                .bind(1, id)
                .bind(2, appId)
                .bind(3, wallet)
                .bind(4, received.sha256())
                .bind(5, received.size())
                .bind(6, ticket.hash())
                .bind(7, properties.ticketExpiry(now, expiresAt))
                .bind(11, access.actingUserId())
                .bind(12, now)
                .bind(13, expiresAt)
                .map(PreviewService::view)
                .one();
    }

    /**
     * Binds whose standing the ticket depends on (parameters {@code at} to {@code at + 2}): the member who issued
     * it, the ISV's authorization when an ISV did, or the CI key.
     */
    private static DatabaseClient.GenericExecuteSpec holder(DatabaseClient.GenericExecuteSpec spec, int at, Access access) {
        Access.Delegation delegation = access.delegation();
        Access.KeyGrant key = access.key();
        DatabaseClient.GenericExecuteSpec bound = access.user() != null ? spec.bind(at, access.user().userId())
                : spec.bindNull(at, String.class);
        bound = delegation != null ? bound.bind(at + 1, delegation.authorizationId()) : bound.bindNull(at + 1, UUID.class);
        return key != null ? bound.bind(at + 2, key.keyId()) : bound.bindNull(at + 2, UUID.class);
    }

    private Mono<PreviewView> live(String appId, String previewId, Instant now) {
        return Mono.justOrEmpty(TenantScope.parse(previewId))
                .flatMap(id -> database.sql("select * from previews where app_id = $1 and id = $2 and expires_at > $3 for update")
                        .bind(0, appId)
                        .bind(1, id)
                        .bind(2, now)
                        .map(PreviewService::view)
                        .one())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Preview")));
    }

    private Mono<PreviewView> retick(Access access, PreviewView preview, PreviewTicket ticket, Instant now) {
        DatabaseClient.GenericExecuteSpec update = database.sql("""
                update previews set ticket_hash = $2, ticket_expires_at = $3, creator_user_id = $4, creator_authorization = $5,
                    creator_ci_key = $6
                where id = $1 returning *""");
        return holder(update, 3, access)
                .bind(0, preview.id())
                .bind(1, ticket.hash())
                .bind(2, properties.ticketExpiry(now, preview.expiresAt()))
                .map(PreviewService::view)
                .one();
    }

    private Mono<IssuedPreview> drawn(Issued issued) {
        PreviewView preview = issued.preview();
        String deepLink = issued.scheme().previewLink(preview.appId(), issued.ticket().value());
        return Mono.fromCallable(() -> qrCodes.of(deepLink))
                .subscribeOn(Schedulers.boundedElastic())
                .map(pictures -> new IssuedPreview(preview.id(), preview.appId(), preview.wallet(), preview.sha256(),
                        preview.size(), preview.expiresAt(), issued.ticket().value(), preview.ticketExpiresAt(), deepLink,
                        Map.of(preview.wallet().toString(), deepLink), pictures.pngDataUrl(), pictures.svgDataUrl()));
    }

    private static Map<String, Object> auditSummary(PreviewView preview) {
        return Map.of("appId", preview.appId(), "wallet", preview.wallet().toString(), "sha256", preview.sha256(),
                "size", preview.size(), "expiresAt", preview.expiresAt().toString(),
                "ticketExpiresAt", preview.ticketExpiresAt().toString());
    }

    private static PreviewView view(Readable row) {
        return new PreviewView(row.get("id", UUID.class), row.get("app_id", String.class),
                row.get("wallet_id", UUID.class), row.get("sha256", String.class), row.get("size", Long.class),
                row.get("created_by", String.class), row.get("created_at", Instant.class),
                row.get("expires_at", Instant.class), row.get("ticket_expires_at", Instant.class));
    }
}
