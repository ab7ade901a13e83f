-- Seeds a benchmark catalog fast, as superuser (row-level security does not apply to the table owner's
-- superuser session), in set-based statements: :catalog mini programs spread over bench tenants (100 each),
-- two localizations each, one code package per tenant, version 1.0.0 fully released to the demo wallet's PROD
-- target. The first :console ones belong to the demo merchant's workspace, so its owner reads them in the
-- console scenario. App ids are 'mp' + 20 letters of the platform's own alphabet, as AppIds makes them.
\set ON_ERROR_STOP on
begin;

create temporary table bench_apps as
select g as n,
       'mp' || translate(lpad(g::text, 20, '0'), '0123456789', 'abcdefghij') as app_id,
       case when g <= :console then :'demo_tenant'::uuid
            else ('00000000-0000-4000-8000-' || lpad(to_hex(((g - 1) / 100)::int), 12, '0'))::uuid end as tenant_id
from generate_series(1, :catalog) g;

insert into tenants (id, kind, name, organization_id, created_by, created_at, version)
select distinct tenant_id, 'MERCHANT', 'Bench Merchant ' || tenant_id, 'bench-org-' || tenant_id, 'bench', now(), 0
from bench_apps where tenant_id <> :'demo_tenant'::uuid;

insert into code_packages (tenant_id, sha256, size, bytes, created_at)
select distinct tenant_id, repeat('ab', 32), 22, '\x504b0506000000000000000000000000000000000000'::bytea, now()
from bench_apps;

insert into mini_programs (tenant_id, app_id, default_language, release_to, industry, service_phone, service_email,
                           logo_sha256, created_by, created_at, updated_at, version)
select tenant_id, app_id, 'zh-CN', 'CN', :'industry', '0571-8888888', 'service@bench.example', null, 'bench',
       now() - (n || ' seconds')::interval, now(), 0
from bench_apps;

insert into mini_program_localizations (tenant_id, app_id, language, name, tagline, description)
select tenant_id, app_id, 'zh-CN', '茶馆' || n, '一杯好茶，一段好时光，欢迎光临', '西湖边的百年茶馆，提供龙井、碧螺春等名茶，以及精致茶点和安静的品茶空间。'
from bench_apps
union all
select tenant_id, app_id, 'en-US', 'Tea House ' || n, 'Fine tea by the West Lake',
       'A century-old tea house by the West Lake serving Longjing and fine pastries.'
from bench_apps;

insert into mini_program_versions (tenant_id, id, app_id, version, major, minor, patch, description, sha256, size,
                                   uploaded_by, created_at)
select tenant_id, gen_random_uuid(), app_id, '1.0.0', 1, 0, 0, 'bench', repeat('ab', 32), 22, 'bench', now()
from bench_apps;

insert into releases (tenant_id, id, app_id, version, wallet_id, environment, state, gray_percent, full_released_at,
                      updated_at, row_version)
select tenant_id, gen_random_uuid(), app_id, '1.0.0', :'wallet'::uuid, 'PROD', 'FULL_RELEASE', 100, now(), now(), 0
from bench_apps;

commit;
analyze;
