-- Per-type aggregates are computed per ingest partition without a repartition hop (docs/architecture.md,
-- "Process"); the sink keeps each partition's partial here and derives the 'TYPE' row of window_aggregates
-- from them in the same transaction. One row per type, window and part, fenced by aggregates-topic offset.
create table window_aggregate_parts (
    event_type       text          not null,
    window_start     timestamptz   not null,
    part             integer       not null,
    window_end       timestamptz   not null,
    count            bigint        not null,
    sum              numeric(38,6),
    min              numeric(38,6),
    max              numeric(38,6),
    last_event_time  timestamptz   not null,
    source_partition integer       not null,
    source_offset    bigint        not null,
    primary key (event_type, window_start, part)
);
