-- Which moment, as a UTC timestamp (the clock of `recorded_at`), does `moment` name? A time with an offset, as text
-- or as a TIMESTAMPTZ, is the same moment in UTC: DuckDB's own cast to TIMESTAMP drops the offset, and from a
-- TIMESTAMPTZ it takes the client's TimeZone. Text is first written as that cast reads it, with seconds and with no
-- space before the offset ('2024-05-01T14:30 +02:00' as '2024-05-01T14:30:00+02:00'), as Python reads either. A
-- date, or a time without an offset, is UTC already. NULL stays NULL.
create or replace macro timeline_internal.utc_instant(moment) as
    case
        when regexp_matches(moment::varchar, '\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[+-]\d{2}(?::?\d{2})?|Z)$')
            then make_timestamp(epoch_us(regexp_replace(
                regexp_replace(moment::varchar, '([T ]\d{2}:\d{2})(\s*(?:[+-]|Z))', '\1:00\2'),
                '\s+([+-]\d{2}(?::?\d{2})?|Z)$',
                '\1'
            )::timestamptz))
        else moment::timestamp
    end
