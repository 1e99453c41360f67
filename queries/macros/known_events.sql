-- Which events count when the store is read as it stood at `known_at` (NULL: everything recorded)?
create or replace macro known_events(known_at) as table
with recorded as (
    select *
    from events
    where recorded_at <= coalesce(known_at::timestamp, 'infinity'::timestamp)
),

superseded as (
    select distinct supersedes as event_id
    from recorded
    where supersedes is not null
)

select recorded.*
from recorded
anti join superseded using (event_id)
where recorded.correction_reason is distinct from 'retraction'
