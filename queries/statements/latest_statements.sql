-- The latest $2 statements by or about each actor in $1, as `timeline` gives them (history), in the order they
-- happened, each with the actor it was read for (page_actor), its source's title and url, and how many earlier ones
-- the store holds (earlier). One read for every page, where a read an actor cost about 50 ms at 1M events.
with pages as (
    select unnest($1::varchar[]) as page_actor
),

about as (
    select actor_id as page_actor, seq, occurred_from
    from events
    where actor_id in (select page_actor from pages)
    union
    select subject_id, seq, occurred_from
    from events
    where subject_id in (select page_actor from pages)
),

latest as (
    select page_actor, seq, greatest(count(*) over (partition by page_actor) - $2, 0) as earlier
    from about
    qualify row_number() over (partition by page_actor order by occurred_from asc nulls first, seq)
        > count(*) over (partition by page_actor) - $2
)

select l.page_actor, l.earlier, t.*, s.title, s.url
from latest as l
inner join timeline_internal.named_events as t using (seq)
left join sources as s on s.source_id = t.source_id
order by l.page_actor, t.occurred_from asc nulls first, t.seq
