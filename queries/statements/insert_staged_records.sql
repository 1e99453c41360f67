-- Log the fresh staged records of one slice with their seq and chain link (`fresh_links`, whose links come as
-- fixed-width bytes of hex digits: read as text), all recorded at $1, in seq order. A slice at a time keeps the sort
-- to a slice's records: the slices follow one another in seq order.
insert into events by name
select r.* exclude (line), l.seq, l.hash::varchar as hash, $1::timestamp as recorded_at
from staged_records as r
inner join fresh_links as l using (line)
order by l.seq
