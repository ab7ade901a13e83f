-- The console's read of one mini program is cached per node, keyed by the tenant's epoch in Redis, which every
-- transaction that acted in the tenant changes after its commit (decision 164). Transactions run for a GET or HEAD
-- request do not change it, so they must not change what that read is made of either: membership and role, the
-- workspace's status, developer assignments, the mini program and its texts. The application says which requests
-- are safe (app.safe_request, set with the tenant for every transaction); here the database holds it to that.
create function refuse_change_in_safe_request() returns trigger
    language plpgsql
as $$
begin
    if coalesce(current_setting('app.safe_request', true), '') = 'on' then
        raise exception 'a GET or HEAD request may not change %', tg_table_name
            using errcode = 'read_only_sql_transaction';
    end if;
    return null;
end $$;

create trigger memberships_unchanged_by_safe_requests before insert or update or delete on memberships
    for each statement execute function refuse_change_in_safe_request();
create trigger tenants_unchanged_by_safe_requests before insert or update or delete on tenants
    for each statement execute function refuse_change_in_safe_request();
create trigger developer_assignments_unchanged_by_safe_requests before insert or update or delete on developer_assignments
    for each statement execute function refuse_change_in_safe_request();
create trigger mini_programs_unchanged_by_safe_requests before insert or update or delete on mini_programs
    for each statement execute function refuse_change_in_safe_request();
create trigger mini_program_localizations_unchanged_by_safe_requests before insert or update or delete on mini_program_localizations
    for each statement execute function refuse_change_in_safe_request();
