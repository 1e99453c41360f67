-- The staged events as log records: scores and date intervals joined from the look-ups resolved once per distinct
-- value (`scores`, `spans`), defaults $1 (kind) and $2 (confidence) filled in, and each id hashed as Python hashes it.
-- A line that replays a log export (`staged_positions`) keeps the interval its date was read as when it was logged.
create or replace temp table staged_records as
with records as (
    select
        s.line, s.actor as actor_id, coalesce(s.subject, s.actor) as subject_id, coalesce(s.kind, $1) as kind,
        s.topic as topic_id, s.stance, c.score::integer as score, s.quote, s.summary, s.conditions,
        if(p.line is null, d.occurred_from::date, try_cast(p.occurred_from as date)) as occurred_from,
        if(p.line is null, d.occurred_to::date, try_cast(p.occurred_to as date)) as occurred_to,
        if(p.line is null, d.date_precision, p.date_precision) as date_precision,
        s.date as date_text, d.basis::date as date_basis, s.source as source_id, s.locator,
        coalesce(s.confidence, $2) as confidence, s.supersedes, s.correction_reason
    from staged_events as s
    inner join scores as c on c.topic = s.topic and c.stance = s.stance
    inner join spans as d
        on d.date = s.date and d.date_basis is not distinct from s.date_basis and d.source = s.source
    left join staged_positions as p on p.line = s.line
)
select
    timeline_internal.content_hash(
        actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, occurred_from,
        occurred_to, date_precision, date_text, date_basis, source_id, locator, confidence, supersedes,
        correction_reason
    ) as event_id,
    *
from records
