-- V9 gave isv_services one policy for every command that also admitted APPROVED services of other ISVs. USING
-- applies to UPDATE and DELETE too, so inside any tenant an approved service of another ISV could be deleted, or
-- updated into the caller's tenant, as far as row-level security was concerned. Writes now see only the
-- workspace's own rows; the public marketplace is a separate, read-only policy.
drop policy isv_services_isolation on isv_services;

create policy isv_services_isolation on isv_services
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

create policy isv_services_marketplace on isv_services
    for select
    using (state = 'APPROVED');
