-- Take a lake's turn before committing (lake/turn.sql): the heads the transaction leaves, and one more turn. Each
-- head is read at its last seq, which the files' statistics find without reading every hash.
update timeline_internal.turn set
    turns = turns + 1,
    log_seq = (select coalesce(max(seq), 0) from events),
    log_head = (select hash from events where seq = (select max(seq) from events)),
    texts_seq = (select coalesce(max(seq), 0) from source_texts),
    texts_head = (select hash from source_texts where seq = (select max(seq) from source_texts)),
    taken_at = now()::timestamp
