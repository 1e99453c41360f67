-- Drop the positions of the pairs in $1 (touched_pairs), whose rows were worked out anew into temp table `redone`.
delete from timeline_internal.positions
where pair_key in (select pair_key from timeline_internal.keyed_pairs($1))
    and (actor_id, topic_id) in (select actor_id, topic_id from timeline_internal.keyed_pairs($1))
