-- Which events in force does this version read otherwise? Each logged reading beside the reading now (`read_now`,
-- the distinct phrases whose reading changed).
select
    e.seq, e.event_id, e.actor_id, e.topic_id, e.date_text, e.date_basis, e.occurred_from, e.occurred_to,
    e.date_precision, r.now_from, r.now_to, r.now_precision, r.now_refused
from effective_events as e
inner join read_now as r
    on e.date_text = r.date_text and e.date_basis is not distinct from r.date_basis
    and e.occurred_from is not distinct from r.occurred_from and e.occurred_to = r.occurred_to
    and e.date_precision = r.date_precision
order by e.seq
