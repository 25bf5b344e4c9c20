-- The schema registry (docs/schemas.md). A schema gets one global id, whatever subjects it is registered under;
-- a subject is an ordered list of versions, each pointing at a schema. Deleting a version is soft first
-- (hidden, number never reused), permanent second, as in Confluent's registry.
create table registry_schemas (
    id           serial   primary key,
    schema_type  text     not null,
    schema_text  text     not null,
    -- SHA-256 of schema_text as normalized by the parser: registering the same schema again finds its id
    fingerprint  bytea    not null unique
);

create table registry_versions (
    subject        text         not null,
    version        integer      not null,
    schema_id      integer      not null references registry_schemas (id),
    deleted        boolean      not null default false,
    registered_at  timestamptz  not null default now(),
    primary key (subject, version)
);
create index registry_versions_by_schema on registry_versions (schema_id);

-- Compatibility level per subject; the row with subject '' is the global default.
create table registry_config (
    subject        text  primary key,
    compatibility  text  not null
);
insert into registry_config (subject, compatibility) values ('', 'BACKWARD');
