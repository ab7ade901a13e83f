-- Code packages are stored in chunks of at most 1 MB instead of one bytea value: the driver materialises a bound
-- value in full, so one row per package meant a 20 MB buffer per upload in flight. code_packages keeps the
-- metadata (and, for rows written before this migration, the bytes).
alter table code_packages alter column bytes drop not null;

create table code_package_chunks (
    tenant_id uuid  not null,
    sha256    text  not null,
    seq       int   not null check (seq >= 0),
    bytes     bytea not null,
    primary key (tenant_id, sha256, seq),
    foreign key (tenant_id, sha256) references code_packages (tenant_id, sha256) on delete cascade
);

alter table code_package_chunks enable row level security;
alter table code_package_chunks force row level security;
create policy code_package_chunks_isolation on code_package_chunks
    using (tenant_id = app_current_tenant())
    with check (tenant_id = app_current_tenant());

grant select, insert on code_package_chunks to ${app_role};
