-- What position did each actor hold on each topic on day `d`, worked out from the log as it stood at `known_at`?
-- Only for the (actor_id, topic_id) structs in `pairs` when it is given.
create or replace macro timeline_internal.stance_from_log(d, known_at, pairs) as table
with said as (
    select *
    from timeline_internal.stance_runs(known_at, pairs)
    where coalesce(occurred_from, '-infinity'::date) <= d::date
),

deciding as (
    select
        actor_id,
        topic_id,
        max(run_no) as run_no,
        arg_max(event_id, timeline_internal.sort_key(occurred_from, seq)) as event_id
    from said
    group by actor_id, topic_id
),

current_run as (
    select
        said.actor_id,
        said.topic_id,
        first(said.occurred_from order by said.occurred_from asc nulls first, said.seq) as since,
        first(said.date_precision order by said.occurred_from asc nulls first, said.seq) as date_precision,
        count(distinct said.source_id) as n_sources
    from said
    inner join deciding using (actor_id, topic_id, run_no)
    group by said.actor_id, said.topic_id
)

select
    e.actor_id,
    a.name as actor_name,
    e.topic_id,
    e.stance,
    e.score,
    r.since,
    r.date_precision,
    e.occurred_to > d::date as date_uncertain,
    r.n_sources,
    e.event_id,
    e.quote,
    e.summary,
    e.source_id,
    e.conditions,
    e.confidence
from deciding
inner join said as e using (event_id)
inner join current_run as r on r.actor_id = e.actor_id and r.topic_id = e.topic_id
left join actors as a on a.actor_id = e.actor_id
