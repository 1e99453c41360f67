-- Which of the event ids in the list `ids` does the log already hold? Their keys are looked up first in
-- `event_keys`, which is sorted within each append, so its zone maps narrow one id to a row group or two (an inner
-- join: DuckDB pushes its keys into the scan, which it does not do for a semi join). Only ids whose key is found,
-- a repeat or a rare shared prefix, are compared with `events`, whose ids are in no order.
create or replace macro timeline_internal.logged_event_ids(ids) as table
with candidates as (
    select distinct wanted.id
    from (select unnest(ids::varchar[]) as id) as wanted
    inner join timeline_internal.event_keys as k on k.key = timeline_internal.event_key(wanted.id)
)

select event_id
from events
semi join candidates on candidates.id = events.event_id
