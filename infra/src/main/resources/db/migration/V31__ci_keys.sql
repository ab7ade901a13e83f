-- Issue 20 (item 2): CI keys. An owner or master gives a pipeline a key of the workspace: a confidential Keycloak
-- client (client credentials) that may only upload and preview, and optionally submit, the mini programs it names,
-- from optional source addresses. The secret lives in Keycloak only; the platform keeps what the key may do and reads
-- it on every request, so a revocation or a rotation counts from the next request on.
create table ci_keys (
    tenant_id       uuid        not null references tenants (id),
    id              uuid        not null,
    name            text        not null check (char_length(name) between 1 and 64),
    client_id       text        not null unique,
    -- the mini programs it may work on; a mini program deleted later simply stops matching
    app_ids         text[]      not null check (cardinality(app_ids) between 1 and 50),
    allow_submit    boolean     not null,
    -- CIDR blocks in their network form (10.0.0.0/8, 2001:db8::/32), checked by the application; empty: anywhere
    allowed_sources text[]      not null check (cardinality(allowed_sources) <= 20),
    created_by      text        not null,
    created_at      timestamptz not null,
    -- tokens issued before this instant are refused (a rotation); the creation time at first
    not_before      timestamptz not null,
    revoked_at      timestamptz,
    revoked_by      text,
    primary key (tenant_id, id),
    check ((revoked_at is null) = (revoked_by is null))
);

create index ci_keys_live on ci_keys (tenant_id) where revoked_at is null;

alter table ci_keys enable row level security;
alter table ci_keys force row level security;
create policy ci_keys_isolation on ci_keys
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

grant select, insert, update on ci_keys to ${app_role};

-- A preview a CI key made stays openable while the key is in force and still names the mini program (V30's rule for
-- members and ISVs, for the third kind of creator).
alter table previews add column creator_ci_key uuid;
alter table previews add constraint previews_creator_ci_key_fk
    foreign key (tenant_id, creator_ci_key) references ci_keys (tenant_id, id);
alter table previews drop constraint previews_check;
alter table previews add constraint previews_one_creator
    check (num_nonnulls(creator_user_id, creator_authorization, creator_ci_key) = 1);
