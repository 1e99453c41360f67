-- What was said, by whom, when, and where we read it: the append-only event log and the registry it cites.
create table schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamp not null
);

create table store_meta (
    key varchar primary key,
    value varchar not null
);

create table sources (
    source_id varchar primary key,
    outlet varchar not null,
    title varchar not null,
    url varchar,
    published_on date,
    language varchar not null,
    notes varchar not null
);

create table actors (
    actor_id varchar primary key,
    name varchar not null,
    kind varchar not null,
    aliases varchar[] not null,
    wikidata varchar
);

create table memberships (
    actor_id varchar not null,
    group_id varchar not null,
    role varchar not null,
    valid_from date,
    valid_to date
);

create table topics (
    topic_id varchar primary key,
    proposition varchar not null,
    scale struct(stance varchar, score integer)[] not null
);

-- No keys or indexes: the writer keeps seq gapless and event_id unique inside one
-- transaction, and `timeline verify` checks both, so bulk appends stay fast.
create table events (
    seq bigint not null,
    event_id varchar not null,
    recorded_at timestamp not null,
    actor_id varchar not null,
    subject_id varchar not null,
    kind varchar not null,
    topic_id varchar not null,
    stance varchar not null,
    score integer not null,
    quote varchar,
    summary varchar not null,
    conditions varchar,
    occurred_from date,
    occurred_to date not null,
    date_precision varchar not null,
    date_text varchar not null,
    date_basis date,
    source_id varchar not null,
    locator varchar,
    confidence varchar not null,
    supersedes varchar,
    correction_reason varchar,
    prev_hash varchar not null,
    hash varchar not null
);
