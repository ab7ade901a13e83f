-- Tenant isolation without exceptions, a membership history that outlives removal (for reviewer separation),
-- and database constraints for the two release rules that concurrent requests used to break.

-- 1. Inside a tenant context a tenant-scoped policy admits only that tenant's rows. The "my own rows" view,
--    which answers "my workspaces", is a SELECT-only policy that applies only when no tenant is set; it never
--    admits an UPDATE or DELETE, and never adds another workspace's rows to a workspace's own lists.
drop policy memberships_isolation on memberships;
create policy memberships_isolation on memberships
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());
create policy memberships_mine on memberships for select
    using (app_current_tenant() is null and user_id = app_current_user());

drop policy tenants_isolation on tenants;
create policy tenants_isolation on tenants
    using (id = app_current_tenant())
    with check (id = app_current_tenant());
create policy tenants_mine on tenants for select
    using (app_current_tenant() is null
           and id in (select m.tenant_id from memberships m where m.user_id = app_current_user()));

-- 2. Every membership ever held, written by a trigger in the transaction that changes the membership, so no code
--    path can forget it. Removing a member deletes the membership but leaves its history: that is what "was a
--    member" is checked against. Append-only like the audit log.
create table membership_history (
    tenant_id   uuid        not null references tenants (id),
    id          uuid        not null,
    user_id     text        not null,
    event       text        not null check (event in ('JOINED', 'CHANGED', 'REMOVED')),
    role        text        not null,
    status      text        not null,
    occurred_at timestamptz not null,
    primary key (tenant_id, id)
);
create index membership_history_by_user on membership_history (user_id, tenant_id);

alter table membership_history enable row level security;
alter table membership_history force row level security;
create policy membership_history_isolation on membership_history
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());
-- Without a tenant, a user sees where they have ever been a member: the review queue's policy needs exactly this.
create policy membership_history_mine on membership_history for select
    using (app_current_tenant() is null and user_id = app_current_user());

create function membership_history_append_only() returns trigger
    language plpgsql
as $$ begin raise exception 'membership_history is append-only'; end $$;
create trigger membership_history_append_only before update or delete on membership_history
    for each row execute function membership_history_append_only();

-- Runs with the caller's rights, so the history row passes the same WITH CHECK as the membership itself.
create function memberships_record_history() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'DELETE' then
        insert into membership_history (tenant_id, id, user_id, event, role, status, occurred_at)
        values (old.tenant_id, gen_random_uuid(), old.user_id, 'REMOVED', old.role, old.status, clock_timestamp());
        return old;
    end if;
    insert into membership_history (tenant_id, id, user_id, event, role, status, occurred_at)
    values (new.tenant_id, gen_random_uuid(), new.user_id,
            case when tg_op = 'INSERT' then 'JOINED' else 'CHANGED' end, new.role, new.status, clock_timestamp());
    return new;
end $$;
create trigger memberships_record_history after insert or update or delete on memberships
    for each row execute function memberships_record_history();

-- Backfill from the memberships that exist now. The migration may run as the tables' owner rather than a
-- superuser, and FORCEd RLS would show the owner nothing, so the force is lifted for these two statements only.
alter table memberships no force row level security;
alter table membership_history no force row level security;
insert into membership_history (tenant_id, id, user_id, event, role, status, occurred_at)
select tenant_id, gen_random_uuid(), user_id, 'JOINED', role, status, created_at from memberships;
alter table memberships force row level security;
alter table membership_history force row level security;

grant select, insert on membership_history to ${app_role};

-- 3. Reviewer separation in the database: the cross-tenant review queue never shows a reviewer a review of a
--    workspace they are or were a member of, so such a review can neither be listed nor located (404). Writes
--    to reviews stay tenant-only.
drop policy reviews_isolation on reviews;
create policy reviews_isolation on reviews
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());
create policy reviews_queue on reviews for select
    using (app_current_tenant() is null
           and app_is_reviewer()
           and not exists (select 1 from membership_history h
                           where h.tenant_id = reviews.tenant_id and h.user_id = app_current_user()));

-- 4. At most one FULL_RELEASE per mini program and target. Releasing a new version archives the previous one
--    first in the same transaction, so the index holds at every statement; of two concurrent full releases of
--    different versions the second waits for the first and then fails instead of both succeeding.
create unique index releases_one_full_release_per_target on releases (tenant_id, app_id, wallet_id, environment)
    where state = 'FULL_RELEASE';

-- 5. Versions only go up, even for simultaneous uploads: each insert locks its mini program's row and compares
--    with the highest version committed so far (READ COMMITTED gives every statement in the function a fresh
--    snapshot, so the second upload sees the first once it gets the lock).
create function mini_program_versions_only_up() returns trigger
    language plpgsql
as $$
declare
    latest record;
begin
    perform 1 from mini_programs where tenant_id = new.tenant_id and app_id = new.app_id for update;
    select v.version, v.major, v.minor, v.patch into latest
    from mini_program_versions v
    where v.tenant_id = new.tenant_id and v.app_id = new.app_id
    order by v.major desc, v.minor desc, v.patch desc
    limit 1;
    if found and (latest.major, latest.minor, latest.patch) >= (new.major, new.minor, new.patch) then
        raise exception 'versions only go up: the latest is %, so % is not accepted', latest.version, new.version
            using errcode = 'check_violation', constraint = 'mini_program_versions_only_up';
    end if;
    return new;
end $$;
create trigger mini_program_versions_only_up before insert on mini_program_versions
    for each row execute function mini_program_versions_only_up();
