-- Durable history: every accepted event once, window aggregates, alerts, and the sink's own Kafka offsets,
-- written in one transaction per batch (see docs/architecture.md, "Store").

create table events (
    event_id        text        primary key,
    event_type      text        not null,
    source          text        not null,
    subject         text,
    partition_key   text        not null,
    event_time      timestamptz not null,
    ingest_time     timestamptz not null,
    stored_at       timestamptz not null default now(),
    data            jsonb       not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null
);
create index events_type_time on events (event_type, event_time);
create index events_key_time on events (event_type, partition_key, event_time);

-- scope 'TYPE' rows have series_key ''. One row per series and window; later updates replace earlier ones,
-- fenced by the aggregates topic offset so a replayed older update never overwrites a newer one.
create table window_aggregates (
    scope            text          not null check (scope in ('KEY', 'TYPE')),
    event_type       text          not null,
    series_key       text          not null,
    window_start     timestamptz   not null,
    window_end       timestamptz   not null,
    count            bigint        not null,
    sum              numeric(38,6),
    min              numeric(38,6),
    max              numeric(38,6),
    mean             numeric(38,6),
    last_event_time  timestamptz   not null,
    updated_at       timestamptz   not null default now(),
    source_partition integer       not null,
    source_offset    bigint        not null,
    primary key (scope, event_type, series_key, window_start)
);
create index window_aggregates_type_time on window_aggregates (event_type, window_start);

create table alerts (
    alert_id        text             primary key,
    rule            text             not null,
    severity        text             not null,
    event_type      text             not null,
    series_key      text             not null,
    event_id        text             not null,
    event_time      timestamptz      not null,
    observed        double precision not null,
    baseline_mean   double precision not null,
    baseline_stddev double precision not null,
    score           double precision not null,
    message         text             not null,
    created_at      timestamptz      not null default now()
);
create index alerts_time on alerts (event_time desc);

-- The next offset each sink will read, committed with the rows it covers: the source of truth on restart.
create table sink_offsets (
    sink        text    not null,
    topic       text    not null,
    partition   integer not null,
    next_offset bigint  not null,
    primary key (sink, topic, partition)
);
