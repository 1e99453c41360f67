-- Which events have a quote, an archived text for their source, and no located quote yet, and is each in force (not
-- superseded, not retracted)? Only those logged after seq $1 or citing a source in the list $2 (texts just archived),
-- so that an append reads a few rows. Every quote found is kept, so a store's spans do not hang on the order its
-- events came in; only a quote in force that is not found is refused.
select
    e.event_id,
    e.quote,
    e.source_id,
    t.text,
    e.event_id not in (select supersedes from events where supersedes is not null)
    and e.correction_reason is distinct from 'retraction' as in_force
from events as e
inner join source_texts as t on t.source_id = e.source_id
where e.quote is not null
    and (e.seq > $1 or e.source_id in (select unnest($2::varchar[])))
    and e.event_id not in (select event_id from timeline_internal.quote_spans)
order by e.seq
