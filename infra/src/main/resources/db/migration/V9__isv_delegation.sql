-- ISVs and delegated authorization: the ISV's OAuth application, its services (marketplace), merchants'
-- authorizations of those services, and signed webhook deliveries fed from outbox_events.
-- Same rules as V1: tenant_id leads every primary key, RLS enabled and forced. Where the platform itself must
-- look across tenants (the marketplace, resolving an ISV token's client, the webhook relay), it does so through
-- the narrow SECURITY DEFINER functions at the end, each of which returns only what its one caller needs.

create table isv_applications (
    tenant_id               uuid        primary key references tenants (id),
    client_id               text        not null unique,
    client_uuid             text        not null,
    name                    text        not null,
    redirect_uris           text        not null,
    webhook_url             text,
    webhook_secret          text        not null,
    previous_webhook_secret text,
    previous_secret_until   timestamptz,
    status                  text        not null check (status in ('ACTIVE', 'SUSPENDED')),
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    version                 bigint      not null
);

create table isv_services (
    tenant_id     uuid        not null references tenants (id),
    id            uuid        not null unique,
    isv_name      text        not null,
    type          text        not null check (type in ('DEVELOPMENT', 'TEMPLATE')),
    name          text        not null,
    description   text        not null,
    industries    text        not null,
    scopes        text        not null,
    state         text        not null check (state in ('PENDING_APPROVAL', 'APPROVED', 'REJECTED')),
    reason        text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    version       bigint      not null,
    primary key (tenant_id, id)
);
create index isv_services_marketplace on isv_services (state, type, created_at);

-- tenant_id is the merchant: the authorization is the merchant's record of whom it lets in.
create table authorizations (
    tenant_id      uuid        not null references tenants (id),
    id             uuid        not null,
    isv_tenant_id  uuid        not null references tenants (id),
    service_id     uuid        not null references isv_services (id),
    client_id      text        not null,
    scopes         text        not null,
    state          text        not null check (state in ('PENDING_CONSENT', 'ACTIVE', 'REVOKED', 'CANCELED')),
    requested_by   text        not null,
    requested_at   timestamptz not null,
    granted_by     text,
    granted_at     timestamptz,
    revoked_by     text,
    revoked_at     timestamptz,
    consent_revoked_at timestamptz,
    version        bigint      not null,
    primary key (tenant_id, id)
);
-- one ACTIVE authorization per (merchant, ISV, service); re-authorization after revocation is a new row
create unique index authorizations_one_active on authorizations (tenant_id, isv_tenant_id, service_id)
    where state = 'ACTIVE';
create index authorizations_by_client on authorizations (tenant_id, client_id, state);
create index authorizations_consent_to_revoke on authorizations (revoked_at)
    where state = 'REVOKED' and consent_revoked_at is null;

-- tenant_id is the ISV that receives the webhook; event_tenant_id the tenant whose change it announces.
create table webhook_deliveries (
    tenant_id       uuid        not null references tenants (id),
    id              uuid        not null,
    event_id        uuid        not null,
    event_tenant_id uuid        not null,
    type            text        not null,
    occurred_at     timestamptz not null,
    payload         text        not null,
    state           text        not null check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         not null,
    next_attempt_at timestamptz not null,
    last_status     int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'PENDING';

do $$
declare
    t text;
begin
    foreach t in array array['isv_applications', 'authorizations', 'webhook_deliveries']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

-- The marketplace is public inside the platform: everyone may read APPROVED services; only the owning ISV
-- sees its pending and rejected ones, and only it writes.
alter table isv_services enable row level security;
alter table isv_services force row level security;
create policy isv_services_isolation on isv_services
    using (tenant_id = app_current_tenant() or state = 'APPROVED')
    with check (tenant_id = app_current_tenant());

grant select, insert, update on isv_applications, isv_services, authorizations, webhook_deliveries to ${app_role};

-- ---------------------------------------------------------------------------------------------------------
-- Cross-tenant look-ups, each as narrow as its caller. They run as the migration owner (bypassing RLS), take no
-- SQL text from callers, and fix search_path so a caller cannot redirect them.

-- An ISV's public face, by its tenant or by its OAuth client id: used to resolve an ISV token and to build a
-- merchant's authorize URL. No secrets leave this function.
create function isv_directory(p_tenant uuid, p_client text)
    returns table (tenant_id uuid, client_id text, name text, redirect_uri text, status text)
    language sql stable security definer set search_path = public
as $$
    select a.tenant_id, a.client_id, a.name, split_part(a.redirect_uris, ' ', 1), a.status
    from isv_applications a
    where a.tenant_id = p_tenant or a.client_id = p_client
$$;

-- The tenant a service belongs to, so a platform admin's decision runs in that tenant's context.
create function isv_service_tenant(p_service uuid) returns uuid
    language sql stable security definer set search_path = public
as $$ select s.tenant_id from isv_services s where s.id = p_service $$;

-- The platform admin's approval queue: services of every ISV in one state, oldest first.
create function isv_services_in_state(p_state text, p_limit int, p_offset int)
    returns setof isv_services
    language sql stable security definer set search_path = public
as $$ select * from isv_services s where s.state = p_state order by s.created_at, s.id limit p_limit offset p_offset $$;

-- Webhook relay, step 1: move a batch of unpublished outbox events into per-ISV deliveries, in one statement
-- (so one transaction): an event is marked published exactly when its deliveries exist, and concurrent relays
-- on other nodes skip the rows this one locked. Who receives what:
--   authorization.*        → the ISV named in the payload (isvTenantId)
--   release.approve/reject → version.review_approved / version.review_rejected
--   other release.*        → release.changed
--   merchant events go to every ISV with an ACTIVE authorization on that merchant at relay time.
-- ISVs without a webhook URL get no delivery rows. Unknown event types are published to nobody.
create function relay_outbox_events(p_batch int) returns int
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
                    when c.type = 'release.approve' then 'version.review_approved'
                    when c.type = 'release.reject' then 'version.review_rejected'
                    when c.type like 'release.%' then 'release.changed'
               end as webhook_type
        from claimed c
    ), targets as (
        select t.*, (t.payload::jsonb ->> 'isvTenantId')::uuid as isv
        from typed t where t.webhook_type like 'authorization.%'
        union all
        select t.*, a.isv_tenant_id
        from typed t
        join (select distinct au.tenant_id, au.isv_tenant_id from authorizations au where au.state = 'ACTIVE') a
          on a.tenant_id = t.tenant_id
        where t.webhook_type not like 'authorization.%'
    ), inserted as (
        insert into webhook_deliveries (tenant_id, id, event_id, event_tenant_id, type, occurred_at, payload, state,
                                        attempts, next_attempt_at, created_at)
        select g.isv, gen_random_uuid(), g.id, g.tenant_id, g.webhook_type, g.occurred_at,
               jsonb_set(g.payload::jsonb, '{merchantId}', to_jsonb(g.tenant_id::text))::text,
               'PENDING', 0, now(), now()
        from targets g
        join isv_applications app on app.tenant_id = g.isv and app.webhook_url is not null
        on conflict (tenant_id, event_id) do nothing
        returning 1
    )
    select count(*) into relayed from claimed;
    return relayed;
end $$;

-- Webhook relay, step 2: lease due deliveries to this node. The lease (next_attempt_at pushed forward) is what
-- makes a crash mid-delivery harmless: the delivery falls due again when the lease ends and goes out again with
-- the same id (at-least-once).
create function claim_webhook_deliveries(p_batch int, p_lease_seconds int)
    returns table (tenant_id uuid, id uuid, type text, occurred_at timestamptz, payload text, attempts int,
                   webhook_url text, webhook_secret text, previous_webhook_secret text)
    language sql volatile security definer set search_path = public
as $$
    with due as (
        select d.tenant_id, d.id from webhook_deliveries d
        where d.state = 'PENDING' and d.next_attempt_at <= now()
        order by d.next_attempt_at
        limit p_batch
        for update skip locked
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

-- Webhook relay, step 3: the outcome of one attempt. p_next_attempt null means "give up" (FAILED).
create function record_webhook_attempt(p_tenant uuid, p_id uuid, p_delivered boolean, p_status int, p_error text,
                                       p_next_attempt timestamptz) returns void
    language sql volatile security definer set search_path = public
as $$
    update webhook_deliveries
    set state = case when p_delivered then 'DELIVERED' when p_next_attempt is null then 'FAILED' else 'PENDING' end,
        last_status = p_status,
        last_error = left(p_error, 500),
        delivered_at = case when p_delivered then now() end,
        next_attempt_at = coalesce(p_next_attempt, next_attempt_at)
    where tenant_id = p_tenant and id = p_id
$$;

-- Keycloak consent revocation that could not be done at revoke time (Keycloak down) is retried from here.
create function consent_revocations_due(p_batch int)
    returns table (tenant_id uuid, id uuid, granted_by text, client_id text)
    language sql stable security definer set search_path = public
as $$
    select a.tenant_id, a.id, a.granted_by, a.client_id from authorizations a
    where a.state = 'REVOKED' and a.consent_revoked_at is null and a.granted_by is not null
    order by a.revoked_at limit p_batch
$$;

create function mark_consent_revoked(p_tenant uuid, p_id uuid) returns void
    language sql volatile security definer set search_path = public
as $$ update authorizations set consent_revoked_at = now() where tenant_id = p_tenant and id = p_id $$;

revoke all on function isv_directory(uuid, text), isv_service_tenant(uuid), isv_services_in_state(text, int, int), relay_outbox_events(int),
    claim_webhook_deliveries(int, int), record_webhook_attempt(uuid, uuid, boolean, int, text, timestamptz),
    consent_revocations_due(int), mark_consent_revoked(uuid, uuid) from public;
grant execute on function isv_directory(uuid, text), isv_service_tenant(uuid), isv_services_in_state(text, int, int), relay_outbox_events(int),
    claim_webhook_deliveries(int, int), record_webhook_attempt(uuid, uuid, boolean, int, text, timestamptz),
    consent_revocations_due(int), mark_consent_revoked(uuid, uuid) to ${app_role};
