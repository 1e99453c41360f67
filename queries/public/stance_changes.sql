-- When did an actor change position on a topic, and was it a shift or a reversal? Repeats are not changes. The
-- change is dated as its first event is: somewhere from changed_on (NULL: an open start) to changed_by, at
-- date_precision. Changes of one pair on one day come in the order they happened (their events' seq).
create or replace view stance_changes as
with steps as (
    select
        actor_id,
        topic_id,
        valid_from as changed_on,
        date_precision,
        lag(stance) over by_time as from_stance,
        lag(score) over by_time as from_score,
        stance as to_stance,
        score as to_score,
        first_event_id as event_id
    from stance_periods
    window by_time as (partition by actor_id, topic_id order by period_no)
)

select
    s.actor_id,
    s.topic_id,
    s.changed_on,
    e.occurred_to as changed_by,
    s.date_precision,
    from_stance,
    from_score,
    to_stance,
    to_score,
    to_score - from_score as delta,
    case
        when sign(from_score) = sign(to_score) and from_score <> 0 then 'shift'
        else 'reversal'
    end as change,
    s.event_id
from steps as s
inner join events as e on e.event_id = s.event_id
where from_stance is not null
order by s.changed_on, s.actor_id, s.topic_id, e.seq
