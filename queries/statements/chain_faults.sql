-- Which rows of the log might break its chain, in seq order? Each row is held to the stored row before it: its seq
-- must be its place in the log, its event_id the hash of its content, its hash the link over the hash before it
-- ($1 before the first), its recorded_at no earlier than the one before, and its event_id logged there first.
-- The content and the link are hashed by temp.main.content_hash and chain_link, the package's own helpers made
-- temp macros of the connection: the store's macros could have been rewritten along with the log. A row this
-- passes is sound, as Python writes the same texts to hash; a row it flags goes to Python, which has the last word
-- (maintenance._fault), since DuckDB and Python write a few texts apart (control characters in JSON, say).
-- Each row's content is hashed as it is read, so the windows sort only its seq, ids and time, not its free text;
-- the rows flagged are read whole again by rowid (at 10M events, 12 s and 4.4 GB, where sorting whole rows took
-- 23 s and 10 GB).
with hashed as (
    select
        rowid as row_id,
        seq,
        event_id,
        hash,
        recorded_at,
        event_id = temp.main.content_hash(
            actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, occurred_from,
            occurred_to, date_precision, date_text, date_basis, source_id, locator, confidence, supersedes,
            correction_reason
        ) as content_holds
    from events
),

placed as (
    select
        *,
        row_number() over (order by seq) as position,
        lag(hash) over (order by seq) as prev_hash,
        lag(recorded_at) over (order by seq) as prev_at,
        min(seq) over (partition by event_id) as first_seq
    from hashed
),

flagged as (
    select row_id, position, prev_hash, prev_at, first_seq
    from placed
    where seq <> position
        or not content_holds
        or hash <> temp.main.chain_link(coalesce(prev_hash, $1), seq, event_id, recorded_at)
        or recorded_at < prev_at
        or seq > first_seq
)

select e.*, f.position, f.prev_hash, f.prev_at, f.first_seq
from flagged as f
join events as e on e.rowid = f.row_id
order by f.position
