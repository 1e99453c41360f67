-- Every second-hand claim and report in force, beside the subject's own stance on the day it was made: the row of
-- `positions` that decides that day for its pair, as stance_as_of reads it (one row at most; stance_periods was
-- worked out from the whole log for every read, and gave a claim twice where its subject had two undated runs).
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
left join timeline_internal.positions as p
    on p.pair_key = timeline_internal.pair_key(c.subject_id, c.topic_id)
    and p.actor_id = c.subject_id
    and p.topic_id = c.topic_id
    and p.valid_from <= coalesce(c.occurred_from, c.occurred_to)
    and coalesce(c.occurred_from, c.occurred_to) < p.valid_to
left join actors as claimant on claimant.actor_id = c.actor_id
left join actors as subject on subject.actor_id = c.subject_id
where c.subject_id <> c.actor_id
order by coalesce(c.occurred_from, c.occurred_to), c.seq
