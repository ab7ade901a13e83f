-- Wallet read path. A wallet reads across tenants, but only what is released to it: row-level security gets a
-- third kind of caller, keyed by the transaction-local setting app.wallet_id, with SELECT-only policies that
-- admit a row exactly when a live release (pilot, gray or full) of its mini program targets that wallet.
-- The change feed is the table catalog_changes, written in the transaction of every wallet-visible change.

create function app_current_wallet() returns uuid
    language sql stable
as $$ select nullif(current_setting('app.wallet_id', true), '')::uuid $$;

-- API nodes follow the whole feed to invalidate their caches (the safety net behind Redis pub/sub).
create function app_is_catalog_follower() returns boolean
    language sql stable
as $$ select coalesce(current_setting('app.catalog_follower', true), '') = 'on' $$;

create index releases_live_by_wallet on releases (wallet_id, app_id)
    where state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE');

create policy releases_wallet_read on releases for select
    using (wallet_id = app_current_wallet() and state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE'));

create policy mini_programs_wallet_read on mini_programs for select
    using (app_current_wallet() is not null and exists (
        select 1 from releases r
        where r.tenant_id = mini_programs.tenant_id and r.app_id = mini_programs.app_id
          and r.wallet_id = app_current_wallet()));

create policy mini_program_localizations_wallet_read on mini_program_localizations for select
    using (app_current_wallet() is not null and exists (
        select 1 from mini_programs m
        where m.tenant_id = mini_program_localizations.tenant_id and m.app_id = mini_program_localizations.app_id));

create policy mini_program_versions_wallet_read on mini_program_versions for select
    using (app_current_wallet() is not null and exists (
        select 1 from releases r
        where r.tenant_id = mini_program_versions.tenant_id and r.app_id = mini_program_versions.app_id
          and r.version = mini_program_versions.version));

create policy logos_wallet_read on logos for select
    using (app_current_wallet() is not null and exists (
        select 1 from mini_programs m
        where m.tenant_id = logos.tenant_id and m.logo_sha256 = logos.sha256));

create policy code_packages_wallet_read on code_packages for select
    using (app_current_wallet() is not null and exists (
        select 1 from mini_program_versions v
        where v.tenant_id = code_packages.tenant_id and v.sha256 = code_packages.sha256));

-- One row per wallet-visible change of one mini program on one target. tx is the writing transaction's id:
-- readers serve only rows of transactions older than every transaction still running
-- (tx < pg_snapshot_xmin(pg_current_snapshot())) in (tx, seq) order, so a cursor never skips a row that commits
-- late, without any lock between writers.
create table catalog_changes (
    seq         bigserial   not null,
    tx          xid8        not null default pg_current_xact_id(),
    tenant_id   uuid        not null references tenants (id),
    wallet_id   uuid        not null references wallets (id),
    environment text        not null,
    app_id      text        not null,
    kind        text        not null check (kind in ('UPSERT', 'REMOVE')),
    version     text,
    occurred_at timestamptz not null default now(),
    primary key (seq)
);
create index catalog_changes_feed on catalog_changes (wallet_id, environment, tx, seq);
create index catalog_changes_follow on catalog_changes (tx, seq);

alter table catalog_changes enable row level security;
alter table catalog_changes force row level security;
create policy catalog_changes_write on catalog_changes for insert
    with check (tenant_id = app_current_tenant());
create policy catalog_changes_wallet_read on catalog_changes for select
    using (wallet_id = app_current_wallet() or app_is_catalog_follower());

-- Records the current wallet-visible state of one mini program on every target it was ever submitted to:
-- UPSERT with the fully released version (null while only pilot or gray) while a live release exists, else
-- REMOVE. Called inside the tenant's transaction of the change, so the row exists exactly when the change does.
create function app_catalog_touch(p_app_id text, p_removed boolean) returns int
    language sql
as $$
    with targets as (
        select r.tenant_id, r.wallet_id, r.environment,
               bool_or(r.state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE')) as live,
               max(r.version) filter (where r.state = 'FULL_RELEASE') as full_version
        from releases r
        where r.tenant_id = app_current_tenant() and r.app_id = p_app_id
        group by r.tenant_id, r.wallet_id, r.environment),
    written as (
        insert into catalog_changes (tenant_id, wallet_id, environment, app_id, kind, version)
        select t.tenant_id, t.wallet_id, t.environment, p_app_id,
               case when t.live and not p_removed then 'UPSERT' else 'REMOVE' end,
               case when t.live and not p_removed then t.full_version end
        from targets t
        returning 1)
    select count(*)::int from written
$$;

grant select, insert on catalog_changes to ${app_role};
grant usage on sequence catalog_changes_seq_seq to ${app_role};
grant execute on function app_current_wallet(), app_is_catalog_follower(), app_catalog_touch(text, boolean)
    to ${app_role};
