-- Do the rows worked out into temp table `extension` (extended_positions) simply extend `positions`? Only when each
-- first-hand event is the only new word on its pair and none is dated before the row its pair holds open. (The
-- writer asks only where no new event corrects another.)
select
    count(*) = count(distinct {'a': actor_id, 't': topic_id})
    and coalesce(bool_and(valid_from >= coalesce(held_from, '-infinity'::date)), true)
from extension
