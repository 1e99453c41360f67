-- Keep each event's own date_precision in `positions`, and whether it is undated (valid_from is its occurred_from
-- otherwise), so that a late event can recompute its pair from the pair's rows there, one row group, instead of
-- rereading the whole log. A flag costs about 0.3 B an event where a second date column cost 1.5 B.
drop table positions;

create table positions (
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
