-- The staged records the log does not hold yet, the first of any repeated id only, with the seq each will take
-- after the head seq $1, in line order.
select line, event_id, $1 + row_number() over (order by line) as seq
from (
    select line, event_id
    from staged_records
    anti join events using (event_id)
    qualify row_number() over (partition by event_id order by line) = 1
)
order by line
