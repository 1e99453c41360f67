-- The first seq whose event has no key in `event_keys`: the derived table has fallen out of step with the log.
select min(seq)
from events
anti join timeline_internal.event_keys as k on k.key = timeline_internal.event_key(events.event_id)
