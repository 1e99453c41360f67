-- How do the events appended after `after_seq` extend their pairs' positions, when each is the newest word on
-- its (actor, topic) pair? The same stance continues the pair's run; another starts a new one.
create or replace macro extended_positions(after_seq) as table
with fresh as (
    select
        *,
        sort_key(occurred_from, seq) as key
    from events
    where seq > after_seq and subject_id = actor_id
),

latest as (
    select p.*
    from positions as p
    semi join fresh as f on p.actor_id = f.actor_id and p.topic_id = f.topic_id
    qualify row_number() over (partition by p.actor_id, p.topic_id order by p.sort_key desc) = 1
),

continued as (
    select
        f.*,
        l.stance is not distinct from f.stance as same_run,
        l.since as run_since,
        l.since_precision as run_precision,
        l.n_sources as run_sources,
        l.run_key as current_run_key,
        exists (
            select 1
            from positions as q
            where q.actor_id = f.actor_id and q.topic_id = f.topic_id and q.run_key = l.run_key
                and q.source_id = f.source_id
        ) as source_seen
    from fresh as f
    left join latest as l on l.actor_id = f.actor_id and l.topic_id = f.topic_id
)

select
    actor_id,
    topic_id,
    key as sort_key,
    seq,
    stance,
    score,
    occurred_from,
    occurred_to,
    case when same_run then run_since else occurred_from end as since,
    case when same_run then run_precision else date_precision end as since_precision,
    case when same_run then run_sources + (not source_seen)::integer else 1 end as n_sources,
    event_id,
    source_id,
    case when same_run then current_run_key else key end as run_key
from continued
