-- The staged event lines as columns of text, one per field of the structure $1, numbered by line.
create or replace temp table staged_events as
select rowid as line, unnest(json_transform(json, $1))
from staged_lines
where is_event
