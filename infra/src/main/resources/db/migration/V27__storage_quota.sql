-- Per-tenant storage accounting (decision: docs/security.md "Resource isolation"). Every byte a tenant stores lives in
-- one of three columns: code_package_chunks.bytes, code_packages.bytes (packages written before V7) and logos.bytes.
-- Triggers on exactly those keep tenant_usage.storage_bytes equal to their sum, on every path that writes or deletes
-- (an upload, a batch item, a cascade), so no code path can forget to count or to give back. The quota itself is
-- enforced by the application, which locks the tenant's usage row and checks the room before it writes (StorageQuota):
-- the lock is held to commit, so two parallel uploads cannot both pass the last free bytes.

create table tenant_usage (
    tenant_id     uuid   not null references tenants (id),
    storage_bytes bigint not null default 0 check (storage_bytes >= 0),
    primary key (tenant_id)
);

alter table tenant_usage enable row level security;
alter table tenant_usage force row level security;
create policy tenant_usage_isolation on tenant_usage
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

-- Runs with the caller's rights: the row is the tenant's own, under the tenant policy like the bytes that changed.
create function tenant_usage_add(p_tenant uuid, p_bytes bigint) returns void
    language sql
as $$
    insert into tenant_usage as u (tenant_id, storage_bytes) values (p_tenant, greatest(p_bytes, 0))
    on conflict (tenant_id) do update set storage_bytes = u.storage_bytes + p_bytes
$$;

create function stored_bytes_counted() returns trigger
    language plpgsql
as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.bytes is not null then
        perform tenant_usage_add(old.tenant_id, -octet_length(old.bytes));
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.bytes is not null then
        perform tenant_usage_add(new.tenant_id, octet_length(new.bytes));
    end if;
    return null;
end $$;

create trigger code_package_chunks_counted after insert or delete on code_package_chunks
    for each row execute function stored_bytes_counted();
create trigger code_packages_counted after insert or update of bytes or delete on code_packages
    for each row execute function stored_bytes_counted();
create trigger logos_counted after insert or update of bytes or delete on logos
    for each row execute function stored_bytes_counted();

-- Bytes nothing refers to any more are deleted, which gives them back to the quota: a package when its last version
-- (a mini program's or a template's) goes, e.g. with its mini program; a logo when its last mini program drops it.
-- A version or mini program that took the same bytes at the same moment holds a lock on them (see
-- PostgresCodePackageStore and MiniProgramService): the delete then fails its foreign key, and the bytes stay.
create function code_package_released() returns trigger
    language plpgsql
as $$
begin
    begin
        delete from code_packages p
        where p.tenant_id = old.tenant_id and p.sha256 = old.sha256
          and not exists (select 1 from mini_program_versions v where v.tenant_id = old.tenant_id and v.sha256 = old.sha256)
          and not exists (select 1 from template_versions t where t.tenant_id = old.tenant_id and t.sha256 = old.sha256);
    exception when foreign_key_violation then
        null;
    end;
    return null;
end $$;

create trigger mini_program_versions_release_package after delete on mini_program_versions
    for each row execute function code_package_released();
create trigger template_versions_release_package after delete on template_versions
    for each row execute function code_package_released();

create function logo_released() returns trigger
    language plpgsql
as $$
begin
    if old.logo_sha256 is null or (tg_op = 'UPDATE' and new.logo_sha256 is not distinct from old.logo_sha256) then
        return null;
    end if;
    begin
        delete from logos l
        where l.tenant_id = old.tenant_id and l.sha256 = old.logo_sha256
          and not exists (select 1 from mini_programs m where m.tenant_id = old.tenant_id and m.logo_sha256 = old.logo_sha256);
    exception when foreign_key_violation then
        null;
    end;
    return null;
end $$;

create trigger mini_programs_release_logo after update of logo_sha256 or delete on mini_programs
    for each row execute function logo_released();

-- Closing a workspace gives its storage back at once. Nobody can enter it any more and wallets no longer see it
-- (V19); its versions and audit log keep what was stored (hashes and sizes), the bytes themselves go. Without this,
-- sign-up, fill, close, sign up again would fill the database one quota at a time.
create function closed_tenant_storage_released() returns trigger
    language plpgsql
as $$
begin
    if new.status = 'CLOSED' and old.status is distinct from 'CLOSED' then
        delete from code_package_chunks where tenant_id = new.id;
        update code_packages set bytes = null where tenant_id = new.id and bytes is not null;
        update mini_programs set logo_sha256 = null where tenant_id = new.id and logo_sha256 is not null;
    end if;
    return null;
end $$;

create trigger tenants_release_storage_when_closed after update of status on tenants
    for each row execute function closed_tenant_storage_released();

-- The reference checks above, and the wallets' package policy (V14), look versions and mini programs up by hash.
create index mini_program_versions_by_package on mini_program_versions (tenant_id, sha256);
create index template_versions_by_package on template_versions (tenant_id, sha256);
create index mini_programs_by_logo on mini_programs (tenant_id, logo_sha256) where logo_sha256 is not null;

-- What is stored now: bytes left behind by deletions before this migration are removed, the rest is counted. The
-- migration may run as the tables' owner, which FORCEd row-level security would show nothing (as in V5), so the
-- force is lifted for these statements only.
alter table tenants no force row level security;
alter table code_packages no force row level security;
alter table code_package_chunks no force row level security;
alter table logos no force row level security;
alter table mini_programs no force row level security;
alter table mini_program_versions no force row level security;
alter table template_versions no force row level security;
alter table tenant_usage no force row level security;

delete from code_packages p
where not exists (select 1 from mini_program_versions v where v.tenant_id = p.tenant_id and v.sha256 = p.sha256)
  and not exists (select 1 from template_versions t where t.tenant_id = p.tenant_id and t.sha256 = p.sha256);
delete from logos l
where not exists (select 1 from mini_programs m where m.tenant_id = l.tenant_id and m.logo_sha256 = l.sha256);

-- the deletes above went through the triggers, which may have created rows: count again from scratch
delete from tenant_usage;
insert into tenant_usage (tenant_id, storage_bytes)
select t.id,
       coalesce((select sum(octet_length(c.bytes)) from code_package_chunks c where c.tenant_id = t.id), 0)
           + coalesce((select sum(octet_length(p.bytes)) from code_packages p where p.tenant_id = t.id), 0)
           + coalesce((select sum(octet_length(l.bytes)) from logos l where l.tenant_id = t.id), 0)
from tenants t;

alter table tenants force row level security;
alter table code_packages force row level security;
alter table code_package_chunks force row level security;
alter table logos force row level security;
alter table mini_programs force row level security;
alter table mini_program_versions force row level security;
alter table template_versions force row level security;
alter table tenant_usage force row level security;

-- Deleting unreferenced bytes (the triggers, and closing a workspace) needs what the application role had not: it
-- never deletes a package a version still refers to (the foreign keys refuse), and RLS keeps it in its tenant.
grant select, insert, update on tenant_usage to ${app_role};
grant update, delete on code_packages to ${app_role};
grant delete on code_package_chunks to ${app_role};
grant execute on function tenant_usage_add(uuid, bigint) to ${app_role};
