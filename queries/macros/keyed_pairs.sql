-- The (actor_id, topic_id) structs in `pairs` as rows with their pair_key, to find those pairs in `positions`.
create or replace macro keyed_pairs(pairs) as table
select
    *,
    pair_key(actor_id, topic_id) as pair_key
from (select unnest(pairs::struct(actor_id varchar, topic_id varchar)[], recursive := true))
