-- Mini program templates (docs/templates.md). A template and its versions belong to the ISV tenant; an instance
-- (a merchant's mini program made from a template) belongs to the merchant, like every mini program.

create table templates (
    tenant_id   uuid        not null references tenants (id),
    id          uuid        not null,
    name        text        not null,
    description text        not null,
    industry    text        not null references industries (code),
    created_by  text        not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, id)
);
create index templates_by_creation on templates (tenant_id, created_at, id);

create table template_versions (
    tenant_id   uuid        not null,
    template_id uuid        not null,
    version     text        not null,
    major       int         not null,
    minor       int         not null,
    patch       int         not null,
    description text        not null,
    sha256      text        not null,
    size        bigint      not null,
    ext_schema  text        not null,
    state       text        not null check (state in ('CREATED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED')),
    review_id   uuid,
    reason      text,
    uploaded_by text        not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, template_id, version),
    foreign key (tenant_id, template_id) references templates (tenant_id, id) on delete cascade,
    foreign key (tenant_id, sha256) references code_packages (tenant_id, sha256)
);

-- The review queue also holds template versions: reviewed once, for every merchant (no release or target then).
alter table reviews add column template_id uuid;
alter table reviews alter column release_id drop not null;
alter table reviews alter column app_id drop not null;
alter table reviews alter column wallet_id drop not null;
alter table reviews alter column environment drop not null;
alter table reviews add constraint reviews_subject check (
    (template_id is null and release_id is not null and app_id is not null and wallet_id is not null and environment is not null)
    or (template_id is not null and release_id is null));

-- A version built from a template records which one, and the ext config it was built with (valid against that
-- template version's schema when written; the schema of a version never changes).
alter table mini_program_versions add column template_isv uuid;
alter table mini_program_versions add column template_id uuid;
alter table mini_program_versions add column template_version text;
alter table mini_program_versions add column ext_config text;

-- At most one mini program per (merchant, template): applying a template again updates it, never duplicates it,
-- whichever job, retry or node does it.
create table template_instances (
    tenant_id        uuid        not null references tenants (id),
    template_id      uuid        not null,
    isv_tenant_id    uuid        not null references tenants (id),
    app_id           text        not null,
    template_version text        not null,
    ext_config       text        not null,
    job_id           uuid,
    item_seq         int,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    primary key (tenant_id, template_id),
    unique (tenant_id, app_id),
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade
);

do $$
declare
    t text;
begin
    foreach t in array array['templates', 'template_versions', 'template_instances']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

grant select, insert, update on templates, template_versions to ${app_role};
grant select, insert, update, delete on template_instances to ${app_role};

-- Whether a merchant's version may skip its own review: it names an APPROVED version of a template of that ISV.
-- The template lives in the ISV's tenant, which the merchant's transaction cannot read; this answers one bit.
create function template_version_approved(p_isv uuid, p_template uuid, p_version text) returns boolean
    language sql stable security definer set search_path = public
as $$
    select exists (select 1 from template_versions v
                   where v.tenant_id = p_isv and v.template_id = p_template and v.version = p_version
                     and v.state = 'APPROVED')
$$;
revoke all on function template_version_approved(uuid, uuid, text) from public;
grant execute on function template_version_approved(uuid, uuid, text) to ${app_role};
