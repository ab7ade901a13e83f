package dev.miniplatform.api.workspace;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.validation.ConflictException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * At most {@code platform.workspace.max-workspaces-per-user} open workspaces owned by one person. Sign-up is
 * open to anyone with an account, so without a cap one account could create workspaces (and Keycloak
 * organizations) without end. Closing a workspace or handing it over frees a place.
 * <p>
 * Race-safe: {@link #reserve} runs inside the sign-up's own transaction, takes a transaction-scoped advisory lock
 * per person and counts only then, so parallel sign-ups of one person queue up behind each other and the n+1st
 * sees the n before it. Rows are counted as row-level security shows them to the person outside any tenant,
 * i.e. their own memberships.
 */
@Component
class WorkspaceQuota {

    private static final String LOCK = "select pg_advisory_xact_lock(hashtextextended('workspace-sign-up:' || $1, 0))";
    private static final String OPEN_OWNED = """
            select count(*) as owned from memberships m join tenants t on t.id = m.tenant_id
            where m.user_id = $1 and m.role = 'OWNER' and t.status = 'ACTIVE'""";

    private final DatabaseClient database;
    private final TenantTransactions transactions;
    private final int max;

    WorkspaceQuota(DatabaseClient database, TenantTransactions transactions, WorkspaceProperties workspace) {
        this.database = database;
        this.transactions = transactions;
        this.max = workspace.maxWorkspacesPerUser();
    }

    /** A cheap early refusal before anything is registered in Keycloak; {@link #reserve} is the binding check. */
    Mono<Void> precheck(ConsoleUser owner) {
        return transactions.inTransaction(belowCap(owner))
                .contextWrite(TenantContext.forUser(owner.userId()));
    }

    /** Inside the sign-up transaction, whose context must be the person without a tenant yet. */
    Mono<Void> reserve(ConsoleUser owner) {
        return database.sql(LOCK)
                .bind(0, owner.userId())
                .fetch()
                .all()
                .then(belowCap(owner));
    }

    private Mono<Void> belowCap(ConsoleUser owner) {
        return database.sql(OPEN_OWNED)
                .bind(0, owner.userId())
                .map(row -> row.get("owned", Long.class))
                .all()
                .single()
                .flatMap(owned -> owned < max ? Mono.<Void>empty() : Mono.error(new ConflictException(
                        "You already own %d open workspaces, the most one person may own; close one or hand it over first."
                                .formatted(max))));
    }
}
