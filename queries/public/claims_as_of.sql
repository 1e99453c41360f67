-- What had others claimed about each actor's position by day `d`, beside that actor's own stance that day? With
-- `pairs` (see logged_pairs), only the claims about those (actor_id, topic_id) pairs.
create or replace macro claims_as_of(d, known_at := 'infinity', pairs := 'all') as table
with latest_claims as (
    select *
    from timeline_internal.known_events(known_at, timeline_internal.pair_list(pairs))
    where subject_id <> actor_id
        and coalesce(occurred_from, '-infinity'::date) <= d::date
    qualify row_number() over (
        partition by actor_id, subject_id, topic_id order by occurred_from desc nulls last, seq desc
    ) = 1
),

own as (
    select *
    from stance_as_of(d, known_at := known_at, pairs := pairs)
)

select
    c.actor_id as claimant_id,
    claimant.name as claimant_name,
    c.subject_id,
    subject.name as subject_name,
    c.topic_id,
    c.kind,
    c.stance as claimed_stance,
    c.score as claimed_score,
    c.occurred_from,
    c.occurred_to,
    c.date_precision,
    c.occurred_to > d::date as date_uncertain,
    o.stance as own_stance,
    o.score as own_score,
    o.since as own_since,
    sign(c.score) <> sign(o.score) as contradicts,
    c.event_id,
    c.quote,
    c.summary,
    c.source_id
from latest_claims as c
left join own as o on o.actor_id = c.subject_id and o.topic_id = c.topic_id
left join actors as claimant on claimant.actor_id = c.actor_id
left join actors as subject on subject.actor_id = c.subject_id
order by c.topic_id, c.subject_id, c.actor_id
