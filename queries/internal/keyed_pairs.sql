-- The (actor_id, topic_id) structs in `pairs` as rows with their pair_key, to find those pairs in `positions`.
-- Join positions on pair_key alone and match the ids in a later join: with the ids in the same join, DuckDB's
-- optimizer rewrites the key equality into pair_key(actor_id, topic_id) worked out for every row of positions.
create or replace macro timeline_internal.keyed_pairs(pairs) as table
select
    *,
    timeline_internal.pair_key(actor_id, topic_id) as pair_key
from (select unnest(pairs::struct(actor_id varchar, topic_id varchar)[], recursive := true))
