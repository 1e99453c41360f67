-- Whom the events in force on topic $1 are about, in the order each first appears in the log: each subject's
-- count of events, whether it speaks for itself, and the days its events span (first_day: the earliest day any of
-- them may fall on, its occurred_to where its start is open).
select
    subject_id,
    count(*) as events,
    bool_or(actor_id = subject_id) as speaks,
    min(coalesce(occurred_from, occurred_to)) as first_day,
    max(occurred_to) as last_day
from effective_events
where topic_id = $1
group by subject_id
order by min(seq)
