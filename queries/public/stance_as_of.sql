-- What position did each actor hold on each topic on day `d`, as the store knew it at `known_at` (its default 'infinity', or NULL: everything)?
-- Reading everything recorded, the answer comes from the maintained `positions` table (stance_from_positions); an
-- earlier `known_at` is worked out from the log itself (stance_from_log). Both give the same columns and, for the
-- present, the same rows, in no particular order. With `pairs` (see logged_pairs), only those (actor_id, topic_id)
-- pairs are answered for, from the log: what the API asks at a past known_at for one actor or topic.
create or replace macro stance_as_of(d, known_at := 'infinity', pairs := 'all') as table
select * exclude (pair_key)
from timeline_internal.stance_from_positions(d)
where timeline_internal.knows_all(known_at) and timeline_internal.pair_list(pairs) is null
union all
select *
from timeline_internal.stance_from_log(d, known_at, timeline_internal.pair_list(pairs))
where not timeline_internal.knows_all(known_at) or timeline_internal.pair_list(pairs) is not null
