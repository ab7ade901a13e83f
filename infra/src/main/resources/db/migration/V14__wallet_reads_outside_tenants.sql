-- Wallet reads cross tenants by design (V10), but only in a wallet's own transaction, where no tenant is set. Each
-- wallet policy now says so itself, so a tenant transaction can never see another tenant's rows through a wallet
-- policy, whatever settings it carries; and every cross-tenant read policy has the one shape the RLS sweep accepts
-- ("no tenant set AND …"). Also: V7 moved package bytes into code_package_chunks, which wallets read too.
drop policy releases_wallet_read on releases;
create policy releases_wallet_read on releases for select
    using (app_current_tenant() is null and wallet_id = app_current_wallet()
           and state in ('PILOT_TESTING', 'GRAYSCALE', 'FULL_RELEASE'));

drop policy mini_programs_wallet_read on mini_programs;
create policy mini_programs_wallet_read on mini_programs for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from releases r
        where r.tenant_id = mini_programs.tenant_id and r.app_id = mini_programs.app_id
          and r.wallet_id = app_current_wallet()));

drop policy mini_program_localizations_wallet_read on mini_program_localizations;
create policy mini_program_localizations_wallet_read on mini_program_localizations for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from mini_programs m
        where m.tenant_id = mini_program_localizations.tenant_id and m.app_id = mini_program_localizations.app_id));

drop policy mini_program_versions_wallet_read on mini_program_versions;
create policy mini_program_versions_wallet_read on mini_program_versions for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from releases r
        where r.tenant_id = mini_program_versions.tenant_id and r.app_id = mini_program_versions.app_id
          and r.version = mini_program_versions.version));

drop policy logos_wallet_read on logos;
create policy logos_wallet_read on logos for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from mini_programs m
        where m.tenant_id = logos.tenant_id and m.logo_sha256 = logos.sha256));

drop policy code_packages_wallet_read on code_packages;
create policy code_packages_wallet_read on code_packages for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from mini_program_versions v
        where v.tenant_id = code_packages.tenant_id and v.sha256 = code_packages.sha256));

create policy code_package_chunks_wallet_read on code_package_chunks for select
    using (app_current_tenant() is null and app_current_wallet() is not null and exists (
        select 1 from mini_program_versions v
        where v.tenant_id = code_package_chunks.tenant_id and v.sha256 = code_package_chunks.sha256));

drop policy catalog_changes_wallet_read on catalog_changes;
create policy catalog_changes_wallet_read on catalog_changes for select
    using (app_current_tenant() is null and (wallet_id = app_current_wallet() or app_is_catalog_follower()));
