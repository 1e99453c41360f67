-- What is an event's id? The first 16 hex digits of the sha256 of its content fields as a JSON list, written as
-- Python's json.dumps writes it (models.content_hash), so that an import can hash a million events in one pass.
-- Ids, labels, dates and the score are written between quotes (or bare) as they stand: their validation admits no
-- character JSON would escape. Only the free text goes through to_json.
create or replace macro timeline_internal.content_hash(
    actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, occurred_from, occurred_to,
    date_precision, date_text, date_basis, source_id, locator, confidence, supersedes, correction_reason
) as left(sha256(concat(
    '["', actor_id, '", "', subject_id, '", "', kind, '", "', topic_id, '", "', stance, '", ', score, ', ',
    coalesce(to_json(quote)::varchar, 'null'), ', ',
    to_json(summary)::varchar, ', ',
    coalesce(to_json(conditions)::varchar, 'null'), ', ',
    coalesce('"' || occurred_from || '"', 'null'), ', ',
    coalesce('"' || occurred_to || '"', 'null'), ', "',
    date_precision, '", ',
    to_json(date_text)::varchar, ', ',
    coalesce('"' || date_basis || '"', 'null'), ', "',
    source_id, '", ',
    coalesce(to_json(locator)::varchar, 'null'), ', "',
    confidence, '", ',
    coalesce('"' || supersedes || '"', 'null'), ', ',
    coalesce('"' || correction_reason || '"', 'null'),
    ']'
)), 16)
