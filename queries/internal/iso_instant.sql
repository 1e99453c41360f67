-- How does Python write a recorded_at? As datetime.isoformat does: a 'T' between day and time, and microseconds only
-- where there are any. The chain's links hash that text, so SQL that checks a link must write it alike.
create or replace macro timeline_internal.iso_instant(moment) as
    if(
        epoch_us(moment) % 1000000 = 0,
        strftime(moment, '%Y-%m-%dT%H:%M:%S'),
        strftime(moment, '%Y-%m-%dT%H:%M:%S.%f')
    )
