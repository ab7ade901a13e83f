-- Batch jobs of an ISV over many merchants (docs/templates.md). Job and items belong to the ISV tenant; each item's
-- effect (a mini program, a release) is written in the merchant's tenant by the runner.

create table batch_jobs (
    tenant_id        uuid        not null references tenants (id),
    id               uuid        not null,
    kind             text        not null check (kind in ('APPLY_TEMPLATE', 'RELEASE', 'ROLLBACK')),
    state            text        not null check (state in ('RUNNING', 'COMPLETED', 'CANCELED')),
    idempotency_key  text        not null,
    request_sha256   text        not null,
    template_id      uuid,
    template_version text,
    from_job_id      uuid,
    wallet_id        uuid references wallets (id),
    environment      text,
    gray_percent     int,
    total            int         not null,
    created_by       text        not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    finished_at      timestamptz,
    primary key (tenant_id, id),
    -- replaying a key finds the first job; two simultaneous submissions of one key create one job
    unique (tenant_id, idempotency_key)
);
create index batch_jobs_by_creation on batch_jobs (tenant_id, created_at desc, id);
create index batch_jobs_running on batch_jobs (created_at) where state = 'RUNNING';

create table batch_job_items (
    tenant_id   uuid        not null,
    job_id      uuid        not null,
    seq         int         not null,
    merchant_id uuid        not null,
    state       text        not null check (state in ('PENDING', 'RUNNING', 'SUCCEEDED', 'SKIPPED', 'FAILED')),
    payload     text,
    app_id      text,
    version     text,
    reason      text,
    attempts    int         not null default 0,
    lease_until timestamptz,
    leased_by   text,
    updated_at  timestamptz not null,
    primary key (tenant_id, job_id, seq),
    foreign key (tenant_id, job_id) references batch_jobs (tenant_id, id) on delete cascade
);
create index batch_job_items_open on batch_job_items (tenant_id, job_id, seq) where state in ('PENDING', 'RUNNING');
create index batch_job_items_by_state on batch_job_items (tenant_id, job_id, state, seq);

do $$
declare
    t text;
begin
    foreach t in array array['batch_jobs', 'batch_job_items']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

grant select, insert, update on batch_jobs, batch_job_items to ${app_role};

-- The runner on every node leases open items of running jobs across ISV tenants (hence SECURITY DEFINER, like
-- claim_webhook_deliveries): PENDING ones, and RUNNING ones whose lease ran out because their node died. Items
-- that were claimed p_max_attempts times without finishing are failed instead, so one poison item cannot hold a
-- job open forever. FOR UPDATE SKIP LOCKED: nodes never claim the same item at the same moment. Items are taken
-- position by position across the running jobs (of every ISV), so concurrent jobs progress side by side.
create function claim_batch_items(p_batch int, p_lease_seconds int, p_node text, p_max_attempts int)
    returns table (tenant_id uuid, job_id uuid, seq int, merchant_id uuid, attempts int, payload text, app_id text,
                   version text)
    language sql volatile security definer set search_path = public
as $$
    with given_up as (
        update batch_job_items g
        set state = 'FAILED', reason = 'gave up after ' || g.attempts || ' attempts that did not finish',
            lease_until = null, updated_at = now()
        where g.state = 'RUNNING' and g.lease_until < now() and g.attempts >= p_max_attempts
        returning g.tenant_id
    ), due as (
        select i.tenant_id, i.job_id, i.seq
        from batch_job_items i
        join batch_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id and j.state = 'RUNNING'
        where i.state = 'PENDING'
           or (i.state = 'RUNNING' and i.lease_until < now() and i.attempts < p_max_attempts)
        -- lowest position first across all running jobs: a 10,000-item job does not starve a small one behind it
        order by i.seq, j.created_at, i.job_id
        limit p_batch
        for update of i skip locked
    )
    update batch_job_items c
    set state = 'RUNNING', lease_until = now() + make_interval(secs => p_lease_seconds), leased_by = p_node,
        attempts = c.attempts + 1, updated_at = now()
    from due
    where c.tenant_id = due.tenant_id and c.job_id = due.job_id and c.seq = due.seq
    returning c.tenant_id, c.job_id, c.seq, c.merchant_id, c.attempts, c.payload, c.app_id, c.version
$$;

-- Running jobs with no open item left are COMPLETED (also catches the job whose last item finished on a node
-- that died before it could say so).
create function finish_batch_jobs() returns int
    language sql volatile security definer set search_path = public
as $$
    with finished as (
        update batch_jobs j set state = 'COMPLETED', finished_at = now(), updated_at = now()
        where j.state = 'RUNNING'
          and not exists (select 1 from batch_job_items i
                          where i.tenant_id = j.tenant_id and i.job_id = j.id and i.state in ('PENDING', 'RUNNING'))
        returning 1
    )
    select count(*)::int from finished
$$;

-- The same for one job, right after one of its items finished: one statement, no transaction of its own.
create function finish_batch_job(p_tenant uuid, p_job uuid) returns void
    language sql volatile security definer set search_path = public
as $$
    update batch_jobs j set state = 'COMPLETED', finished_at = now(), updated_at = now()
    where j.tenant_id = p_tenant and j.id = p_job and j.state = 'RUNNING'
      and not exists (select 1 from batch_job_items i
                      where i.tenant_id = p_tenant and i.job_id = p_job and i.state in ('PENDING', 'RUNNING'))
$$;

revoke all on function claim_batch_items(int, int, text, int), finish_batch_jobs(), finish_batch_job(uuid, uuid) from public;
grant execute on function claim_batch_items(int, int, text, int), finish_batch_jobs(), finish_batch_job(uuid, uuid)
    to ${app_role};
