-- The first seq where `positions` differs from the rows the log gives it afresh (fresh_positions): the table has
-- drifted from the log.
select min(seq) from (
    (from timeline_internal.positions except all from fresh_positions)
    union all
    (from fresh_positions except all from timeline_internal.positions)
)
