-- Does `known_at` ask for everything recorded: its default 'infinity', or NULL? Then "stance as of" is read from the
-- positions kept in step with the log, not worked out from the log. A lake cannot keep a macro whose default is NULL.
create or replace macro timeline_internal.knows_all(known_at) as
    known_at is null or known_at::varchar = 'infinity'
