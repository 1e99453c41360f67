-- Each first-hand event in force today with its run worked out and the days it decides, [valid_from, valid_to):
-- the rows of `positions`, for the given (actor_id, topic_id) pairs, or for all of them when `pairs` is NULL.
-- An event followed by another on the same day decides no day (valid_to = valid_from); 'infinity': still in force.
-- With `after_seq`, the pairs' events are read from their rows in `positions` plus the events after that seq, which
-- must correct none: a late event then recomputes its pair without rereading the log.
-- The windows partition by the integer pair_key and order by the ids first, so that pairs whose keys collide
-- stay apart: a change of pair starts a new run, and no pair's row looks ahead into another's. Runs are worked out
-- here, not read from stance_runs: a whole rebuild is faster sorted by the integer key (2.0-2.35 against 2.5-2.9 s
-- at 1M events), while stance_runs, and stance_from_log over it, are faster partitioned by the ids (2.1 against
-- 2.9 s, and 2.1 against 2.4 s). The tests hold positions and stance_from_log to the same answers.
-- The rows come unsorted: a writer sorts what it inserts by (pair_key, valid_from, seq), which keeps each row group's
-- keys narrow, and verify compares them as they come (at 10M events, sorting them too took 6.4 GB, where 4.9 GB).
create or replace macro timeline_internal.position_rows(pairs, after_seq) as table
with first_hand as (
    select actor_id, topic_id, seq, stance, score, occurred_from, occurred_to, date_precision, source_id
    from timeline_internal.known_events(null, pairs)
    where subject_id = actor_id and after_seq is null
    union all
    select actor_id, topic_id, seq, stance, score, if(undated, null, valid_from), occurred_to, date_precision, source_id
    from timeline_internal.positions
    where after_seq is not null and pair_key in (select pair_key from timeline_internal.keyed_pairs(pairs))
    union all
    select actor_id, topic_id, seq, stance, score, occurred_from, occurred_to, date_precision, source_id
    from events
    where seq > after_seq and subject_id = actor_id
),

keyed as (
    select
        timeline_internal.pair_key(actor_id, topic_id) as pair_key,
        *,
        coalesce(occurred_from, '1000-01-01'::date) as day
    from first_hand
    where after_seq is null or (actor_id, topic_id) in (select actor_id, topic_id from timeline_internal.keyed_pairs(pairs))
),

neighbours as (
    select
        *,
        (actor_id, topic_id, stance) is distinct from lag((actor_id, topic_id, stance)) over by_time as starts_run,
        if((actor_id, topic_id) = lead((actor_id, topic_id)) over by_time, lead(day) over by_time, 'infinity'::date)
            as valid_to
    from keyed
    window by_time as (partition by pair_key order by actor_id, topic_id, day, seq)
),

runs as (
    select
        *,
        sum(starts_run::integer) over (
            partition by pair_key order by actor_id, topic_id, day, seq
            rows between unbounded preceding and current row
        ) as run_no
    from neighbours
),

sources as (
    select
        *,
        row_number() over (partition by pair_key, run_no, source_id order by day, seq) = 1 as new_source
    from runs
)

select
    pair_key,
    actor_id,
    topic_id,
    day as valid_from,
    valid_to,
    seq,
    stance,
    score,
    occurred_to,
    first(occurred_from) over run_so_far as since,
    first(date_precision) over run_so_far as since_precision,
    sum(new_source::integer) over run_so_far as n_sources,
    source_id,
    first(seq) over run_so_far as run_seq,
    occurred_from is null as undated,
    date_precision
from sources
window run_so_far as (
    partition by pair_key, run_no order by day, seq
    rows between unbounded preceding and current row
)
