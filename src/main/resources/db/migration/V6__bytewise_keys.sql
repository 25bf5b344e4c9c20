-- Ids, types, keys and topic names are identifiers: compared for equality, grouped and range-scanned by the
-- indexes, never sorted for people. Unless the database's locale is C, every comparison of them went through the
-- locale's collation (strcoll, even for C.UTF-8): 4 % of PostgreSQL's CPU while inserting events, most of it in the
-- btree descents of their indexes (docs/benchmarks.md). Bytewise comparison (collate "C") gives the same order as
-- C.UTF-8 and lets the indexes compare with memcmp. The columns' type is unchanged; their indexes are rebuilt, which
-- on a large history takes a while (once, at the upgrade).
alter table events
    alter column event_id type text collate "C",
    alter column event_type type text collate "C",
    alter column partition_key type text collate "C";
alter table window_aggregates
    alter column scope type text collate "C",
    alter column event_type type text collate "C",
    alter column series_key type text collate "C";
alter table window_aggregate_parts
    alter column event_type type text collate "C";
alter table alerts
    alter column alert_id type text collate "C";
alter table metric_windows
    alter column metric type text collate "C",
    alter column group_key type text collate "C";
alter table sink_offsets
    alter column sink type text collate "C",
    alter column topic type text collate "C";
