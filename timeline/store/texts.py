"""Archived texts: appended and chained like the log, and the quotes of events found in them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from .. import quotes
from ..errors import InputError
from ..ingest import Origin, Refusals
from ..models import GENESIS_HASH, SourceText, chain_hash
from .connection import Connection
from .sql import statement


def archive(con: Connection, texts: list[SourceText], clock: Callable[[], datetime]) -> None:
    """Append texts to `source_texts`, each chained to the one before."""
    if not texts:
        return
    seq, prev, last_at = con.execute("select seq, hash, archived_at from source_texts order by seq desc limit 1"
                                     ).fetchone() or (0, GENESIS_HASH, None)  # fmt: skip
    now = max(clock(), last_at) if last_at else clock()
    rows = []
    for text in texts:
        seq += 1
        prev = chain_hash(prev, seq, text.sha256, now)
        rows.append({"seq": seq, "source_id": text.source_id, "sha256": text.sha256, "text": text.text,
                     "archived_at": now, "hash": prev})  # fmt: skip
    import pyarrow as pa  # only where texts are archived: an append of events alone never imports it

    con.register("new_texts", pa.Table.from_pylist(rows))
    con.execute("insert into source_texts by name select * from new_texts")
    con.unregister("new_texts")


def locate_quotes(con: Connection, after_seq: int, sources: list[str], origins: dict[str, Origin]) -> None:
    """Find the quote of each event that has none located yet, among those logged after `after_seq` and those
    of `sources` (just archived), in its source's text; refuse every quote that is not there, naming the passage
    closest to it, where the event is in force. `origins` names where each event came from."""
    rows = con.execute(statement("unlocated_quotes"), [after_seq, sources]).fetchall()
    spans, refusals = [], Refusals()
    for event_id, quote, source_id, text, in_force in rows:
        try:
            spans.append((event_id, *quotes.locate(quote, text)))
        except quotes.QuoteNotFound as e:
            if not in_force:  # corrected or withdrawn: its quote is no longer asserted
                continue
            origin = origins.get(event_id) or Origin(f"event {event_id}", 0, unit="file")
            refusals.keep(origin, InputError(
                f'{origin}: quote "{_short(quote)}" is not in the archived text of source "{source_id}". The closest '
                f'passage is "{_short(e.closest)}". Quote the text as it is written (an ellipsis may stand for '
                "words left out), or supersede the event with the quote mended."
            ))  # fmt: skip
    refusals.check()
    if spans:
        con.executemany("insert into timeline_internal.quote_spans values (?, ?, ?)", spans)


def rebuild_spans(con: Connection) -> None:
    """Locate every quote in its source's text anew."""
    con.execute("delete from timeline_internal.quote_spans")
    locate_quotes(con, 0, [], {})


def first_bad_text(con: Connection) -> tuple[int, str] | None:
    """The first archived text whose content, place or link does not check out, and why."""
    prev, expected = GENESIS_HASH, 1
    reader = con.execute("select seq, source_id, sha256, text, archived_at, hash from source_texts order by seq")
    for seq, source_id, sha256, text, archived_at, link in reader.fetchall():
        named = f'archived text {seq} (source "{source_id}")'
        if seq != expected:
            return seq, f"{named}: expected text {expected}: texts were deleted, reordered or inserted"
        if hashlib.sha256(text.encode()).hexdigest() != sha256:
            return seq, f"{named}: its text does not match its sha256: the text was changed"
        if chain_hash(prev, seq, sha256, archived_at) != link:
            return seq, f"{named}: hash does not match: the row was changed or inserted out of band"
        prev, expected = link, seq + 1
    return None


def first_misplaced_quote(con: Connection) -> tuple[int, str] | None:
    """The first event in force whose quote is not where it was located in its source's text, or was never located."""
    for seq, event_id, quote, source_id, text, start, end in con.execute(statement("located_quotes")).fetchall():
        try:
            found = quotes.locate(quote, text)
        except quotes.QuoteNotFound:
            found = None
        if start is None or found != (start, end):
            where = "was never located" if start is None else f"is no longer at [{start}, {end})"
            return seq, f'the quote of event {event_id} (seq {seq}) {where} in the archived text of source "{source_id}"'
    return None


def texts_head(con: Connection) -> tuple[int, str]:
    """How many texts are archived, and the last one's link."""
    return con.execute("select count(*), coalesce(max_by(hash, seq), ?) from source_texts", [GENESIS_HASH]).fetchone()


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
