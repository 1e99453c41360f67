-- Can the events appended after `after_seq` simply extend `positions`? Only when none corrects another and each
-- first-hand one is the only new word on its pair and later than everything the pair already holds.
create or replace macro appends_extend_positions(after_seq) as (
    select
        count(*) filter (where e.supersedes is not null) = 0
        and count(*) filter (where e.subject_id = e.actor_id)
            = count(distinct {'a': e.actor_id, 't': e.topic_id}) filter (where e.subject_id = e.actor_id)
        and coalesce(bool_and(
            sort_key(e.occurred_from, e.seq) > coalesce(
                (select max(p.sort_key) from positions as p where p.actor_id = e.actor_id and p.topic_id = e.topic_id),
                -1
            )
        ) filter (where e.subject_id = e.actor_id), true)
    from events as e
    where e.seq > after_seq
)
