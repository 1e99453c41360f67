-- What position did each actor hold on each topic on day `d`, as everything recorded says? The `positions` rows
-- whose days [valid_from, valid_to) hold `d`, in no particular order (sorting half a million rows costs more than
-- finding them). The joins for names and text are left joins; DuckDB 1.5 runs them even for a query that selects
-- none of their columns, as it cannot know that `events` holds one row a seq (all pairs of a 1M store, three of
-- `positions`' columns: 29 ms through this macro, 7 ms from `positions` alone). The last column, pair_key, lets a
-- lookup of one pair read one row group of `positions`: where pair_key = pair_key('olaf-scholz', 'ground-troops-to-ukraine').
create or replace macro timeline_internal.stance_from_positions(d) as table
select
    p.actor_id,
    a.name as actor_name,
    p.topic_id,
    p.stance,
    p.score,
    p.since,
    p.since_precision as date_precision,
    p.occurred_to > d::date as date_uncertain,
    p.n_sources,
    e.event_id,
    e.quote,
    e.summary,
    p.source_id,
    e.conditions,
    e.confidence,
    p.pair_key
from timeline_internal.positions as p
left join events as e on e.seq = p.seq
left join actors as a on a.actor_id = p.actor_id
where p.valid_from <= d::date and d::date < p.valid_to
