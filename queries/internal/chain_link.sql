-- What link does the log's hash chain give an event? What models.chain_hash gives: the first 32 hex digits of the
-- sha256 of the link before it, its seq, its event_id and its recorded_at as Python writes it, joined by '|'.
create or replace macro timeline_internal.chain_link(prev_hash, seq, event_id, recorded_at) as
    left(sha256(concat_ws('|', prev_hash, seq, event_id, timeline_internal.iso_instant(recorded_at))), 32)
