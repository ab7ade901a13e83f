package dev.miniplatform.api.template;

import dev.miniplatform.infra.database.RecordRows;
import dev.miniplatform.model.template.BatchItemState;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.BatchJobState;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;

import java.util.Map;
import java.util.UUID;

/**
 * The SQL of batch jobs and their items, in one place. Statements run in the caller's transaction in the ISV's
 * tenant, except the two cross-tenant steps of the runner ({@code claim_batch_items}, {@code finish_batch_jobs}, V21).
 */
@Component
class BatchStore {

    private static final String JOB_COLUMNS = """
            id, kind, state, request_sha256, template_id, template_version, from_job_id, wallet_id, environment,
            gray_percent, total, created_by, created_at, finished_at""";

    /** A job as stored. */
    record Job(UUID tenantId, UUID id, BatchJobKind kind, BatchJobState state, String requestSha256, UUID templateId,
               String templateVersion, UUID fromJobId, UUID walletId, String environment, Integer grayPercent, int total,
               String createdBy, Instant createdAt, Instant finishedAt) {
    }

    /** An item leased to this node by {@code claim_batch_items}, with what it needs to run. */
    record Claimed(UUID isvId, UUID jobId, int seq, UUID merchantId, int attempts, ItemWork work) {
    }

    /** What the runner needs of a claimed item: its payload (APPLY) or the mini program it acts on (RELEASE, ROLLBACK). */
    record ItemWork(String payload, String appId, String version) {
    }

    private static final RecordRows<Job> JOB = RecordRows.of(Job.class);
    private static final RecordRows<Granting> GRANTING = RecordRows.of(Granting.class);
    private static final RecordRows<BatchItemView> ITEM = RecordRows.of(BatchItemView.class);

    private final DatabaseClient database;

    BatchStore(DatabaseClient database) {
        this.database = database;
    }

    /** @return the new job's id, or empty if a job with this key exists (then its transaction has committed) */
    Mono<UUID> insertJob(UUID tenantId, UUID id, String key, String sha256, BatchJobKind kind, UUID templateId,
                         String templateVersion, UUID fromJobId, UUID walletId, String environment, Integer grayPercent,
                         String createdBy, Instant now) {
        var spec = database.sql("""
                        insert into batch_jobs (tenant_id, id, kind, state, idempotency_key, request_sha256, template_id,
                            template_version, from_job_id, wallet_id, environment, gray_percent, total, created_by,
                            created_at, updated_at)
                        values ($1, $2, $3, 'RUNNING', $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13, $13)
                        on conflict (tenant_id, idempotency_key) do nothing
                        returning id""")
                .bind(0, tenantId)
                .bind(1, id)
                .bind(2, kind.name())
                .bind(3, key)
                .bind(4, sha256);
        spec = templateId == null ? spec.bindNull(5, UUID.class) : spec.bind(5, templateId);
        spec = templateVersion == null ? spec.bindNull(6, String.class) : spec.bind(6, templateVersion);
        spec = fromJobId == null ? spec.bindNull(7, UUID.class) : spec.bind(7, fromJobId);
        spec = walletId == null ? spec.bindNull(8, UUID.class) : spec.bind(8, walletId);
        spec = environment == null ? spec.bindNull(9, String.class) : spec.bind(9, environment);
        spec = grayPercent == null ? spec.bindNull(10, Integer.class) : spec.bind(10, grayPercent);
        return spec.bind(11, createdBy)
                .bind(12, now)
                .mapValue(UUID.class)
                .one();
    }

    /** All items of an APPLY_TEMPLATE job in one statement, however many (arrays unnested by PostgreSQL). */
    Mono<Long> insertApplyItems(UUID tenantId, UUID jobId, UUID[] merchants, String[] payloads, Instant now) {
        return database.sql("""
                        insert into batch_job_items (tenant_id, job_id, seq, merchant_id, state, payload, updated_at)
                        select $1, $2, (i.ord - 1)::int, i.merchant, 'PENDING', i.payload, $5
                        from unnest($3::uuid[], $4::text[]) with ordinality as i (merchant, payload, ord)""")
                .bind(0, tenantId)
                .bind(1, jobId)
                .bind(2, merchants)
                .bind(3, payloads)
                .bind(4, now)
                .fetch()
                .rowsUpdated();
    }

