-- Each first-hand event in force today with its run worked out and the days it decides, [valid_from, valid_to):
-- the rows of `positions`, for the given (actor_id, topic_id) pairs, or for all of them when `pairs` is NULL.
-- An event followed by another on the same day decides no day (valid_to = valid_from); 'infinity': still in force.
create or replace macro position_rows(pairs) as table
with sources as (
    select
        *,
        coalesce(occurred_from, '1000-01-01'::date) as day,
        row_number() over (partition by actor_id, topic_id, run_no, source_id order by occurred_from asc nulls first, seq)
            = 1 as new_source
    from stance_runs(null, pairs := pairs)
)

select
    pair_key(actor_id, topic_id) as pair_key,
    actor_id,
    topic_id,
    day as valid_from,
    coalesce(lead(day) over by_time, 'infinity'::date) as valid_to,
    seq,
    stance,
    score,
    occurred_to,
    first(occurred_from) over run_so_far as since,
    first(date_precision) over run_so_far as since_precision,
    sum(new_source::integer) over run_so_far as n_sources,
    source_id,
    first(seq) over run_so_far as run_seq
from sources
window
    by_time as (partition by actor_id, topic_id order by day, seq),
    run_so_far as (
        partition by actor_id, topic_id, run_no order by day, seq
        rows between unbounded preceding and current row
    )
order by pair_key, valid_from, seq
