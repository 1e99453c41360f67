-- Log the events an append chained, in seq order, given as one table (`appended_events`, with the columns of
-- insert_appended_events), where there are more than a few.
insert into events by name
select * from appended_events
order by seq
