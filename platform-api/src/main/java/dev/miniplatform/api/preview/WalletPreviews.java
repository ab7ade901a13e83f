package dev.miniplatform.api.preview;

import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.wallet.WalletUserId;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A wallet opening a preview: the ticket, for one of its users. Everything that can fail answers the same 404: an
 * unknown, malformed, expired or replaced ticket, a ticket of another wallet, a user who is not a tester, a tester
 * whose member is blocked, removed or no longer assigned, a ticket whose issuer lost their standing, a closed
 * workspace. Every condition is read on every request (no cache), so a removal or block takes effect at once.
 * <p>
 * Only the first step crosses workspaces: {@code preview_ticket_tenant} (SECURITY DEFINER, V30) names the workspace
 * that issued the ticket hash for this wallet. Everything else runs in that workspace's transaction, under its
 * row-level security. The package is served by the same check, piece by piece ({@link #content}), so it reaches the
 * wallet holding a valid ticket for a tester, and nobody else — not through the released packages' path either,
 * whose row-level security knows only released versions.
 */
@Component
class WalletPreviews {

    /** Bytes of one stored chunk (PostgresCodePackageStore), read in a transaction of its own. */
    private static final int SLICE_BYTES = 16 * 1024;

    private static final String TENANT = "select preview_ticket_tenant($1, $2) as tenant_id";

    /** The one rule, in one statement; mirrors Access (active member of an open workspace, developer assigned). */
    private static final String OPENABLE = """
            select p.id, p.app_id, p.sha256, p.size, p.ticket_expires_at,
                   (select count(*) from code_package_chunks c where c.tenant_id = p.tenant_id and c.sha256 = p.sha256) as chunks
            from previews p
            join tenants t on t.id = p.tenant_id and t.status = 'ACTIVE'
            where p.ticket_hash = $1 and p.wallet_id = $2 and p.ticket_expires_at > $4 and p.expires_at > $4
              and (p.creator_user_id is null or exists (
                    select 1 from memberships m
                    where m.tenant_id = p.tenant_id and m.user_id = p.creator_user_id and m.status = 'ACTIVE'
                      and (m.role <> 'DEVELOPER' or exists (select 1 from developer_assignments d
                           where d.tenant_id = m.tenant_id and d.user_id = m.user_id and d.app_id = p.app_id))))
              and (p.creator_authorization is null or exists (
                    select 1 from authorizations a
                    where a.tenant_id = p.tenant_id and a.id = p.creator_authorization and a.state = 'ACTIVE'))
              and (p.creator_ci_key is null or exists (
                    select 1 from ci_keys k
                    where k.tenant_id = p.tenant_id and k.id = p.creator_ci_key and k.revoked_at is null
                      and p.app_id = any (k.app_ids)))
              and exists (
                    select 1 from tester_accounts ta
                    join memberships m on m.tenant_id = ta.tenant_id and m.user_id = ta.user_id and m.status = 'ACTIVE'
                    where ta.tenant_id = p.tenant_id and ta.wallet_id = p.wallet_id and ta.wallet_user_id = $3
                      and (m.role <> 'DEVELOPER' or exists (select 1 from developer_assignments d
                           where d.tenant_id = m.tenant_id and d.user_id = m.user_id and d.app_id = p.app_id)))""";

    private static final String CHUNK = "select bytes from code_package_chunks where tenant_id = $1 and sha256 = $2 and seq = $3";

    /** What the wallet is told: where the package is and how to check it. */
    record Resolved(String appId, String packageUrl, String packageSha256, long packageSize, Instant expiresAt) {
    }

    record Openable(UUID tenantId, UUID previewId, String appId, String sha256, long size, Instant ticketExpiresAt,
                    int chunks) {
    }

    private final DatabaseClient database;
    private final TenantTransactions transactions;
    private final Clock clock;

    WalletPreviews(DatabaseClient database, TenantTransactions transactions, Clock clock) {
        this.database = database;
        this.transactions = transactions;
        this.clock = clock;
    }

    Mono<Resolved> resolve(UUID walletId, String ticket, String userId) {
        return openable(walletId, ticket, userId)
                .map(found -> new Resolved(found.appId(), packagePath(ticket, userId), found.sha256(), found.size(),
                        found.ticketExpiresAt()));
    }

    /** The package, checked now and again before every piece: a ticket that dies mid-download ends the download. */
    Mono<Openable> openable(UUID walletId, String ticket, String userId) {
        WalletUserId.of("userId", userId); // a malformed request says so (400); it tells nothing about any ticket
        if (!PreviewTicket.wellFormed(ticket)) {
            return Mono.error(notFound());
        }
        String hash = PreviewTicket.hashOf(ticket);
        return database.sql(TENANT)
                .bind(0, hash)
                .bind(1, walletId)
                .map(row -> java.util.Optional.ofNullable(row.get("tenant_id", UUID.class)))
                .one()
                .flatMap(Mono::justOrEmpty)
                .flatMap(tenant -> inTenant(tenant, check(tenant, hash, walletId, userId)))
                .switchIfEmpty(Mono.error(WalletPreviews::notFound));
    }

    Flux<ByteBuffer> content(UUID walletId, String ticket, String userId, Openable found) {
        String hash = PreviewTicket.hashOf(ticket);
        return Flux.range(0, found.chunks())
                .concatMap(seq -> Mono.fromFuture(() -> piece(found, hash, walletId, userId, seq).toFuture()), 1)
                .flatMapIterable(WalletPreviews::slices, 1);
    }

    /** One piece in a short transaction of its own, after the same check: a slow reader holds no connection. */
    private Mono<ByteBuffer> piece(Openable found, String hash, UUID walletId, String userId, int seq) {
        Mono<ByteBuffer> read = check(found.tenantId(), hash, walletId, userId)
                .filter(still -> still.sha256().equals(found.sha256()))
                .flatMap(still -> database.sql(CHUNK)
                        .bind(0, found.tenantId())
                        .bind(1, found.sha256())
                        .bind(2, seq)
                        .map(row -> row.get("bytes", ByteBuffer.class))
                        .one());
        return inTenant(found.tenantId(), read)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                        "Preview %s can no longer be read (piece %d)".formatted(found.previewId(), seq))));
    }

    private Mono<Openable> check(UUID tenant, String hash, UUID walletId, String userId) {
        return database.sql(OPENABLE)
                .bind(0, hash)
                .bind(1, walletId)
                .bind(2, userId)
                .bind(3, clock.instant())
                .map(row -> openable(tenant, row))
                .one()
                .filter(found -> found.chunks() > 0); // a closed workspace's bytes are gone (V27)
    }

    private <T> Mono<T> inTenant(UUID tenant, Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(tenant, null));
    }

    private static Openable openable(UUID tenant, Readable row) {
        return new Openable(tenant, row.get("id", UUID.class), row.get("app_id", String.class),
                row.get("sha256", String.class), row.get("size", Long.class),
                row.get("ticket_expires_at", Instant.class), row.get("chunks", Long.class).intValue());
    }

    static String packagePath(String ticket, String userId) {
        return "/wallet/v1/previews/" + ticket + "/package?userId="
                + UriUtils.encodeQueryParam(userId, StandardCharsets.UTF_8);
    }

    /** The same answer for every reason. */
    static NotFoundException notFound() {
        return new NotFoundException("Preview");
    }

    private static List<ByteBuffer> slices(ByteBuffer piece) {
        List<ByteBuffer> slices = new ArrayList<>(piece.remaining() / SLICE_BYTES + 1);
        for (int at = piece.position(); at < piece.limit(); at += SLICE_BYTES) {
            slices.add(piece.slice(at, Math.min(SLICE_BYTES, piece.limit() - at)));
        }
        return slices;
    }
}
