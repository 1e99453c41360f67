-- The rows an append extends stop deciding their pairs where the new rows (temp table `extension`) start.
update timeline_internal.positions as p set valid_to = x.valid_from
from extension as x
where p.pair_key = x.pair_key and p.actor_id = x.actor_id and p.topic_id = x.topic_id
    and p.valid_to = 'infinity'::date