    /** RELEASE and ROLLBACK act on the mini programs an earlier job made or updated (its items with an appId). */
    Mono<Long> insertItemsFrom(UUID tenantId, UUID jobId, UUID fromJobId, Instant now) {
        return database.sql("""
                        insert into batch_job_items (tenant_id, job_id, seq, merchant_id, state, app_id, version, updated_at)
                        select $1, $2, (row_number() over (order by f.seq) - 1)::int, f.merchant_id, 'PENDING', f.app_id,
                               f.version, $4
                        from batch_job_items f
                        where f.job_id = $3 and f.app_id is not null and f.state in ('SUCCEEDED', 'SKIPPED')""")
                .bind(0, tenantId)
                .bind(1, jobId)
                .bind(2, fromJobId)
                .bind(3, now)
                .fetch()
                .rowsUpdated();
    }

    /** How many merchants a follow-up of this job would act on, and how many of them grant the ISV {@code scope}. */
    record Granting(long merchants, long granting) {
    }

    /**
     * Read in the ISV's tenant: the merchants' authorizations only through {@code isv_authorized_merchants()}, which
     * answers for the ISV of the tenant context alone.
     */
    Mono<Granting> granting(UUID fromJobId, String scope) {
        return database.sql("""
                        select count(*) as merchants, count(g.merchant) as granting
                        from (select distinct f.merchant_id from batch_job_items f
                              where f.job_id = $1 and f.app_id is not null and f.state in ('SUCCEEDED', 'SKIPPED')) m
                        left join (select distinct a.merchant from isv_authorized_merchants() a
                                   where a.state = 'ACTIVE' and $2 = any(string_to_array(a.scopes, ' '))) g
                               on g.merchant = m.merchant_id""")
                .bind(0, fromJobId)
                .bind(1, scope)
                .map(GRANTING)
                .one();
    }

    Mono<Void> setTotal(UUID jobId, long total) {
        return database.sql("update batch_jobs set total = $1 where id = $2")
                .bind(0, (int) total)
                .bind(1, jobId)
                .then();
    }

    Mono<Job> byKey(String key) {
        return oneJob("where idempotency_key = $1", key);
    }

    Mono<Job> job(UUID id) {
        return oneJob("where id = $1", id);
    }

    Mono<Job> lockJob(UUID id) {
        return oneJob("where id = $1 for update", id);
    }

    private Mono<Job> oneJob(String condition, Object value) {
        return database.sql("select tenant_id, " + JOB_COLUMNS + " from batch_jobs " + condition)
                .bind(0, value)
                .map(JOB)
                .one();
    }

    Flux<Job> jobs(int limit, long offset) {
        return database.sql("select tenant_id, " + JOB_COLUMNS + " from batch_jobs order by created_at desc, id limit $1 offset $2")
                .bind(0, limit)
                .bind(1, offset)
                .map(JOB)
                .all();
    }

    Mono<Long> countJobs() {
        return database.sql("select count(*) as n from batch_jobs")
                .mapValue(Long.class)
                .one();
    }

