-- How do the events appended after `after_seq` extend their pairs' positions, when each is the newest word on
-- its (actor, topic) pair? The same stance continues the row the pair holds open; another starts a new run.
-- `pairs`: the pairs those events touch (touched_pairs, or the writer's own list), which narrows the search of
-- `positions`. `held_from` is where the pair's open row starts (NULL for a new pair), for extension_holds: it is
-- not a column of `positions`.
create or replace macro timeline_internal.extended_positions(after_seq, pairs) as table
with fresh as (
    select
        *,
        coalesce(occurred_from, '1000-01-01'::date) as day
    from events
    where seq > after_seq and subject_id = actor_id
),

pair_rows as (
    select p.*
    from timeline_internal.positions as p
    semi join timeline_internal.keyed_pairs(pairs) as k on k.pair_key = p.pair_key
),

continued as (
    select
        f.*,
        l.stance is not distinct from f.stance as same_run,
        l.since as run_since,
        l.since_precision as run_precision,
        l.n_sources as run_sources,
        l.run_seq as current_run_seq,
        l.valid_from as held_from,
        exists (
            select 1
            from pair_rows as q
            where q.actor_id = f.actor_id and q.topic_id = f.topic_id and q.run_seq = l.run_seq
                and q.source_id = f.source_id
        ) as source_seen
    from fresh as f
    left join pair_rows as l
        on l.actor_id = f.actor_id and l.topic_id = f.topic_id and l.valid_to = 'infinity'::date
)

select
    timeline_internal.pair_key(actor_id, topic_id) as pair_key,
    actor_id,
    topic_id,
    day as valid_from,
    'infinity'::date as valid_to,
    seq,
    stance,
    score,
    occurred_to,
    case when same_run then run_since else occurred_from end as since,
    case when same_run then run_precision else date_precision end as since_precision,
    case when same_run then run_sources + (not source_seen)::integer else 1 end as n_sources,
    source_id,
    case when same_run then current_run_seq else seq end as run_seq,
    occurred_from is null as undated,
    date_precision,
    held_from
from continued
