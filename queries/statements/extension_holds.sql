-- Do the rows worked out into temp table `extension` (extended_positions) simply extend `positions`? Only when no
-- event appended after seq $1 corrects another, each first-hand one is the only new word on its pair, and none is
-- dated before the row its pair holds open.
select
    not exists (select 1 from events where seq > $1 and supersedes is not null)
    and (select count(*) = count(distinct {'a': actor_id, 't': topic_id}) from extension)
    and (select coalesce(bool_and(valid_from >= coalesce(held_from, '-infinity'::date)), true) from extension)
