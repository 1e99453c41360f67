-- Stage the lines of file number $1 at path $2 as JSON, marking the event lines (those with no type, or "event").
insert into staged_lines
select $1, json, coalesce(json_extract_string(json, '$.type'), 'event') = 'event'
from read_ndjson_objects($2)
