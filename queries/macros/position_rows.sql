-- Each first-hand event in force today with its run worked out: the rows of `positions`, for the given
-- (actor_id, topic_id) pairs, or for all of them when `pairs` is NULL.
create or replace macro position_rows(pairs) as table
with sources as (
    select
        *,
        row_number() over (partition by actor_id, topic_id, run_no, source_id order by occurred_from asc nulls first, seq)
            = 1 as new_source
    from stance_runs(null, pairs := pairs)
)

select
    actor_id,
    topic_id,
    sort_key(occurred_from, seq) as sort_key,
    seq,
    stance,
    score,
    occurred_from,
    occurred_to,
    first(occurred_from) over run_so_far as since,
    first(date_precision) over run_so_far as since_precision,
    sum(new_source::integer) over run_so_far as n_sources,
    event_id,
    source_id,
    first(sort_key(occurred_from, seq)) over run_so_far as run_key
from sources
window run_so_far as (
    partition by actor_id, topic_id, run_no order by occurred_from asc nulls first, seq
    rows between unbounded preceding and current row
)
order by actor_id, topic_id, sort_key
