-- The console's read of one mini program in ONE statement: the caller's access (active membership of an open
-- workspace; a developer only for an assigned mini program) and the mini program with its texts, in one round
-- trip and no explicit transaction. The function sets the row-level-security settings itself with
-- set_config(…, true), i.e. for the statement's own implicit transaction, so they never outlive the call on a
-- pooled connection, and every query inside it still runs under the same policies as TenantScope's
-- transactions (SECURITY INVOKER). Because access is read on every call, a block, removal or role change takes
-- effect on the member's very next request on every node — there is no cache to invalidate.
-- The rules mirror TenantScope/Access (Membership.isActive, Tenant.isActive, Access.requireVisible); change
-- them together.
create function console_mini_program(p_tenant uuid, p_user text, p_app_id text)
    returns table (outcome text, app_id text, tenant_id uuid, default_language text, release_to text,
                   industry text, service_phone text, service_email text, logo_sha256 text, created_by text,
                   created_at timestamptz, updated_at timestamptz, version bigint, language text, name text,
                   tagline text, description text)
    language plpgsql
    volatile
    security invoker
as $$
#variable_conflict use_column
declare
    member_role text;
begin
    perform set_config('app.tenant_id', p_tenant::text, true), set_config('app.user_id', p_user, true),
            set_config('app.reviewer', '', true);
    select m.role into member_role
    from memberships m
             join tenants t on t.id = m.tenant_id
    where m.tenant_id = p_tenant
      and m.user_id = p_user
      and m.status = 'ACTIVE'
      and t.status = 'ACTIVE';
    if member_role is null then
        return query select 'NO_TENANT'::text, null::text, null::uuid, null::text, null::text, null::text,
                            null::text, null::text, null::text, null::text, null::timestamptz, null::timestamptz,
                            null::bigint, null::text, null::text, null::text, null::text;
        return;
    end if;
    if member_role = 'DEVELOPER' and not exists (select 1
                                                 from developer_assignments a
                                                 where a.tenant_id = p_tenant
                                                   and a.user_id = p_user
                                                   and a.app_id = p_app_id) then
        return query select 'HIDDEN'::text, null::text, null::uuid, null::text, null::text, null::text,
                            null::text, null::text, null::text, null::text, null::timestamptz, null::timestamptz,
                            null::bigint, null::text, null::text, null::text, null::text;
        return;
    end if;
    return query select 'OK'::text, p.app_id, p.tenant_id, p.default_language, p.release_to, p.industry,
                        p.service_phone, p.service_email, p.logo_sha256, p.created_by, p.created_at, p.updated_at,
                        p.version, l.language, l.name, l.tagline, l.description
                 from mini_programs p
                          join mini_program_localizations l on l.tenant_id = p.tenant_id and l.app_id = p.app_id
                 where p.tenant_id = p_tenant
                   and p.app_id = p_app_id
                 order by l.language;
end
$$;

grant execute on function console_mini_program(uuid, text, text) to ${app_role};
