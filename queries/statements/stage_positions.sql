-- The log positions the staged event lines carry, where they replay a log export ($2): the fields of the structure
-- $1 (ingest.LOG_KEYS) as columns of text, numbered by line as staged_events is. With $2 false, an empty table.
create or replace temp table staged_positions as
select rowid as line, unnest(json_transform(json, $1))
from staged_lines
where is_event and $2