    Mono<Map<BatchItemState, Long>> counts(UUID jobId) {
        return database.sql("select state, count(*) as n from batch_job_items where job_id = $1 group by state")
                .bind(0, jobId)
                .map(row -> Map.entry(BatchItemState.valueOf(row.get("state", String.class)), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, () -> new EnumMap<>(BatchItemState.class));
    }

    Flux<BatchItemView> items(UUID jobId, BatchItemState state, int limit, long offset) {
        String filter = state == null ? "" : " and state = $4";
        var spec = database.sql("""
                        select seq, merchant_id as merchant, state, app_id, version, reason, attempts, updated_at from batch_job_items
                        where job_id = $1""" + filter + " order by seq limit $2 offset $3")
                .bind(0, jobId)
                .bind(1, limit)
                .bind(2, offset);
        if (state != null) {
            spec = spec.bind(3, state.name());
        }
        return spec.map(ITEM)
                .all();
    }

    Mono<Long> countItems(UUID jobId, BatchItemState state) {
        String filter = state == null ? "" : " and state = $2";
        var spec = database.sql("select count(*) as n from batch_job_items where job_id = $1" + filter)
                .bind(0, jobId);
        if (state != null) {
            spec = spec.bind(1, state.name());
        }
        return spec.mapValue(Long.class).one();
    }

    Mono<Void> cancel(UUID jobId, Instant now) {
        return database.sql("update batch_jobs set state = 'CANCELED', finished_at = $1, updated_at = $1 where id = $2")
                .bind(0, now)
                .bind(1, jobId)
                .then()
                .then(database.sql("""
                                update batch_job_items set state = 'SKIPPED', reason = 'the job was canceled', updated_at = $1
                                where job_id = $2 and state = 'PENDING'""")
                        .bind(0, now)
                        .bind(1, jobId)
                        .then());
    }

    // --- the runner ---

    Flux<Claimed> claim(int batch, Duration lease, String node, int maxAttempts) {
        return database.sql("select * from claim_batch_items($1, $2, $3, $4)")
                .bind(0, batch)
                .bind(1, (int) Math.max(1, lease.toSeconds()))
                .bind(2, node)
                .bind(3, maxAttempts)
                .map(row -> new Claimed(row.get("tenant_id", UUID.class), row.get("job_id", UUID.class),
                        row.get("seq", Integer.class), row.get("merchant_id", UUID.class), row.get("attempts", Integer.class),
                        new ItemWork(row.get("payload", String.class), row.get("app_id", String.class),
                                row.get("version", String.class))))
                .all();
    }

    Mono<Integer> finishJobs() {
        return database.sql("select finish_batch_jobs() as n")
                .mapValue(Integer.class)
                .one();
    }

    /** Records a result; only while the item is still RUNNING (a canceled job's running items finish normally). */
    Mono<Void> finish(UUID jobId, int seq, BatchItemState state, String appId, String version, String reason, Instant now) {
        var spec = database.sql("""
                        update batch_job_items set state = $1, app_id = coalesce($2, app_id), version = coalesce($3, version),
                            reason = $4, lease_until = null, payload = case when $1 = 'SUCCEEDED' then null else payload end,
                            updated_at = $5
                        where job_id = $6 and seq = $7 and state = 'RUNNING'""")
                .bind(0, state.name());
        spec = appId == null ? spec.bindNull(1, String.class) : spec.bind(1, appId);
        spec = version == null ? spec.bindNull(2, String.class) : spec.bind(2, version);
        spec = reason == null ? spec.bindNull(3, String.class) : spec.bind(3, reason);
        return spec.bind(4, now)
                .bind(5, jobId)
                .bind(6, seq)
                .then();
    }

    /**
     * An attempt failed for a reason not the item's own: the item stays this node's claim until {@code delay} has
     * passed (then any node claims it again, counting another attempt), with the failure as its reason meanwhile —
     * the reason the item keeps if it is given up. Only this very claim is touched (the node and attempt that made it).
     */
    Mono<Void> retryLater(UUID jobId, int seq, String node, int attempt, String reason, Duration delay) {
        return database.sql("""
                        update batch_job_items set lease_until = now() + make_interval(secs => $1), reason = $2,
                            updated_at = now()
                        where job_id = $3 and seq = $4 and state = 'RUNNING' and leased_by = $5 and attempts = $6""")
                .bind(0, delay.toMillis() / 1000.0)
                .bind(1, reason)
                .bind(2, jobId)
                .bind(3, seq)
                .bind(4, node)
                .bind(5, attempt)
                .then();
    }

    /** None of the job's items can run ({@link JobCannotRun}): every open one is FAILED with the reason. */
    Mono<Long> failOpenItems(UUID jobId, String reason, Instant now) {
        return database.sql("""
                        update batch_job_items set state = 'FAILED', reason = $1, lease_until = null, updated_at = $2
                        where job_id = $3 and state in ('PENDING', 'RUNNING')""")
                .bind(0, reason)
                .bind(1, now)
                .bind(2, jobId)
                .fetch()
                .rowsUpdated();
    }

    /**
     * The job is COMPLETED once no item is open; run after an item's result has committed (one statement through
     * {@code finish_batch_job}, V21, outside any transaction).
     */
    Mono<Void> completeIfDone(UUID isvId, UUID jobId) {
        return database.sql("select finish_batch_job($1, $2)")
                .bind(0, isvId)
                .bind(1, jobId)
                .fetch()
                .all()
                .then();
    }
}
