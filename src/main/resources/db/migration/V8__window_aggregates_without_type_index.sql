-- window_aggregates_type_time (event_type, window_start) served no query: the history API reads a series' windows
-- by its primary key's prefix (scope, event_type, series_key, window_start). Updates of a window's figures are
-- mostly heap-only (no indexed column changes), but every new window and every update that moves to another page
-- wrote into it: 1-2 µs of the 16-18 µs an upsert costs PostgreSQL in an isolated run (docs/benchmarks.md).
drop index if exists window_aggregates_type_time;
