-- Does `positions` hold exactly the rows the log gives it afresh (fresh_positions)? Joined in full on seq, no row of
-- either may be unmatched or differ from its match, and as many rows may come out as there are fresh seqs. A fresh seq
-- is the seq of one event, so each row of `positions` is then matched by one fresh row, each fresh row by exactly one
-- row of `positions`, and the two are the same. One join on seq where `except all` numbered the rows of both by every
-- column (at 10M events, 15 s and 6.4 GB where that took 21 s and 7.7 GB; 10 s of either is working the rows out
-- afresh). Verify asks drifted_positions for the first seq only where they do not agree.
select count(*) filter (where p.seq is null or f.seq is null or p is distinct from f) = 0
    and count(*) = count(distinct f.seq)
from timeline_internal.positions as p
full join fresh_positions as f on p.seq = f.seq
