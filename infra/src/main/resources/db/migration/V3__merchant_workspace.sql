-- Merchant workspace: mini programs with per-language texts and logos, developer assignments, invitations and
-- the append-only audit log. Same rules as V1: tenant_id leads every primary key, RLS enabled and forced.

alter table tenants add column group_id text;

alter table memberships add column display_name text;
alter table memberships add column email text;

create table logos (
    tenant_id    uuid        not null references tenants (id),
    sha256       text        not null,
    content_type text        not null,
    width        int         not null,
    height       int         not null,
    bytes        bytea       not null,
    created_at   timestamptz not null,
    primary key (tenant_id, sha256)
);

create table mini_programs (
    tenant_id        uuid        not null references tenants (id),
    app_id           text        not null unique,
    default_language text        not null,
    release_to       text        not null,
    industry         text        not null references industries (code),
    service_phone    text        not null,
    service_email    text        not null,
    logo_sha256      text,
    created_by       text        not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    version          bigint      not null,
    primary key (tenant_id, app_id),
    foreign key (tenant_id, logo_sha256) references logos (tenant_id, sha256)
);

create table mini_program_localizations (
    tenant_id   uuid not null,
    app_id      text not null,
    language    text not null,
    name        text not null,
    tagline     text not null,
    description text not null,
    primary key (tenant_id, app_id, language),
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade
);

create table developer_assignments (
    tenant_id uuid not null,
    user_id   text not null,
    app_id    text not null,
    primary key (tenant_id, user_id, app_id),
    foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade,
    foreign key (tenant_id, app_id) references mini_programs (tenant_id, app_id) on delete cascade
);

create table invitations (
    tenant_id     uuid        not null references tenants (id),
    id            uuid        not null,
    name          text        not null,
    email         text        not null,
    role          text        not null check (role in ('MASTER', 'DEVELOPER')),
    mini_programs text        not null,
    token_hash    text        not null unique,
    status        text        not null check (status in ('PENDING', 'ACCEPTED', 'WITHDRAWN')),
    invited_by    text        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    accepted_by   text,
    accepted_at   timestamptz,
    version       bigint      not null,
    primary key (tenant_id, id)
);

create table audit_events (
    tenant_id   uuid        not null references tenants (id),
    id          uuid        not null,
    occurred_at timestamptz not null,
    actor       text        not null,
    action      text        not null,
    target_type text        not null,
    target_id   text        not null,
    before      text,
    after       text,
    primary key (tenant_id, id)
);
create index audit_events_by_time on audit_events (tenant_id, occurred_at desc);

-- Append-only, twice over: the application role may only insert and read, and even the owner's UPDATE or
-- DELETE is refused by the trigger.
create function audit_events_append_only() returns trigger
    language plpgsql
as $$ begin raise exception 'audit_events is append-only'; end $$;
create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_append_only();

do $$
declare
    t text;
begin
    foreach t in array array['logos', 'mini_programs', 'mini_program_localizations', 'developer_assignments',
                             'invitations', 'audit_events']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (tenant_id = app_current_tenant()) '
                       'with check (tenant_id = app_current_tenant())', t || '_isolation', t);
    end loop;
end $$;

grant select, insert, update, delete on logos, mini_programs, mini_program_localizations, developer_assignments,
    invitations to ${app_role};
grant select, insert on audit_events to ${app_role};

-- A closed workspace keeps its rows (and audit log) but nobody can enter it any more.
alter table tenants add column status text not null default 'ACTIVE' check (status in ('ACTIVE', 'CLOSED'));
