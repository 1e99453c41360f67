-- The latest $2 changes of position of each actor in $1, as `stance_changes` gives them, in its order.
select c.*
from stance_changes as c
inner join events as e using (event_id)
where list_contains($1::varchar[], c.actor_id)
qualify row_number() over (partition by c.actor_id order by c.changed_on, c.topic_id, e.seq)
    > count(*) over (partition by c.actor_id) - $2
order by c.actor_id, c.changed_on, c.topic_id, e.seq
