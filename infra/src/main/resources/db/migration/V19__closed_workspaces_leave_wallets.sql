-- A closed workspace keeps its data and audit log, but its mini programs must leave every wallet at once: nobody
-- can enter the workspace any more to take them offline. The wallet's release policy (V14), through which every
-- other wallet policy reaches its rows (mini programs, localizations, versions, logos, packages), now also asks
-- whether the release's workspace is still ACTIVE. Wallet transactions cannot read tenants (RLS), so a narrow
-- SECURITY DEFINER function answers that one question. The close itself writes REMOVE rows into the change feed
-- (CatalogChanges#workspaceClosed), so mirrors and caches drop the mini programs too.
create function app_tenant_active(p_tenant uuid) returns boolean
    language sql stable security definer set search_path = public
as $$ select exists (select 1 from tenants t where t.id = p_tenant and t.status = 'ACTIVE') $$;

revoke all on function app_tenant_active(uuid) from public;
grant execute on function app_tenant_active(uuid) to ${app_role};

drop policy releases_wallet_read on releases;
create policy releases_wallet_read on releases for select
    using (app_current_tenant() is null and wallet_id = app_current_wallet()
           and state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE')
           and app_tenant_active(tenant_id));
