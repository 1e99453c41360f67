"""The tables derived from the log, kept in step with it inside each writer's transaction: `event_keys`, which finds
an event id in a row group or two, and `positions`, which answers "stance as of" with a filter."""

from __future__ import annotations

from . import texts
from .connection import Connection
from .sql import statement

FULL_REFRESH = 10_000
FULL_REFRESH_SHARE = 0.02
"""An append of more events than both FULL_REFRESH and this share of the log rebuilds `positions` whole; a smaller one
recomputes the pairs it touches. A later import of 20k events into a 10M-event log took 22.9 s rebuilding whole and
6.9 s by pairs; the two cost the same at about 2% of a 10M log and 4% of a 1M one (BENCHMARKS.md)."""

IN_KEY_ORDER = " order by pair_key, valid_from, seq"
"""How rows of `positions` are written (position_rows gives them unsorted): each row group's pair keys stay narrow,
so that a pair's rows are found in a row group or two."""


def rebuild(con: Connection) -> None:
    """Rebuild `event_keys`, `positions` and the located quotes whole from the log, within the writer's transaction."""
    con.execute("delete from timeline_internal.event_keys")
    _add_event_keys(con, 0)
    _refresh_positions(con, None)
    texts.rebuild_spans(con)


def follow(con: Connection, added: int, head_seq: int, pairs: list[dict] | None = None) -> None:
    """Bring both tables in step with `added` events just appended, up to `head_seq`. `pairs`, where the writer
    knows them: the events' own (actor_id, topic_id) pairs, when none of them corrects another."""
    if added:
        _add_event_keys(con, head_seq - added)
        whole = added > max(FULL_REFRESH, FULL_REFRESH_SHARE * head_seq)
        _refresh_positions(con, None if whole else head_seq - added, pairs)


def _add_event_keys(con: Connection, after_seq: int) -> None:
    """Key the events after `after_seq`, sorted, so that each append adds row groups its keys' zone maps narrow."""
    con.execute(statement("add_event_keys"), [after_seq])


def _refresh_positions(con: Connection, after_seq: int | None, pairs: list[dict] | None = None) -> None:
    """Bring `positions` in step with the log.

    after_seq None rebuilds it whole. Otherwise, events that are each the newest word on their pair
    extend it by one row (the common case of a live append); anything else recomputes the (actor, topic)
    pairs touched by events after that seq and by the events their corrections supersede: from the pairs'
    rows in `positions` plus the new events (a late event), or from the log when a new event corrects another.
    `pairs` None: the pairs, and whether an event corrects another, are read from the log (touched_pairs).
    """
    if after_seq is None:
        con.execute("delete from timeline_internal.positions")
        con.execute("insert into timeline_internal.positions select * from timeline_internal.position_rows(null, null)"
                    + IN_KEY_ORDER)  # fmt: skip
        return
    if pairs is None:
        pairs = con.execute("select timeline_internal.touched_pairs(?)", [after_seq]).fetchone()[0]
        corrects = con.execute("select count(*) > 0 from events where seq > ? and supersedes is not null",
                               [after_seq]).fetchone()[0]  # fmt: skip
    else:
        corrects = False  # a writer names the pairs only where no event corrects another
    if not corrects and _extended(con, after_seq, pairs):
        return
    from_positions = None if corrects else after_seq
    redo = f"create temp table redone as from timeline_internal.position_rows($pairs, $after){IN_KEY_ORDER}"
    with con.listing(redo, {"after": from_positions}, pairs=pairs) as (query, params):
        con.execute(query, params)
    delete = statement("delete_redone_positions").replace("$1", "$pairs")  # its one parameter, named
    with con.listing(delete, pairs=pairs) as (query, params):
        con.execute(query, params)
    con.execute("insert into timeline_internal.positions select * from redone")
    con.execute("drop table redone")


def _extended(con: Connection, after_seq: int, pairs: list[dict]) -> bool:
    """Where each event after `after_seq`, none of which corrects another, is the newest word on its pair, close the
    pairs' open rows and add one each (extended_positions); False, with nothing changed, where they do not
    (extension_holds)."""
    extension = "create temp table extension as from timeline_internal.extended_positions($after, $pairs)"
    with con.listing(extension, {"after": after_seq}, pairs=pairs) as (query, params):
        con.execute(query, params)
    extends = con.execute(statement("extension_holds")).fetchone()[0]
    if extends:
        con.execute(statement("close_extended_positions"))
        con.execute("insert into timeline_internal.positions select * exclude (held_from) from extension")
    con.execute("drop table extension")
    return extends
