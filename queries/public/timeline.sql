-- Who said what, when, and where: every event with names, in the order things happened, and where its quote is in
-- its source's archived text ([quote_start, quote_end), NULL without one).
create or replace view timeline as
select *
from timeline_internal.named_events
order by occurred_from asc nulls first, seq
