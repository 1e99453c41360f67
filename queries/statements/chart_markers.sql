-- The events a chart marks: those in force about the (actor_id, topic_id) pairs $1, one topic's lanes (their own
-- statements and others' claims of them), that fall in the window [$2, $3], each with its outlet and the day it is
-- shown from, and how many there are (marked). Up to $4 of them, all, in seq order. Past it, only those where a
-- lane's stance changes, its own and the claims of it apart, taken evenly among them, in each lane's order of days
-- (lane, shown_from, seq). At 10M events the busiest topic's 30 lanes had 199k events for 1,490 markers: they are
-- chosen here, not in Python.
with shown as (
    select
        e.seq,
        e.actor_id,
        e.subject_id,
        e.actor_id <> e.subject_id as claim,
        e.occurred_from,
        e.occurred_to,
        greatest(coalesce(e.occurred_from, $2::date), $2::date) as shown_from,
        e.date_precision,
        e.date_text,
        e.stance,
        e.score,
        e.quote,
        e.source_id
    from timeline_internal.known_events(null, $1) as e
    where coalesce(e.occurred_from, $2::date) <= $3::date and e.occurred_to >= $2::date
),

turns as (
    select
        *,
        stance is distinct from lag(stance) over (partition by subject_id, claim order by shown_from, seq) as turns
    from shown
),

counted as (
    select *
    from turns
    cross join (select count(*) as marked, count(*) filter (where turns) as turned from turns)
),

kept as (
    select *
    from counted
    where marked <= $4
    union all
    select * exclude (nth)
    from (
        select *, row_number() over (order by subject_id, shown_from, seq) - 1 as nth
        from counted
        where marked > $4 and turns
    )
    where nth % ceil(turned / $4)::bigint = 0
)

select k.* exclude (turns, turned), s.outlet
from kept as k
left join sources as s using (source_id)
order by if(marked <= $4, null, k.subject_id), if(marked <= $4, null, k.shown_from), k.seq
