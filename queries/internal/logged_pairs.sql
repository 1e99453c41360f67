-- Which (actor_id, topic_id) pairs does the log hold events about, for one actor, one topic or both (NULL: any)? An
-- actor's pairs are those it is the subject of: its own statements, and what others claim of it. With `grp`, those
-- of the group and of everyone who has been its member. A list of structs, for the pairs := argument of
-- stance_as_of, claims_as_of, group_stance_as_of and the macros they use, so that a question about one actor or
-- group reads its pairs only.
create or replace macro timeline_internal.logged_pairs(actor, topic, grp) as (
    select coalesce(list(distinct {'actor_id': subject_id, 'topic_id': topic_id}), [])
    from events
    where subject_id = coalesce(actor, subject_id)
        and topic_id = coalesce(topic, topic_id)
        and (grp is null or subject_id = grp or subject_id in (select actor_id from memberships where group_id = grp))
)
