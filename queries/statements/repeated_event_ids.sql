-- Which seqs hold an event_id logged before, and where was it first? The log holds each event once.
select seq, first_seq
from (select seq, min(seq) over (partition by event_id) as first_seq from events)
where seq > first_seq
