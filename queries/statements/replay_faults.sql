-- How many staged records of a log export would the line-by-line path refuse, or log otherwise? Each record must
-- carry the event_id its content hashes to, and a whole interval: occurred_to and a date_precision of the list $3,
-- dates written as ISO writes them, occurred_from no later than occurred_to. Each fresh one (`fresh_links`: line,
-- seq) must carry the seq it takes, the link before it as prev_hash if any ($1 before the first), a recorded_at
-- written as Python writes it and no earlier than the one before ($2 before the first), and the link over them.
-- Any such record declines the columnar path, so that the line-by-line path names its line. (A null occurred_to or
-- date_precision cannot reach here today: the lines of one shape are null in the same fields, and the shape's sample
-- line was checked whole by pydantic. The check stays, so that this statement vouches for what it logs itself.)
with staged as (
    select
        r.event_id, p.event_id as logged_id, p.occurred_from, p.occurred_to, p.date_precision, f.seq,
        try_cast(p.occurred_from as date) as from_day, try_cast(p.occurred_to as date) as to_day,
        p.seq as logged_seq, p.hash, p.prev_hash, p.recorded_at, try_cast(p.recorded_at as timestamp) as logged_at
    from staged_records as r
    inner join staged_positions as p using (line)
    left join fresh_links as f using (line)
),

chained as (
    select
        *,
        coalesce(lag(hash) over (order by seq), $1) as prev,
        coalesce(lag(logged_at) over (order by seq), $2) as last_at
    from staged
    where seq is not null
)

select
    (
        select count(*) from staged
        where logged_id is distinct from event_id
            or occurred_to is null
            or date_precision is null
            or date_precision not in (select unnest($3::varchar[]))
            or strftime(to_day, '%Y-%m-%d') is distinct from occurred_to
            or occurred_from is not null and strftime(from_day, '%Y-%m-%d') is distinct from occurred_from
            or from_day > to_day
    ) + (
        select count(*) from chained
        where logged_seq is distinct from seq::varchar
            or prev_hash is distinct from prev and prev_hash is not null
            or timeline_internal.iso_instant(logged_at) is distinct from recorded_at
            or logged_at < last_at
            or hash is distinct from timeline_internal.chain_link(prev, seq, event_id, logged_at)
    )
