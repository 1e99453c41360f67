-- How many spans of stance (rows of `positions`) each actor has on each topic in $1.
select topic_id, actor_id, count(*) as spans
from timeline_internal.positions
where list_contains($1::varchar[], topic_id)
group by all
order by topic_id, actor_id
