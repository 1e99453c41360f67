-- The events after seq $5 up to $6 as the lines of a log export, in seq order, written as Python's json.dumps writes
-- the import's keys: ", " and ": " between them, non-ASCII as it is, nulls left out. $1: only this topic, $2: only
-- the events that had happened by this day (NULL: all of them). With $3 (the whole log), each line keeps the event's
-- place in the log: the interval its date was read as, its id, seq, recorded_at and link, and the link before it
-- ($4 before the first). A slice of seqs at a time keeps the sort of a long log's lines small.
select '{' || concat_ws(', ',
    '"actor": ' || timeline_internal.json_text(actor_id),
    '"subject": ' || timeline_internal.json_text(subject_id),
    '"kind": ' || timeline_internal.json_text(kind),
    '"topic": ' || timeline_internal.json_text(topic_id),
    '"stance": ' || timeline_internal.json_text(stance),
    '"date": ' || timeline_internal.json_text(date_text),
    '"date_basis": "' || date_basis || '"',
    '"source": ' || timeline_internal.json_text(source_id),
    '"summary": ' || timeline_internal.json_text(summary),
    '"quote": ' || timeline_internal.json_text(quote),
    '"conditions": ' || timeline_internal.json_text(conditions),
    '"confidence": ' || timeline_internal.json_text(confidence),
    '"locator": ' || timeline_internal.json_text(locator),
    '"supersedes": ' || timeline_internal.json_text(supersedes),
    '"correction_reason": ' || timeline_internal.json_text(correction_reason),
    if($3, '"occurred_from": "' || occurred_from || '"', null),
    if($3, '"occurred_to": "' || occurred_to || '"', null),
    if($3, '"date_precision": ' || timeline_internal.json_text(date_precision), null),
    if($3, '"event_id": ' || timeline_internal.json_text(event_id), null),
    if($3, '"seq": ' || seq, null),
    if($3, '"recorded_at": "' || timeline_internal.iso_instant(recorded_at) || '"', null),
    if($3, '"hash": ' || timeline_internal.json_text(hash), null),
    if($3, '"prev_hash": "' || coalesce(lag(hash) over (order by seq), $4) || '"', null)
) || '}' as line, hash
from events
where seq > $5 and seq <= $6
    and ($1 is null or topic_id = $1) and ($2 is null or coalesce(occurred_from, '-infinity'::date) <= $2)
order by seq
