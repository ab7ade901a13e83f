-- Versions, release targets and review. A release target is a wallet (super app) plus an environment; the
-- state of each (version, target) pair follows Alipay+'s release statuses (see ReleaseStateMachine).

-- The wallet registry is platform data, kept by platform admins: no tenant, no RLS.
create table wallets (
    id             uuid        primary key,
    name           text        not null,
    client_id      text        not null unique,
    sandbox_review boolean     not null,
    created_by     text        not null,
    created_at     timestamptz not null
);

create table code_packages (
    tenant_id  uuid        not null references tenants (id),
    sha256     text        not null,
    size       bigint      not null,
    bytes      bytea       not null,
    created_at timestamptz not null,
    primary key (tenant_id, sha256)
);

create table mini_program_versions (
    tenant_id   uuid        not null,
    id          uuid        not null,
    app_id      text        not null,
    version     text        not null,
    major       int         not null,
    minor       int         not null,
    patch       int         not null,
    description text        not null,
    sha256      text        not null,
    size        bigint      not null,
    uploaded_by text        not null,
    created_at  timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, app_id, version),
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade,
    foreign key (tenant_id, sha256) references code_packages (tenant_id, sha256)
);

create table releases (
    tenant_id        uuid        not null,
    id               uuid        not null,
    app_id           text        not null,
    version          text        not null,
    wallet_id        uuid        not null references wallets (id),
    environment      text        not null check (environment in ('DEV', 'TEST', 'SANDBOX', 'PROD')),
    state            text        not null,
    gray_percent     int,
    pilot_user_ids   text,
    reject_reason    text,
    review_id        uuid,
    full_released_at timestamptz,
    updated_at       timestamptz not null,
    row_version      bigint      not null,
    primary key (tenant_id, id),
    -- one row per version and target: two simultaneous first submits cannot both insert
    unique (tenant_id, app_id, version, wallet_id, environment),
    foreign key (tenant_id, app_id, version) references mini_program_versions (tenant_id, app_id, version) on delete cascade
);
create index releases_by_target on releases (tenant_id, app_id, wallet_id, environment);

create table reviews (
    tenant_id    uuid        not null references tenants (id),
    id           uuid        not null,
    release_id   uuid        not null,
    app_id       text        not null,
    version      text        not null,
    wallet_id    uuid        not null,
    environment  text        not null,
    status       text        not null check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    reason       text,
    submitted_by text        not null,
    decided_by   text,
    created_at   timestamptz not null,
    decided_at   timestamptz,
    row_version  bigint      not null,
    primary key (tenant_id, id)
);
create index reviews_pending on reviews (status, created_at);

-- Transactional outbox: events are written in the transaction of the change; a publisher delivers them later.
create table outbox_events (
    tenant_id    uuid        not null references tenants (id),
    id           uuid        not null,
    occurred_at  timestamptz not null,
    type         text        not null,
    payload      text        not null,
    published_at timestamptz,
    primary key (tenant_id, id)
);
create index outbox_unpublished on outbox_events (occurred_at) where published_at is null;

do $$
declare
    t text;
begin
    foreach t in array array['code_packages', 'mini_program_versions', 'releases', 'outbox_events']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

-- Reviewers work across tenants on exactly one table: the review queue. The platform sets app.reviewer only
-- for callers with the platform-reviewer realm role.
create function app_is_reviewer() returns boolean
    language sql stable
as $$ select coalesce(current_setting('app.reviewer', true), '') = 'on' $$;

alter table reviews enable row level security;
alter table reviews force row level security;
create policy reviews_isolation on reviews
    using (tenant_id = app_current_tenant() or app_is_reviewer())
    with check (tenant_id = app_current_tenant());

grant select, insert on wallets to ${app_role};
grant select, insert on code_packages to ${app_role};
grant select, insert, delete on mini_program_versions to ${app_role};
grant select, insert, update on releases, reviews to ${app_role};
grant select, insert, update on outbox_events to ${app_role};
grant execute on function app_is_reviewer() to ${app_role};
