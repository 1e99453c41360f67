-- A lake's turn: one row, rewritten by every write transaction just before it commits (statements/take_turn.sql).
-- DuckLake refuses the second of two overlapping transactions that both rewrite it, and the store does that one again
-- from the start: each commit has seen all those before it. The row keeps the heads each commit left, so that verify
-- notices events or texts cut from the end of the log.
CREATE TABLE timeline_internal.turn(turns BIGINT NOT NULL, log_seq BIGINT NOT NULL, log_head VARCHAR, texts_seq BIGINT NOT NULL, texts_head VARCHAR, taken_at TIMESTAMP NOT NULL);
