-- events_key_time (event_type, partition_key, event_time) served no query: the history API reads events by type
-- and time (events_type_time) and by id (the primary key). It cost a btree insert per event, a third of what
-- PostgreSQL spent storing one (8.9 of 28.8 and 4.6 of 22.4 µs per row, docs/benchmarks.md). A deployment that
-- looks events up by key creates it again; "create index concurrently" builds it without blocking the sink.
drop index if exists events_key_time;
