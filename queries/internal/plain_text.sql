-- Does `value` pass a free-text field's validation unchanged, for certain (ingest.free_text_limits)? It does where
-- its first and last characters are printable ASCII other than a space, which no stripping of whitespace removes,
-- and its UTF-8 length is at most `max_chars` bytes (NULL: no limit), so that it has at least one character and at
-- most that many. False or NULL vouches for nothing: pydantic checks those values (ingest.check_values).
create or replace macro timeline_internal.plain_text(value, max_chars) as
    ascii(value) between 33 and 126
    and ascii(right(value, 1)) between 33 and 126
    and strlen(value) <= coalesce(max_chars, strlen(value))
