-- Debugging on a real wallet before any review (issue 19): members bind their own wallet user ids as tester
-- accounts, and upload code packages as previews that only those testers can open, through a short-lived ticket
-- carried by a deep link / QR code. A preview is not a version: no review, never in the wallet catalog.

-- Each wallet opens previews through its own deep link scheme (RFC 3986 scheme, lower case). Existing wallets get
-- the platform's default, derived from the id so it is unique and valid.
alter table wallets add column deep_link_scheme text;
update wallets set deep_link_scheme = 'mpp-' || substr(replace(id::text, '-', ''), 1, 12) where deep_link_scheme is null;
alter table wallets alter column deep_link_scheme set not null;
alter table wallets add constraint wallets_deep_link_scheme_shape
    check (deep_link_scheme ~ '^[a-z][a-z0-9+.-]{0,63}$');

-- A member's own wallet user ids. They go with the membership (removal cascades; a block is checked on every use).
create table tester_accounts (
    tenant_id      uuid        not null,
    user_id        text        not null,
    wallet_id      uuid        not null references wallets (id),
    wallet_user_id text        not null check (char_length(wallet_user_id) between 1 and 128),
    created_at     timestamptz not null,
    primary key (tenant_id, user_id, wallet_id, wallet_user_id),
    foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade
);

-- Resolution asks "is this wallet user a tester of someone in this workspace".
create index tester_accounts_by_wallet_user on tester_accounts (tenant_id, wallet_id, wallet_user_id);

-- A preview: a package stored like a version's (code_packages, counted in the storage quota) for one wallet, with
-- the SHA-256 of its ticket (the ticket itself is never stored). The creator is a member (creator_user_id) or an ISV
-- acting under an authorization (creator_authorization); either must still be in force for the ticket to work.
create table previews (
    tenant_id             uuid        not null references tenants (id),
    id                    uuid        not null,
    app_id                text        not null,
    wallet_id             uuid        not null references wallets (id),
    sha256                text        not null,
    size                  bigint      not null,
    ticket_hash           text        not null,
    ticket_expires_at     timestamptz not null,
    creator_user_id       text,
    creator_authorization uuid,
    created_by            text        not null,
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, ticket_hash),
    check ((creator_user_id is null) <> (creator_authorization is null)),
    check (ticket_expires_at <= expires_at),
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade,
    foreign key (tenant_id, sha256) references code_packages (tenant_id, sha256)
);

create index previews_by_ticket on previews (ticket_hash);
create index previews_expiring on previews (expires_at);
create index previews_by_package on previews (tenant_id, sha256);

do $$
declare
    t text;
begin
    foreach t in array array['tester_accounts', 'previews']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

grant select, insert, delete on tester_accounts to ${app_role};
grant select, insert, update, delete on previews to ${app_role};

-- A package is kept while a version of a mini program or a template, or a preview, refers to it (V27's rule, now
-- with previews); deleting the last of them deletes the bytes, which gives them back to the storage quota.
create or replace function code_package_released() returns trigger
    language plpgsql
as $$
begin
    begin
        delete from code_packages p
        where p.tenant_id = old.tenant_id and p.sha256 = old.sha256
          and not exists (select 1 from mini_program_versions v where v.tenant_id = old.tenant_id and v.sha256 = old.sha256)
          and not exists (select 1 from template_versions t where t.tenant_id = old.tenant_id and t.sha256 = old.sha256)
          and not exists (select 1 from previews r where r.tenant_id = old.tenant_id and r.sha256 = old.sha256);
    exception when foreign_key_violation then
        null;
    end;
    return null;
end $$;

create trigger previews_release_package after delete on previews
    for each row execute function code_package_released();

-- The wallet knows a ticket, not the workspace. The one cross-tenant step: which workspace issued this ticket hash
-- for this wallet (nothing else; expiry, tester and membership are checked in that workspace's transaction, under
-- its row-level security).
create function preview_ticket_tenant(p_ticket_hash text, p_wallet uuid) returns uuid
    language sql stable security definer set search_path = public
as $$ select p.tenant_id from previews p where p.ticket_hash = p_ticket_hash and p.wallet_id = p_wallet limit 1 $$;

-- The purge: workspaces with previews expired before p_now, so each is purged in its own tenant transaction.
create function expired_preview_tenants(p_now timestamptz, p_limit int) returns setof uuid
    language sql stable security definer set search_path = public
as $$ select distinct p.tenant_id from previews p where p.expires_at <= p_now limit p_limit $$;

revoke all on function preview_ticket_tenant(text, uuid), expired_preview_tenants(timestamptz, int) from public;
grant execute on function preview_ticket_tenant(text, uuid), expired_preview_tenants(timestamptz, int) to ${app_role};
