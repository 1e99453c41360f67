-- Which events count today: every correction applied, retractions removed.
create or replace view effective_events as
select *
from known_events(null)
