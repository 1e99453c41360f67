-- Where does an event stand in time? Its day, then its seq, packed in one integer for fast arg_max and range filters.
create or replace macro timeline_internal.sort_key(day, seq) as
    (coalesce(day, '1000-01-01'::date) - '1000-01-01'::date)::bigint * 1099511627776 + seq
