-- Does `positions` hold exactly the rows the log gives it afresh? As many rows, and each row of either matched by a
-- row of the other with the same seq and the same values. A fresh seq is the seq of one event, so each fresh row is
-- then matched once: the two are the same. One join on seq where `except all` numbered the rows of both by every
-- column (at 10M events, 16 s where that took 21 s; 10 s of either is working the rows out afresh). Verify asks
-- drifted_positions for the first seq only where they do not agree.
with fresh as materialized (from timeline_internal.position_rows(null, null))
select (select count(*) from fresh) = (select count(*) from timeline_internal.positions)
    and not exists (
        from timeline_internal.positions as p
        full join fresh as f on p.seq = f.seq
        where p.seq is null or f.seq is null or p is distinct from f
    )
