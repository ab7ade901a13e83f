package dev.miniplatform.api.workspace;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.miniprogram.MiniProgramRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * A workspace's quotas, decided here and shown by the usage endpoint with the same numbers:
 * {@code platform.workspace.storage-quota-bytes} over everything the workspace stores (the code packages of its
 * mini program and template versions, the copies batch jobs make for it, its logos), and
 * {@code platform.workspace.max-mini-programs}.
 * <p>
 * PostgreSQL counts the stored bytes: V27's triggers keep {@code tenant_usage} equal to them on every write and
 * every delete. {@link #reserveStorage} decides whether more may be written. Metrics carry no tenant (millions of
 * tenants would be millions of series): refusals counted per quota, and the distribution of the usage ratio that
 * accepted writes leave their workspace at, which says how close active workspaces run to their quota.
 */
@Component
public class Quotas {

    static final String STORAGE = "storageBytes";
    static final String MINI_PROGRAMS = "miniPrograms";

    /** Creates the row on first use; the update that changes nothing locks it, as FOR UPDATE locks a row that exists. */
    private static final String LOCK_USAGE = """
            insert into tenant_usage as u (tenant_id) values ($1)
            on conflict (tenant_id) do update set storage_bytes = u.storage_bytes
            returning u.storage_bytes""";
    private static final String USAGE = "select storage_bytes from tenant_usage where tenant_id = $1";

    private final DatabaseClient database;
    private final TenantScope scope;
    private final MiniProgramRepository programs;
    private final WorkspaceProperties workspace;
    private final Counter storageRefusals;
    private final Counter miniProgramRefusals;
    private final DistributionSummary usageRatio;

    Quotas(DatabaseClient database, TenantScope scope, MiniProgramRepository programs, WorkspaceProperties workspace,
           MeterRegistry meters) {
        this.database = database;
        this.scope = scope;
        this.programs = programs;
        this.workspace = workspace;
        this.storageRefusals = refusals(meters, STORAGE);
        this.miniProgramRefusals = refusals(meters, MINI_PROGRAMS);
        this.usageRatio = DistributionSummary.builder("platform.storage.usage.ratio")
                .description("Stored bytes over the storage quota of the workspace a write was accepted in")
                .serviceLevelObjectives(0.5, 0.8, 0.9, 0.95, 1.0)
                .register(meters);
    }

    private static Counter refusals(MeterRegistry meters, String quota) {
        return Counter.builder("platform.quota.refusals")
                .description("Writes refused because a workspace quota would be passed")
                .tag("quota", quota)
                .register(meters);
    }

    /**
     * Inside the transaction that then writes {@code bytes} for the tenant: locks the tenant's usage row until that
     * transaction ends and refuses if the bytes would pass the quota. A parallel write waits for the lock, and by then
     * the usage counts what this one stored, so two writes never both take the last free bytes.
     */
    public Mono<Void> reserveStorage(UUID tenantId, long bytes) {
        return database.sql(LOCK_USAGE)
                .bind(0, tenantId)
                .map(row -> row.get("storage_bytes", Long.class))
                .one()
                .flatMap(used -> admitted(used, bytes));
    }

    private Mono<Void> admitted(long used, long bytes) {
        long limit = workspace.storageQuotaBytes();
        if (used + bytes > limit) {
            return refusedStorage(used, bytes);
        }
        return TenantTransactions.afterCommit(Mono.fromRunnable(() -> usageRatio.record((double) (used + bytes) / limit)));
    }

    /**
     * Before an upload's body is read: a workspace whose quota is used up is refused at once, instead of after
     * receiving up to {@code platform.release.max-package-bytes}. Not binding ({@link #reserveStorage} is).
     */
    public Mono<Void> requireStorageRoom(UUID tenantId) {
        return storedBytes(tenantId)
                .filter(used -> used >= workspace.storageQuotaBytes())
                .flatMap(used -> refusedStorage(used, null));
    }

    private Mono<Void> refusedStorage(long used, Long requested) {
        storageRefusals.increment();
        return Mono.error(QuotaExceededException.storage(used, workspace.storageQuotaBytes(), requested));
    }

    /** {@code existing} mini programs, counted under the lock that takes parallel creates of a tenant in turn. */
    public Mono<Void> requireMiniProgramRoom(long existing) {
        long limit = workspace.maxMiniPrograms();
        if (existing < limit) {
            return Mono.empty();
        }
        miniProgramRefusals.increment();
        return Mono.error(QuotaExceededException.miniPrograms(existing, limit));
    }

    /** For the tenant's members (anyone else: 404, as for every tenant resource). */
    Mono<UsageView> usage(String tenantId) {
        return scope.run(tenantId, access -> storedBytes(access.tenantId())
                .flatMap(stored -> programs.count()
                        .map(count -> new UsageView(stored, workspace.storageQuotaBytes(), count,
                                workspace.maxMiniPrograms()))));
    }

    private Mono<Long> storedBytes(UUID tenantId) {
        return database.sql(USAGE)
                .bind(0, tenantId)
                .map(row -> row.get("storage_bytes", Long.class))
                .one()
                .defaultIfEmpty(0L);
    }
}
