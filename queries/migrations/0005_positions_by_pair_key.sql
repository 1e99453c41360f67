-- Sort `positions` by an integer key of its (actor, topic) pair, so that a lookup of one pair reads one row group.
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
    run_seq bigint not null
);
