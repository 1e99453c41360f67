-- Each actor's own stance on day `d`, with what others claimed about it set beside it: `voice` is 'own' or 'claimed',
-- and reported_by names the claimant.
-- With `pairs` (see logged_pairs), only those (actor_id, topic_id) pairs.
create or replace macro reported_stance_as_of(d, known_at := 'infinity', pairs := 'all') as table
select
    actor_id,
    actor_name,
    topic_id,
    'own' as voice,
    stance,
    score,
    since,
    date_precision,
    date_uncertain,
    n_sources,
    event_id,
    quote,
    summary,
    source_id,
    null::varchar as reported_by,
    null::boolean as contradicts
from stance_as_of(d, known_at := known_at, pairs := pairs)
union all
select
    subject_id as actor_id,
    subject_name as actor_name,
    topic_id,
    'claimed' as voice,
    claimed_stance as stance,
    claimed_score as score,
    occurred_from as since,
    date_precision,
    date_uncertain,
    1 as n_sources,
    event_id,
    quote,
    summary,
    source_id,
    claimant_id as reported_by,
    contradicts
from claims_as_of(d, known_at := known_at, pairs := pairs)
order by topic_id, actor_id, reported_by nulls first
