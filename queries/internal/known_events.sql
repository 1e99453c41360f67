-- Which events count when the store is read as it stood at `known_at` (NULL: everything recorded)? With `pairs`
-- (see logged_pairs), only those about them: whose subject and topic are one of the (actor_id, topic_id) structs,
-- the actor's own statements and what others claim of it.
create or replace macro timeline_internal.known_events(known_at, pairs) as table
with recorded as (
    select *
    from events
    where recorded_at <= coalesce(timeline_internal.utc_instant(known_at), 'infinity'::timestamp) and pairs is null
    union all
    select e.*
    from events as e
    semi join (select unnest(pairs::struct(actor_id varchar, topic_id varchar)[], recursive := true)) as wanted
        on wanted.actor_id = e.subject_id and wanted.topic_id = e.topic_id
    where e.recorded_at <= coalesce(timeline_internal.utc_instant(known_at), 'infinity'::timestamp) and pairs is not null
),

superseded as (
    select distinct supersedes as event_id
    from events
    where supersedes is not null and recorded_at <= coalesce(timeline_internal.utc_instant(known_at), 'infinity'::timestamp)
)

select recorded.*
from recorded
anti join superseded using (event_id)
where recorded.correction_reason is distinct from 'retraction'
