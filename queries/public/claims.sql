-- Every second-hand claim and report in force, beside the subject's own stance on the day it was made.
create or replace view claims as
select
    c.actor_id as claimant_id,
    claimant.name as claimant_name,
    c.subject_id,
    subject.name as subject_name,
    c.topic_id,
    c.kind,
    c.stance as claimed_stance,
    c.score as claimed_score,
    c.occurred_from,
    c.occurred_to,
    c.date_precision,
    p.stance as own_stance,
    p.score as own_score,
    sign(c.score) <> sign(p.score) as contradicts,
    c.event_id,
    c.quote,
    c.summary,
    c.source_id
from effective_events as c
left join stance_periods as p
    on p.actor_id = c.subject_id
    and p.topic_id = c.topic_id
    and coalesce(p.valid_from, '-infinity'::date) <= coalesce(c.occurred_from, c.occurred_to)
    and coalesce(c.occurred_from, c.occurred_to) < coalesce(p.valid_to, 'infinity'::date)
left join actors as claimant on claimant.actor_id = c.actor_id
left join actors as subject on subject.actor_id = c.subject_id
where c.subject_id <> c.actor_id
order by coalesce(c.occurred_from, c.occurred_to), c.seq
