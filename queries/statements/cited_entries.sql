-- The registry entries a batch cites, read in one statement: the rows of `sources`, `actors` and `topics` whose keys
-- are in the lists $sources, $actors and $topics, each table's as one list of rows (NULL where none is found). One
-- statement where there were three: on a new connection, as each append has, that spares it about 2 ms.
select s.found as sources, a.found as actors, t.found as topics
from
    (select list(s) as found from sources as s where source_id in (select unnest($sources::varchar[]))) as s,
    (select list(a) as found from actors as a where actor_id in (select unnest($actors::varchar[]))) as a,
    (select list(t) as found from topics as t where topic_id in (select unnest($topics::varchar[]))) as t
