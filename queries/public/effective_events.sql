-- Which events count today: every correction applied, retractions removed.
create or replace view effective_events as
select *
from timeline_internal.known_events(null, null)
