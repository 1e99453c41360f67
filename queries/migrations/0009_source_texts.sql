-- Archived texts of sources, so that every quote can be checked against what the article said. Like the log, they
-- are append-only and chained: each text's link covers its sha256, its place and the link before it. Where each
-- event's quote sits in its source's text is derived from both, in `timeline_internal.quote_spans`.
create table source_texts (
    seq bigint not null,
    source_id varchar not null,
    sha256 varchar not null,
    text varchar not null,
    archived_at timestamp not null,
    hash varchar not null
);

create table timeline_internal.quote_spans (
    event_id varchar not null,
    quote_start integer not null,
    quote_end integer not null
);
