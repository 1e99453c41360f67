-- Which 32-bit key stands for an (actor, topic) pair? `positions` is sorted by it, so that one pair's rows sit in
-- one row group: DuckDB's zone maps compare only the first 8 bytes of strings, which ids such as actor-00001 and
-- actor-00002 share. Keys may collide; a lookup filters on the ids as well.
create or replace macro timeline_internal.pair_key(actor_id, topic_id) as
    (md5_number_lower(actor_id::varchar || chr(31) || topic_id::varchar) >> 32)::uinteger
