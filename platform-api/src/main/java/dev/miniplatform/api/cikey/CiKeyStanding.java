package dev.miniplatform.api.cikey;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.auth.config.BearerChallenge;
import dev.miniplatform.auth.config.CallerFilter;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import io.netty.util.NetUtil;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Admits a CI key's request only while the key is in force, read from the database on every request: not revoked
 * (else 401), the token issued no earlier than the key's last rotation (else 401), and the request from one of the
 * key's allowed address blocks (else 403). What it may then do rides along in the request's context as an
 * {@link Access.KeyGrant}, which {@code TenantScope} reads. Requests of other callers pass untouched.
 */
@Component
@Order(10)
class CiKeyStanding implements CallerFilter {

    private static final String STANDING = """
            select name, client_id, app_ids, allow_submit, allowed_sources, not_before, revoked_at
            from ci_keys where id = $1""";

    private final DatabaseClient database;
    private final TenantTransactions transactions;
    private final ProblemWriter problems;

    CiKeyStanding(DatabaseClient database, TenantTransactions transactions, ProblemWriter problems) {
        this.database = database;
        this.transactions = transactions;
        this.problems = problems;
    }

    private record Stored(String name, String clientId, Set<String> appIds, boolean allowSubmit, List<String> sources,
                          Instant notBefore, Instant revokedAt) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // the chain runs exactly once: an empty Mono<Void> is its normal end, so no switchIfEmpty after it
        return CurrentPrincipal.get()
                .ofType(PlatformPrincipal.CiKey.class)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(key -> key.isEmpty() ? chain.filter(exchange) : standing(key.get())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .flatMap(stored -> stored.isEmpty() ? refuseRevoked(exchange)
                                : admit(exchange, chain, key.get(), stored.get())));
    }

    private Mono<Stored> standing(PlatformPrincipal.CiKey key) {
        return transactions.inTransaction(database.sql(STANDING)
                        .bind(0, key.keyId())
                        .map(row -> new Stored(row.get("name", String.class), row.get("client_id", String.class),
                                Set.of(row.get("app_ids", String[].class)),
                                Boolean.TRUE.equals(row.get("allow_submit", Boolean.class)),
                                Arrays.asList(row.get("allowed_sources", String[].class)),
                                row.get("not_before", Instant.class), row.get("revoked_at", Instant.class)))
                        .one())
                .contextWrite(TenantContext.forTenant(key.workspaceId(), null));
    }

    private Mono<Void> admit(ServerWebExchange exchange, WebFilterChain chain, PlatformPrincipal.CiKey key, Stored stored) {
        if (stored.revokedAt() != null || !stored.clientId().equals(key.clientId())) {
            return refuseRevoked(exchange);
        }
        if (key.issuedAt() == null || key.issuedAt().isBefore(stored.notBefore())) {
            BearerChallenge.invalidToken(exchange);
            return problems.write(exchange, Problem.of(ProblemType.UNAUTHENTICATED,
                    "This token was issued before the CI key's secret was last rotated; get a new token with the "
                            + "current secret."));
        }
        InetAddress from = address(exchange.getRequest().getRemoteAddress());
        if (!SourceAddresses.allows(stored.sources(), from)) {
            return problems.write(exchange, Problem.of(ProblemType.FORBIDDEN,
                    "This CI key may not be used from %s: it is limited to %s.".formatted(
                            from == null ? "an unknown address" : NetUtil.toAddressString(from),
                            String.join(", ", stored.sources()))));
        }
        Access.KeyGrant grant = new Access.KeyGrant(key.keyId(), key.workspaceId(), key.clientId(), stored.name(),
                stored.appIds(), stored.allowSubmit());
        return chain.filter(exchange).contextWrite(grant::into);
    }

    private Mono<Void> refuseRevoked(ServerWebExchange exchange) {
        BearerChallenge.invalidToken(exchange);
        return problems.write(exchange, Problem.of(ProblemType.UNAUTHENTICATED,
                "This CI key was revoked; ask an owner or master of the workspace for a new one."));
    }

    private static InetAddress address(InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        if (remote.getAddress() != null) {
            return remote.getAddress();
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(remote.getHostString());
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
