-- Every registry entry that a later one replaced, as it was, with the time it was replaced: a corrected actor's
-- name, a source's mended title, a topic's new scale. The registry shows the entry in force; this, what it was.
create table registry_history (
    table_name varchar not null,
    entry_id varchar not null,
    entry json not null,
    replaced_at timestamp not null
);
