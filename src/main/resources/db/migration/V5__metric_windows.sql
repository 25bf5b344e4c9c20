-- Windows of the metrics declared in the definition file (docs/definitions.md) whose results go to PostgreSQL.
-- One row per metric, group key and window; an update replaces it only if it comes from a later offset of the
-- metrics topic (all updates of a metric's group key share a partition). 'final' rows are closed windows.
create table metric_windows (
    metric           text          not null,
    group_key        text          not null,
    window_start     timestamptz   not null,
    window_end       timestamptz   not null,
    window_kind      text          not null,
    lane             text          not null,
    final            boolean       not null,
    count            bigint        not null,
    figures          jsonb         not null,
    last_event_time  timestamptz   not null,
    updated_at       timestamptz   not null default now(),
    source_partition integer       not null,
    source_offset    bigint        not null,
    primary key (metric, group_key, window_start)
);
create index metric_windows_recent on metric_windows (metric, window_end desc);
