-- Can the events appended after `after_seq` simply extend `positions`? Only when none corrects another and each
-- first-hand one is the only new word on its pair and dated no earlier than the row its pair holds open.
create or replace macro appends_extend_positions(after_seq) as (
    select
        count(*) filter (where e.supersedes is not null) = 0
        and count(*) filter (where e.subject_id = e.actor_id)
            = count(distinct {'a': e.actor_id, 't': e.topic_id}) filter (where e.subject_id = e.actor_id)
        and coalesce(bool_and(
            coalesce(e.occurred_from, '1000-01-01'::date) >= coalesce(
                (select max(p.valid_from) from positions as p
                 where p.actor_id = e.actor_id and p.topic_id = e.topic_id and p.valid_to = 'infinity'::date),
                '-infinity'::date
            )
        ) filter (where e.subject_id = e.actor_id), true)
    from events as e
    where e.seq > after_seq
)
