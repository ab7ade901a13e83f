-- An ISV's console lists the merchants that authorized it. Authorizations belong to the merchant (RLS on
-- tenant_id), so the ISV reads them only through this function, which returns only rows naming the ISV of the
-- current tenant context (never a parameter a caller could change) and only what the ISV may know: the
-- merchant's id and name, the service, the scopes and the state.
create function isv_authorized_merchants()
    returns table (merchant uuid, merchant_name text, service uuid, service_name text, scopes text, state text,
                   granted_at timestamptz, revoked_at timestamptz)
    language sql stable security definer set search_path = public
as $$
    select a.tenant_id, t.name, a.service_id, s.name, a.scopes, a.state, a.granted_at, a.revoked_at
    from authorizations a
    join tenants t on t.id = a.tenant_id
    join isv_services s on s.id = a.service_id
    where a.isv_tenant_id = app_current_tenant() and a.state in ('ACTIVE', 'REVOKED')
    order by a.granted_at desc nulls last
$$;

revoke all on function isv_authorized_merchants() from public;
grant execute on function isv_authorized_merchants() to ${app_role};
