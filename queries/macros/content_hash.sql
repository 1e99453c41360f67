-- What is an event's id? The first 16 hex digits of the sha256 of its content fields as a JSON list, written as
-- Python's json.dumps writes it (models.content_hash), so that an import can hash a million events in one pass.
create or replace macro content_hash(
    actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, occurred_from, occurred_to,
    date_precision, date_text, date_basis, source_id, locator, confidence, supersedes, correction_reason
) as left(sha256('[' || concat_ws(', ',
    coalesce(to_json(actor_id)::varchar, 'null'),
    coalesce(to_json(subject_id)::varchar, 'null'),
    coalesce(to_json(kind)::varchar, 'null'),
    coalesce(to_json(topic_id)::varchar, 'null'),
    coalesce(to_json(stance)::varchar, 'null'),
    coalesce(to_json(score)::varchar, 'null'),
    coalesce(to_json(quote)::varchar, 'null'),
    coalesce(to_json(summary)::varchar, 'null'),
    coalesce(to_json(conditions)::varchar, 'null'),
    coalesce(to_json(occurred_from)::varchar, 'null'),
    coalesce(to_json(occurred_to)::varchar, 'null'),
    coalesce(to_json(date_precision)::varchar, 'null'),
    coalesce(to_json(date_text)::varchar, 'null'),
    coalesce(to_json(date_basis)::varchar, 'null'),
    coalesce(to_json(source_id)::varchar, 'null'),
    coalesce(to_json(locator)::varchar, 'null'),
    coalesce(to_json(confidence)::varchar, 'null'),
    coalesce(to_json(supersedes)::varchar, 'null'),
    coalesce(to_json(correction_reason)::varchar, 'null')
) || ']'), 16)
