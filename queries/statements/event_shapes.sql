-- The distinct shapes of the staged event lines: their keys, and the JSON types of the fields at paths $1 (in
-- ingest.EVENT_KEYS order). A line where no colon is followed by anything but a quote or null holds only strings and
-- nulls; its types are left empty, which spares the costly per-field lookup on nearly every line.
select
    json_keys(json),
    if(regexp_matches(json::varchar, ':\s*[^"\sn]'), json_type(json, $1), []) as types,
    any_value(json)
from staged_lines
where is_event
group by all
