-- Over which half-open intervals [valid_from, valid_to) did each actor hold each stance? NULL valid_from: its start
-- is not known. NULL valid_to: still held, in the pair's last period; in an earlier one, the next period's start is
-- not known either, and as the log gives the later word, this one holds on no known day (`positions` gives it none).
create or replace view stance_periods as
with runs as (
    select
        actor_id,
        topic_id,
        run_no,
        any_value(stance) as stance,
        any_value(score) as score,
        first(occurred_from order by occurred_from asc nulls first, seq) as valid_from,
        first(date_precision order by occurred_from asc nulls first, seq) as date_precision,
        first(event_id order by occurred_from asc nulls first, seq) as first_event_id,
        count(*) as n_events,
        count(distinct source_id) as n_sources
    from timeline_internal.stance_runs(null, null)
    group by actor_id, topic_id, run_no
)

select
    actor_id,
    topic_id,
    stance,
    score,
    valid_from,
    lead(valid_from) over (partition by actor_id, topic_id order by run_no) as valid_to,
    run_no as period_no,
    date_precision,
    n_events,
    n_sources,
    first_event_id
from runs
order by actor_id, topic_id, run_no
