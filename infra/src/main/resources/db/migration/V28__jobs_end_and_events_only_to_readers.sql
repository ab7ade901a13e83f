-- Issue 17 (items 4 and 5): every batch item ends with a reason a person can act on, and a merchant's events reach
-- only the ISVs that may read its mini programs.

-- As V21's claim_batch_items, but an item given up says why: the runner writes the last failure of an attempt into
-- the item's reason when it schedules the next one (BatchStore.retryLater), so the FAILED item names it instead of
-- a bare count.
create or replace function claim_batch_items(p_batch int, p_lease_seconds int, p_node text, p_max_attempts int)
    returns table (tenant_id uuid, job_id uuid, seq int, merchant_id uuid, attempts int, payload text, app_id text,
                   version text)
    language sql volatile security definer set search_path = public
as $$
    with given_up as (
        update batch_job_items g
        set state = 'FAILED',
            reason = 'gave up after ' || g.attempts || ' attempts; last: '
                     || coalesce(g.reason, 'the attempt did not finish in time (its node stopped or the work hung)')
                     || '. Fix the cause, then start a new job for this merchant',
            lease_until = null, updated_at = now()
        where g.state = 'RUNNING' and g.lease_until < now() and g.attempts >= p_max_attempts
        returning g.tenant_id
    ), due as (
        select i.tenant_id, i.job_id, i.seq
        from batch_job_items i
        join batch_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id and j.state = 'RUNNING'
        where i.state = 'PENDING'
           or (i.state = 'RUNNING' and i.lease_until < now() and i.attempts < p_max_attempts)
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

-- Who may hear about a merchant's mini programs: an ISV whose application is ACTIVE (not suspended) and which holds,
-- now, an ACTIVE authorization at that merchant granting miniprogram:read — the scope the API asks before it lets an
-- ISV read any mini program, version or release of the merchant (a delegated ISV sees all of them, Access.manages).
create function isv_may_read_merchant(p_isv uuid, p_merchant uuid) returns boolean
    language sql stable security definer set search_path = public
as $$
    select exists (select 1 from authorizations au
                   join isv_applications app on app.tenant_id = au.isv_tenant_id and app.status = 'ACTIVE'
                   where au.tenant_id = p_merchant and au.isv_tenant_id = p_isv and au.state = 'ACTIVE'
                     and 'miniprogram:read' = any (string_to_array(au.scopes, ' ')))
$$;
revoke all on function isv_may_read_merchant(uuid, uuid) from public;

-- As V22's relay_outbox_events, but a merchant's events (release.*, version review results) go only to the ISVs
-- that may read its mini programs (above), no longer to every ISV with any ACTIVE authorization there.
create or replace function relay_outbox_events(p_batch int) returns int
    language plpgsql volatile security definer set search_path = public
as $$
declare
    relayed int;
begin
    with claimed as (
        update outbox_events o set published_at = now()
        where (o.tenant_id, o.id) in (select e.tenant_id, e.id from outbox_events e
                                      where e.published_at is null
                                      order by e.occurred_at
                                      limit p_batch
                                      for update skip locked)
        returning o.*
    ), typed as (
        select c.*,
               case when c.type like 'authorization.%' then c.type
                    when c.type like 'template.review_%' then c.type
                    when c.type = 'release.approve' then 'version.review_approved'
                    when c.type = 'release.reject' then 'version.review_rejected'
                    when c.type like 'release.%' then 'release.changed'
               end as webhook_type
        from claimed c
    ), targets as (
        select t.*, (t.payload::jsonb ->> 'isvTenantId')::uuid as isv
        from typed t where t.webhook_type like 'authorization.%' or t.webhook_type like 'template.%'
        union all
        select t.*, a.isv_tenant_id
        from typed t
        join (select distinct au.tenant_id, au.isv_tenant_id from authorizations au where au.state = 'ACTIVE') a
          on a.tenant_id = t.tenant_id
        where t.webhook_type not like 'authorization.%' and t.webhook_type not like 'template.%'
          and isv_may_read_merchant(a.isv_tenant_id, t.tenant_id)
    ), inserted as (
        insert into webhook_deliveries (tenant_id, id, event_id, event_tenant_id, type, occurred_at, payload, state,
                                        attempts, next_attempt_at, created_at)
        select g.isv, gen_random_uuid(), g.id, g.tenant_id, g.webhook_type, g.occurred_at,
               case when g.webhook_type like 'template.%' then g.payload
                    else jsonb_set(g.payload::jsonb, '{merchantId}', to_jsonb(g.tenant_id::text))::text end,
               'PENDING', 0, now(), now()
        from targets g
        join isv_applications app on app.tenant_id = g.isv and app.webhook_url is not null
        on conflict (tenant_id, event_id) do nothing
        returning 1
    )
    select count(*) into relayed from claimed;
    return relayed;
end $$;

-- As V9's claim_webhook_deliveries, with the same rule at sending time (a delivery may wait in retries for hours):
--   * nothing is sent to a suspended ISV; its deliveries wait (they go out if the platform reinstates it);
--   * a merchant's event still pending when the ISV may no longer read that merchant (revoked, scope gone) is
--     FAILED with that reason instead of being sent.
create or replace function claim_webhook_deliveries(p_batch int, p_lease_seconds int)
    returns table (tenant_id uuid, id uuid, type text, occurred_at timestamptz, payload text, attempts int,
                   webhook_url text, webhook_secret text, previous_webhook_secret text)
    language sql volatile security definer set search_path = public
as $$
    with withdrawn as (
        update webhook_deliveries d
        set state = 'FAILED', last_error = 'not sent: the ISV may no longer read this merchant''s mini programs'
        where d.state = 'PENDING' and d.next_attempt_at <= now() and d.event_tenant_id <> d.tenant_id
          and d.type not like 'authorization.%'
          and not isv_may_read_merchant(d.tenant_id, d.event_tenant_id)
          and exists (select 1 from isv_applications a where a.tenant_id = d.tenant_id and a.status = 'ACTIVE')
        returning d.id
    ), due as (
        select d.tenant_id, d.id from webhook_deliveries d
        join isv_applications a on a.tenant_id = d.tenant_id and a.status = 'ACTIVE'
        where d.state = 'PENDING' and d.next_attempt_at <= now()
          and (d.event_tenant_id = d.tenant_id or d.type like 'authorization.%'
               or isv_may_read_merchant(d.tenant_id, d.event_tenant_id))
        order by d.next_attempt_at
        limit p_batch
        for update of d skip locked
    ), leased as (
        update webhook_deliveries d
        set next_attempt_at = now() + make_interval(secs => p_lease_seconds), attempts = d.attempts + 1
        from due where d.tenant_id = due.tenant_id and d.id = due.id
        returning d.*
    )
    select l.tenant_id, l.id, l.type, l.occurred_at, l.payload, l.attempts, a.webhook_url, a.webhook_secret,
           case when a.previous_secret_until > now() then a.previous_webhook_secret end
    from leased l join isv_applications a on a.tenant_id = l.tenant_id
$$;
