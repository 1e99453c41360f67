-- Each event in force with a quote and an archived text for its source, with where its quote was located (NULL: it
-- never was), in log order: what verify checks again.
select e.seq, e.event_id, e.quote, e.source_id, t.text, q.quote_start, q.quote_end
from effective_events as e
inner join source_texts as t on t.source_id = e.source_id
left join timeline_internal.quote_spans as q on q.event_id = e.event_id
where e.quote is not null
order by e.seq
