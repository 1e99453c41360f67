-- The `pairs :=` argument of the public as-of macros as a list of (actor_id, topic_id) structs, or NULL for every pair:
-- its default 'all' (or NULL). A lake cannot keep a macro whose default is NULL, so the macros' defaults are values.
create or replace macro timeline_internal.pair_list(pairs) as
    case when pairs::varchar = 'all' then null else pairs::struct(actor_id varchar, topic_id varchar)[] end
