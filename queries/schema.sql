-- The schema as the migrations leave it, table by table: read it here rather than adding up queries/migrations/.
-- Not run: tests/test_migrations.py holds it to what a new store reports (duckdb_tables().sql).

CREATE TABLE actors(actor_id VARCHAR PRIMARY KEY, "name" VARCHAR NOT NULL, kind VARCHAR NOT NULL, aliases VARCHAR[] NOT NULL, wikidata VARCHAR);

CREATE TABLE events(seq BIGINT NOT NULL, event_id VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL, actor_id VARCHAR NOT NULL, subject_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, topic_id VARCHAR NOT NULL, stance VARCHAR NOT NULL, score INTEGER NOT NULL, "quote" VARCHAR, summary VARCHAR NOT NULL, conditions VARCHAR, occurred_from DATE, occurred_to DATE NOT NULL, date_precision VARCHAR NOT NULL, date_text VARCHAR NOT NULL, date_basis DATE, source_id VARCHAR NOT NULL, locator VARCHAR, confidence VARCHAR NOT NULL, supersedes VARCHAR, correction_reason VARCHAR, hash VARCHAR NOT NULL);

CREATE TABLE memberships(actor_id VARCHAR NOT NULL, group_id VARCHAR NOT NULL, "role" VARCHAR NOT NULL, valid_from DATE, valid_to DATE);

CREATE TABLE registry_history(table_name VARCHAR NOT NULL, entry_id VARCHAR NOT NULL, entry JSON NOT NULL, replaced_at TIMESTAMP NOT NULL);

CREATE TABLE schema_migrations("version" INTEGER PRIMARY KEY, "name" VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL);

CREATE TABLE source_texts(seq BIGINT NOT NULL, source_id VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, "text" VARCHAR NOT NULL, archived_at TIMESTAMP NOT NULL, hash VARCHAR NOT NULL);

CREATE TABLE sources(source_id VARCHAR PRIMARY KEY, outlet VARCHAR NOT NULL, title VARCHAR NOT NULL, url VARCHAR, published_on DATE, "language" VARCHAR NOT NULL, notes VARCHAR NOT NULL);

CREATE TABLE store_meta("key" VARCHAR PRIMARY KEY, "value" VARCHAR NOT NULL);

CREATE TABLE topics(topic_id VARCHAR PRIMARY KEY, proposition VARCHAR NOT NULL, scale STRUCT(stance VARCHAR, score INTEGER)[] NOT NULL);

CREATE TABLE timeline_internal.event_keys("key" UINTEGER NOT NULL);

CREATE TABLE timeline_internal.positions(pair_key UINTEGER NOT NULL, actor_id VARCHAR NOT NULL, topic_id VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE NOT NULL, seq BIGINT NOT NULL, stance VARCHAR NOT NULL, score INTEGER NOT NULL, occurred_to DATE NOT NULL, since DATE, since_precision VARCHAR NOT NULL, n_sources BIGINT NOT NULL, source_id VARCHAR NOT NULL, run_seq BIGINT NOT NULL, undated BOOLEAN NOT NULL, date_precision VARCHAR NOT NULL);

CREATE TABLE timeline_internal.quote_spans(event_id VARCHAR NOT NULL, quote_start INTEGER NOT NULL, quote_end INTEGER NOT NULL);
