-- The durable queue of side effects (Keycloak changes, mail): written in the same transaction as the change that
-- needs them, performed after the commit by a relay on every API node (docs/security.md, "Side effects and external
-- services"). Separate from outbox_events, which holds events for subscribers.
--
-- Row-level security: the application (${app_role}) writes and reads rows of the current tenant only, like every
-- tenant table. The relay works across tenants only through the three SECURITY DEFINER functions below, which run as
-- the schema owner and can do nothing but claim due rows under a lease, delete a finished claim, or record a failed
-- one. They take no SQL from callers and return only what the relay must perform.

create table pending_effects (
    tenant_id       uuid        not null,
    -- identity within the tenant: 'member:<user id>' (converge one member in Keycloak), 'workspace' (remove a closed
    -- or failed workspace from Keycloak), 'mail:<uuid>' (one message). Requesting a queued key again replaces it.
    effect_key      text        not null,
    kind            text        not null,
    payload         jsonb       not null,
    -- bumped each time the effect is requested again, so a run that started before the latest request does not
    -- count as having done it
    generation      bigint      not null default 1,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    -- a claim: who holds it (one random id per claim) and until when
    lease           uuid,
    leased_until    timestamptz,
    last_error      text,
    -- set after too many failures: kept for the operator, not retried until requested again
    parked_at       timestamptz,
    created_at      timestamptz not null,
    primary key (tenant_id, effect_key)
);

create index pending_effects_due on pending_effects (next_attempt_at) where parked_at is null;

alter table pending_effects enable row level security;
alter table pending_effects force row level security;

create policy pending_effects_isolation on pending_effects
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

-- The relay functions run as the owner of this schema; with FORCEd RLS the owner needs its own policy.
do $$
begin
    execute format('create policy pending_effects_relay on pending_effects to %I using (true) with check (true)',
                   current_user);
end $$;

grant select, insert, update on pending_effects to ${app_role};

-- Claims up to p_limit due effects (or the one named by p_tenant/p_key) for p_lease_seconds. SKIP LOCKED lets
-- several nodes claim at once without waiting for or taking each other's rows; the lease keeps a claimed row from
-- being claimed again while it runs, and runs out if its node dies.
create function claim_pending_effects(p_limit integer, p_lease_seconds integer, p_tenant uuid, p_key text)
    returns table (tenant_id uuid, effect_key text, kind text, payload text, generation bigint, attempts integer,
                   lease uuid)
    language sql volatile security definer
    set search_path from current
as $$
    with due as (
        select e.tenant_id, e.effect_key
          from pending_effects e
         where e.parked_at is null
           and e.next_attempt_at <= clock_timestamp()
           and (e.leased_until is null or e.leased_until < clock_timestamp())
           and (p_tenant is null or (e.tenant_id = p_tenant and e.effect_key = p_key))
         order by e.next_attempt_at
         limit least(greatest(p_limit, 1), 500)
           for update skip locked)
    update pending_effects e
       set lease = gen_random_uuid(),
           leased_until = clock_timestamp() + make_interval(secs => greatest(p_lease_seconds, 1)),
           attempts = e.attempts + 1
      from due
     where e.tenant_id = due.tenant_id and e.effect_key = due.effect_key
    returning e.tenant_id, e.effect_key, e.kind, e.payload::text, e.generation, e.attempts, e.lease
$$;

-- Done: the row goes, unless the effect was requested again while it ran; then it is due again at once.
create function complete_pending_effect(p_tenant uuid, p_key text, p_lease uuid, p_generation bigint)
    returns void
    language plpgsql volatile security definer
    set search_path from current
as $$
begin
    delete from pending_effects
     where tenant_id = p_tenant and effect_key = p_key and lease = p_lease and generation = p_generation;
    if not found then
        update pending_effects
           set lease = null, leased_until = null, attempts = 0, next_attempt_at = clock_timestamp()
         where tenant_id = p_tenant and effect_key = p_key and lease = p_lease;
    end if;
end $$;

-- Failed: release the claim and wait p_delay_ms (or park it). A request made while it ran makes it due at once.
create function retry_pending_effect(p_tenant uuid, p_key text, p_lease uuid, p_generation bigint, p_delay_ms bigint,
                                     p_error text, p_park boolean)
    returns void
    language sql volatile security definer
    set search_path from current
as $$
    update pending_effects
       set lease = null,
           leased_until = null,
           last_error = left(p_error, 1000),
           next_attempt_at = case when generation = p_generation
                                  then clock_timestamp() + greatest(p_delay_ms, 0) * interval '1 millisecond'
                                  else clock_timestamp() end,
           attempts = case when generation = p_generation then attempts else 0 end,
           parked_at = case when p_park and generation = p_generation then clock_timestamp() end
     where tenant_id = p_tenant and effect_key = p_key and lease = p_lease
$$;

revoke all on function claim_pending_effects(integer, integer, uuid, text) from public;
revoke all on function complete_pending_effect(uuid, text, uuid, bigint) from public;
revoke all on function retry_pending_effect(uuid, text, uuid, bigint, bigint, text, boolean) from public;
grant execute on function claim_pending_effects(integer, integer, uuid, text) to ${app_role};
grant execute on function complete_pending_effect(uuid, text, uuid, bigint) to ${app_role};
grant execute on function retry_pending_effect(uuid, text, uuid, bigint, bigint, text, boolean) to ${app_role};
