-- Log the few events an append chained, in seq order, each column given as a list of Python values ($seq, $event_id,
-- ...): an Arrow table would have each append import pyarrow, which took 160 ms of the command line's start-up.
-- More than a few come as a table (insert_appended_table), as DuckDB binds a list value by value.
insert into events by name
select
    unnest($seq) as seq,
    unnest($event_id) as event_id,
    unnest($recorded_at) as recorded_at,
    unnest($actor_id) as actor_id,
    unnest($subject_id) as subject_id,
    unnest($kind) as kind,
    unnest($topic_id) as topic_id,
    unnest($stance) as stance,
    unnest($score) as score,
    unnest($quote) as quote,
    unnest($summary) as summary,
    unnest($conditions) as conditions,
    unnest($occurred_from) as occurred_from,
    unnest($occurred_to) as occurred_to,
    unnest($date_precision) as date_precision,
    unnest($date_text) as date_text,
    unnest($date_basis) as date_basis,
    unnest($source_id) as source_id,
    unnest($locator) as locator,
    unnest($confidence) as confidence,
    unnest($supersedes) as supersedes,
    unnest($correction_reason) as correction_reason,
    unnest($hash) as hash
