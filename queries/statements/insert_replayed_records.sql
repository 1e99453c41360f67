-- Log the fresh staged records of a log export (`fresh_links`: line, seq) at the seq, recorded_at and link each
-- carries (`staged_positions`), in seq order, once replay_faults has found none at fault.
insert into events by name
select r.* exclude (line), f.seq, p.hash, p.recorded_at::timestamp as recorded_at
from staged_records as r
inner join fresh_links as f using (line)
inner join staged_positions as p using (line)
order by f.seq
