-- Move the machinery out of the schema users list: the helper macros and the two tables derived from the log
-- (`positions`, `event_keys`) go to `timeline_internal`, so `main` holds only what docs/sql.md documents. Both
-- tables are derived, so they are made empty here and rebuilt from the log when the migration ends.
create schema if not exists timeline_internal;

drop macro if exists appends_extend_positions;
drop macro if exists content_hash;
drop macro if exists event_key;
drop macro if exists logged_pairs;
drop macro if exists pair_key;
drop macro if exists sort_key;
drop macro if exists touched_pairs;
drop macro if exists utc_instant;
drop macro table if exists extended_positions;
drop macro table if exists keyed_pairs;
drop macro table if exists known_events;
drop macro table if exists logged_event_ids;
drop macro table if exists position_rows;
drop macro table if exists stance_from_log;
drop macro table if exists stance_from_positions;
drop macro table if exists stance_runs;

drop table if exists positions;
drop table if exists event_keys;

create table timeline_internal.event_keys (key uinteger not null);

create table timeline_internal.positions (
    pair_key uinteger not null,
    actor_id varchar not null,
    topic_id varchar not null,
    valid_from date not null,
    valid_to date not null,
    seq bigint not null,
    stance varchar not null,
    score integer not null,
    occurred_to date not null,
    since date,
    since_precision varchar not null,
    n_sources bigint not null,
    source_id varchar not null,
    run_seq bigint not null,
    undated boolean not null,
    date_precision varchar not null
);
