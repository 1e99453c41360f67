-- Which (actor_id, topic_id) pairs does the log hold events of, for one actor, one topic or both (NULL: any)? A list
-- of structs, for the pairs := argument of stance_from_log, so that a question about one actor reads its pairs only.
create or replace macro logged_pairs(actor, topic) as (
    select coalesce(list(distinct {'actor_id': actor_id, 'topic_id': topic_id}), [])
    from events
    where actor_id = coalesce(actor, actor_id) and topic_id = coalesce(topic, topic_id)
)
