-- Issue 19 (item 1): each mini program's server domain allow-lists (request, upload, download, socket, webView),
-- and the copy of them that each release carries to wallets.

-- The lists as the console and ISVs edit them: one JSON object of five arrays of normalized entries, checked by the
-- application (ServerDomains) before it is written. The size check is a last line only: 5 × 20 entries of at most
-- 300 characters stay far below it. A mini program without a row has five empty lists (revision 0).
create table mini_program_domains (
    tenant_id  uuid        not null,
    app_id     text        not null,
    lists      jsonb       not null check (jsonb_typeof(lists) = 'object' and octet_length(lists::text) <= 65536),
    revision   bigint      not null check (revision > 0),
    updated_by text        not null,
    updated_at timestamptz not null,
    primary key (tenant_id, app_id),
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade
);

alter table mini_program_domains enable row level security;
alter table mini_program_domains force row level security;
create policy mini_program_domains_isolation on mini_program_domains
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

grant select, insert, update, delete on mini_program_domains to ${app_role};

-- A release carries the lists in force when it went live, so what a wallet gets for a version is reproducible: a
-- later edit reaches wallets only with a later release. The copy is taken by the database the moment a version leaves
-- release preparation for a live state (pilot, gray or full) on a target, whichever code path does it (console, ISV,
-- batch job); widening a gray release, going from pilot to gray to full and a rollback's restore keep the copy the
-- release went live with. Wallets read the column through the release's own policy (V19); no new wallet policy.
-- NULL: a release that went live before V29, delivered as five empty lists.
alter table releases add column domains jsonb;

create function release_takes_domains() returns trigger
    language plpgsql
as $$
begin
    if new.state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE')
       and (tg_op = 'INSERT' or old.state not in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE', 'ARCHIVED')) then
        -- runs in the releasing tenant's transaction: row-level security shows it its own lists, and only those
        new.domains := coalesce((select d.lists from mini_program_domains d
                                  where d.tenant_id = new.tenant_id and d.app_id = new.app_id), '{}'::jsonb);
    elsif tg_op = 'UPDATE' then
        new.domains := old.domains;
    end if;
    return new;
end $$;

create trigger releases_take_domains before insert or update on releases
    for each row execute function release_takes_domains();
