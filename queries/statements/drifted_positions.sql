-- The first seq where `positions` differs from the rows the log gives it afresh: the table has drifted from the log.
select min(seq) from (
    (from timeline_internal.positions except all from timeline_internal.position_rows(null, null))
    union all
    (from timeline_internal.position_rows(null, null) except all from timeline_internal.positions)
)
