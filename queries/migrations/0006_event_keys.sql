-- A key per event (event_key: its id's first 32 bits), sorted within each append, so that appending one event
-- checks the log for its id in a row group or two rather than reading every id. Like `positions`, it is derived
-- from `events` and filled when the store is migrated or rebuilt.
create table event_keys (key uinteger not null);
