-- Each position row gets the half-open span of days [valid_from, valid_to) in which it decides its pair, so that
-- "stance as of D" is a filter, not a search for each pair's latest row; ids and text are read from `events` by seq.
drop table positions;

create table positions (
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
