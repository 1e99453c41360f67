-- Take a lake's turn before committing (lake/turn.sql): the heads the transaction leaves, and one more turn.
update timeline_internal.turn set
    turns = turns + 1,
    log_seq = (select coalesce(max(seq), 0) from events),
    log_head = (select max_by(hash, seq) from events),
    texts_seq = (select coalesce(max(seq), 0) from source_texts),
    texts_head = (select max_by(hash, seq) from source_texts),
    taken_at = now()::timestamp
