-- Which event decides each actor's stance, with its run worked out: a derived index of the log that the store
-- keeps in step with every append, so that "stance as of" reads one sorted table instead of rebuilding runs.
create table positions (
    actor_id varchar not null,
    topic_id varchar not null,
    sort_key bigint not null,
    seq bigint not null,
    stance varchar not null,
    score integer not null,
    occurred_from date,
    occurred_to date not null,
    since date,
    since_precision varchar not null,
    n_sources bigint not null,
    event_id varchar not null,
    source_id varchar not null,
    run_key bigint not null
);
