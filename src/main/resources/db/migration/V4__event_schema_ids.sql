-- Which registered schema version each event's payload was written with (docs/schemas.md, "Evolving a schema"):
-- `data` holds the payload as written, fields newer than the pipeline included, and this says how to read it.
-- Null for events stored before the registry took part in ingest.
alter table events add column schema_id integer;
