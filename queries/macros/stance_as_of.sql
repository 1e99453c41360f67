-- What position did each actor hold on each topic on day `d`, as the store knew it at `known_at` (NULL: everything)?
-- Reading everything recorded, the answer comes from the maintained `positions` table; an earlier `known_at`
-- is worked out from the log itself. Both give the same columns and, for the present, the same rows, in no
-- particular order (sorting half a million rows costs more than finding them).
create or replace macro stance_as_of(d, known_at := null) as table
with deciding as (
    select
        actor_id,
        topic_id,
        arg_max(
            {'seq': seq, 'stance': stance, 'score': score, 'since': since, 'date_precision': since_precision,
             'occurred_to': occurred_to, 'n_sources': n_sources, 'event_id': event_id, 'source_id': source_id},
            sort_key
        ) as p
    from positions
    where known_at is null and sort_key <= sort_key(d::date, 1099511627775)
    group by actor_id, topic_id
)

select
    d.actor_id,
    a.name as actor_name,
    d.topic_id,
    d.p.stance,
    d.p.score,
    d.p.since,
    d.p.date_precision,
    d.p.occurred_to > d::date as date_uncertain,
    d.p.n_sources,
    d.p.event_id,
    e.quote,
    e.summary,
    d.p.source_id,
    e.conditions,
    e.confidence
from deciding as d
inner join events as e on e.seq = d.p.seq
left join actors as a on a.actor_id = d.actor_id
where known_at is null
union all
select *
from stance_from_log(d, known_at)
where known_at is not null
