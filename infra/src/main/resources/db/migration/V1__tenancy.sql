-- Tenancy foundation. Every tenant-owned table carries tenant_id in its primary key (ready for Citus
-- distribution and co-location by tenant) and is protected by FORCEd row-level security keyed by the
-- per-transaction settings app.tenant_id and app.user_id, so a query that forgets its WHERE leaks nothing.

create function app_current_tenant() returns uuid
    language sql stable
as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create function app_current_user() returns text
    language sql stable
as $$ select nullif(current_setting('app.user_id', true), '') $$;

create table tenants (
    id          uuid        primary key,
    kind        text        not null check (kind in ('MERCHANT', 'ISV')),
    name        text        not null,
    organization_id text    not null,
    created_by  text        not null,
    created_at  timestamptz not null,
    version     bigint      not null
);

create table memberships (
    id          uuid        not null,
    tenant_id   uuid        not null references tenants (id),
    user_id     text        not null,
    role        text        not null check (role in ('OWNER', 'MASTER', 'DEVELOPER')),
    status      text        not null check (status in ('ACTIVE', 'BLOCKED')),
    created_at  timestamptz not null,
    version     bigint      not null,
    primary key (tenant_id, id),
    unique (tenant_id, user_id)
);

create index memberships_by_user on memberships (user_id);

alter table memberships enable row level security;
alter table memberships force row level security;

-- A member sees their own memberships in every tenant (that is how "my tenants" is answered) and, inside
-- the current tenant, everyone's.
create policy memberships_isolation on memberships
    using (tenant_id = app_current_tenant() or user_id = app_current_user())
    with check (tenant_id = app_current_tenant());

alter table tenants enable row level security;
alter table tenants force row level security;

create policy tenants_isolation on tenants
    using (id = app_current_tenant()
           or id in (select m.tenant_id from memberships m where m.user_id = app_current_user()))
    with check (id = app_current_tenant());

grant select, insert, update, delete on tenants, memberships to ${app_role};
grant execute on function app_current_tenant(), app_current_user() to ${app_role};
