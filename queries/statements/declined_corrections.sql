-- How many staged corrections must the line-by-line path refuse by line? Those naming an event neither logged nor
-- staged, and new corrections of an event another correction, logged or staged, already supersedes. The rules
-- themselves are ingest.Resolver's; this only finds the records they would refuse (tests/test_import.py checks both).
with fresh as (
    select distinct supersedes, event_id
    from staged_records
    where supersedes is not null and event_id not in (select event_id from events where supersedes is not null)
)
select
    (select count(*) from staged_records
     where supersedes is not null
        and supersedes not in (select event_id from staged_records)
        and supersedes not in (select event_id from events))
    + (select count(*) from fresh as f
       where exists (select 1 from fresh as g where g.supersedes = f.supersedes and g.event_id <> f.event_id)
          or exists (select 1 from events as e where e.supersedes = f.supersedes))
