-- Which moment, as a UTC timestamp (the clock of `recorded_at`), does `moment` name? A time with an offset, as text
-- or as a TIMESTAMPTZ, is the same moment in UTC: DuckDB's own cast to TIMESTAMP drops the offset, and from a
-- TIMESTAMPTZ it takes the client's TimeZone. A date, or a time without an offset, is UTC already. NULL stays NULL.
create or replace macro utc_instant(moment) as
    case
        when regexp_matches(moment::varchar, '\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[+-]\d{2}(?::?\d{2})?|Z)$')
            then make_timestamp(epoch_us(moment::varchar::timestamptz))
        else moment::timestamp
    end
