-- Each first-hand event as known at `known_at`, numbered by the run of unchanged stance it belongs to; only for
-- the (actor_id, topic_id) structs in `pairs` when it is given.
create or replace macro timeline_internal.stance_runs(known_at, pairs) as table
with first_hand as (
    select
        *,
        stance is distinct from lag(stance) over by_date as starts_run
    from timeline_internal.known_events(known_at, pairs)
    where subject_id = actor_id
    window by_date as (partition by actor_id, topic_id order by occurred_from asc nulls first, seq)
)

select
    *,
    (sum(starts_run::integer) over (
        partition by actor_id, topic_id order by occurred_from asc nulls first, seq
        rows between unbounded preceding and current row
    ))::bigint as run_no
from first_hand
