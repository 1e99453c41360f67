-- Does `positions` hold exactly the rows the log gives it afresh? As many rows, none of them missing from the fresh
-- ones: two multisets of one size, one inside the other, are the same. One comparison where drifted_positions makes
-- two; verify asks drifted_positions for the first seq only where they do not agree.
with fresh as materialized (from timeline_internal.position_rows(null, null))
select (select count(*) from fresh) = (select count(*) from timeline_internal.positions)
    and not exists (from timeline_internal.positions except all from fresh)
