-- Each row of `positions` for the (actor_id, topic_id) pairs in $1, with the evidence a reader needs: the event's
-- quote and date as written, its source, and the other sources that report the same run of stance. Days are text
-- ('-infinity', 'infinity' at the open ends) so that a page compares them as strings, as stance_as_of compares dates.
-- The pairs are found by their pair_key, then matched by their ids (keyed_pairs); the other sources are looked for
-- among the pairs' own events in force (known_events), not every event in force (at 10M events, 0.5 s against 2 s).
select
    p.actor_id,
    a.name as actor_name,
    a.kind as actor_kind,
    p.topic_id,
    p.stance,
    p.score,
    p.valid_from::varchar as valid_from,
    p.valid_to::varchar as valid_to,
    p.since::varchar as since,
    p.since_precision,
    p.occurred_to::varchar as occurred_to,
    p.n_sources,
    e.event_id,
    e.quote,
    e.summary,
    e.date_text,
    e.date_precision,
    e.occurred_from::varchar as occurred_from,
    p.source_id,
    s.title,
    s.outlet,
    s.url,
    s.published_on::varchar as published_on,
    coalesce((
        select list(distinct o.source_id order by o.source_id)
        from timeline_internal.known_events(null, $1) as o
        where o.actor_id = p.actor_id and o.subject_id = p.actor_id and o.topic_id = p.topic_id
            and o.stance = p.stance and o.source_id <> p.source_id
            and coalesce(o.occurred_from, '-infinity'::date) <= p.valid_from
            and coalesce(o.occurred_from, '-infinity'::date) >= coalesce(p.since, '-infinity'::date)
    ), []) as other_sources
from timeline_internal.positions as p
semi join timeline_internal.keyed_pairs($1) as k on k.pair_key = p.pair_key
semi join timeline_internal.keyed_pairs($1) as i on i.actor_id = p.actor_id and i.topic_id = p.topic_id
left join events as e on e.seq = p.seq
left join actors as a on a.actor_id = p.actor_id
left join sources as s on s.source_id = p.source_id
order by p.topic_id, p.actor_id, p.valid_from, p.seq
