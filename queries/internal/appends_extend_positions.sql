-- Can the events appended after `after_seq` simply extend `positions`? Only when none corrects another and each
-- first-hand one is the only new word on its pair and dated no earlier than the row its pair holds open.
-- `pairs`: the pairs those events touch (touched_pairs), which narrows the search of `positions`.
create or replace macro timeline_internal.appends_extend_positions(after_seq, pairs) as (
    with fresh as (
        select *
        from events
        where seq > after_seq
    ),

    open_rows as (
        select
            p.actor_id,
            p.topic_id,
            p.valid_from
        from timeline_internal.positions as p
        semi join timeline_internal.keyed_pairs(pairs) as k on k.pair_key = p.pair_key
        where p.valid_to = 'infinity'::date
    )

    select
        count(*) filter (where f.supersedes is not null) = 0
        and count(*) filter (where f.subject_id = f.actor_id)
            = count(distinct {'a': f.actor_id, 't': f.topic_id}) filter (where f.subject_id = f.actor_id)
        and coalesce(bool_and(coalesce(f.occurred_from, '1000-01-01'::date) >= coalesce(o.valid_from, '-infinity'::date))
            filter (where f.subject_id = f.actor_id), true)
    from fresh as f
    left join open_rows as o on o.actor_id = f.actor_id and o.topic_id = f.topic_id
)
