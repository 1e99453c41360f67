-- The rows the log gives `positions` afresh, held as a temp table for positions_agree and drifted_positions to read.
-- Joined straight from position_rows, its windows' output was the hash join's build side, which DuckDB could not
-- write out under a memory limit (a 1M-event store's verify ran out of memory at 300MB); a temp table it writes
-- out as it needs to. At 10M events, with no limit, the check held 4.1 GB where 4.9 GB, and took 14.6 s where 13.9 s.
create or replace temp table fresh_positions as
from timeline_internal.position_rows(null, null)
