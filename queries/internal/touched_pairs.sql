-- Which (actor_id, topic_id) pairs do the events appended after `after_seq` touch: their own, and those of the
-- events their corrections supersede? A list of structs, for the pairs := arguments of the positions macros.
create or replace macro timeline_internal.touched_pairs(after_seq) as (
    select coalesce(list(distinct {'actor_id': actor_id, 'topic_id': topic_id}), [])
    from (
        select actor_id, topic_id
        from events
        where seq > after_seq
        union all
        select e.actor_id, e.topic_id
        from events as e
        semi join (select supersedes from events where seq > after_seq and supersedes is not null) as s
            on e.event_id = s.supersedes
    )
)
