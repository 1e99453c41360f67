"""Upkeep: verify the hash chain and the tables derived from it, rebuild those tables, compact the file."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..errors import StoreError
from ..models import CONTENT_FIELDS, GENESIS_HASH, chain_hash, content_hash
from . import projections, texts
from .connection import STORAGE_VERSION, Connection, transaction
from .lake import CATALOG
from .log import head
from .registry import column
from .sql import literal, statement, temp_helper


@dataclass(frozen=True)
class Verification:
    """The outcome of walking the hash chain: OK with the head, or the first bad seq and why."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    problem: str | None = None
    published_seq: int | None = None
    texts: int = 0
    texts_head: str | None = None
    in_texts: bool = False
    """The problem is in the archived texts or the quotes found in them, not in the log's chain."""


def verify(con: Connection, published: str | None, *, turn: bool = False) -> Verification:
    """Walk the chain, then check the derived tables against the log and the published head against the chain. With
    `turn` (a lake), the log's and the texts' ends must also be where the last commit left them."""
    outcome = _walk(con)
    if not outcome.ok:
        return outcome
    if turn and (cut := _cut_from_end(con, outcome)):
        return replace(outcome, ok=False, problem=cut)
    unkeyed = con.execute(statement("unkeyed_events")).fetchone()[0]
    con.execute(statement("fresh_positions"))
    agree = con.execute(statement("positions_agree")).fetchone()[0]
    drift = None if agree else con.execute(statement("drifted_positions")).fetchone()[0]
    con.execute("drop table fresh_positions")
    found = con.execute("select seq from events where hash = ?", [published]).fetchone() if published else None
    for seq, table in ((unkeyed, "event_keys"), (drift, "positions")):
        if seq is not None:
            return Verification(False, outcome.count, outcome.head_seq, outcome.head_hash, seq,
                                f"{table} (derived from the log) disagree with it; rebuild them with timeline init")  # fmt: skip
    count, head = texts.texts_head(con)
    outcome = replace(outcome, texts=count, texts_head=head if count else None)
    text_problem = texts.first_bad_text(con) or texts.first_misplaced_quote(con)
    if text_problem:
        return replace(outcome, ok=False, problem=text_problem[1], in_texts=True)
    if published and not found:
        found_text = con.execute("select seq from source_texts where hash = ?", [published]).fetchone()
        if not found_text:
            return replace(outcome, ok=False, problem=f"the published head {published} is not in the log")
    return replace(outcome, published_seq=found and found[0])


def rebuild(con: Connection) -> None:
    """Rebuild the tables derived from the log from the log itself, in one transaction."""
    with transaction(con):
        projections.rebuild(con)


def compact(con: Connection, path: Path) -> None:
    """Copy the database behind `con` into a fresh file beside `path`, check the copy, and put it in `path`'s place.
    If anything fails, the store is left as it was."""
    fresh = path.with_name(path.name + ".compact")
    leftovers = (fresh, fresh.with_name(fresh.name + ".wal"))
    con.execute("checkpoint")
    current = con.execute("select current_database()").fetchone()[0]
    copy = f"{current}_compact"
    try:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        con.execute(f"attach {literal(fresh)} as \"{copy}\" (storage_version '{STORAGE_VERSION}')")
        try:
            con.execute(f'copy from database "{current}" to "{copy}"')
            same = _census(con, current) == _census(con, copy)
        finally:
            con.execute(f'detach "{copy}"')
        if not same:
            raise StoreError(f'compacting "{path}" gave a copy that differs from it; the store is unchanged.')
        os.replace(fresh, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _cut_from_end(con: Connection, outcome: Verification) -> str | None:
    """Where a lake's last commit left the log and the texts (timeline_internal.turn), if not where they end now."""
    rows = con.execute("select log_seq, log_head, texts_seq, texts_head from timeline_internal.turn").fetchall()
    if len(rows) != 1:
        return f"the lake's turn table holds {len(rows)} rows, not one"
    log_seq, log_head, texts_seq, texts_head = rows[0]
    if (log_seq, log_head) != (outcome.head_seq, outcome.head_hash if outcome.count else None):
        return f"the lake's last commit left its log at seq {log_seq} (hash {log_head}), but it ends at seq " \
               f"{outcome.head_seq}"  # fmt: skip
    count, head = texts.texts_head(con)
    if (texts_seq, texts_head) != (count, head if count else None):
        return f"the lake's last commit left {texts_seq} archived texts (head {texts_head}), but it holds {count}"
    return None


def compact_lake(con: Connection, shown: object, quiet_for: float, expire_before: datetime | None) -> None:
    """Merge a lake's small data files and write out rows kept in its catalog; with `expire_before`, forget the
    snapshots older than it and delete the files only they read. Refused if a writer committed within `quiet_for`
    seconds: upkeep runs apart from writers."""
    idle = con.execute(f"select epoch(now()::timestamp - max(snapshot_time)::timestamp) from ducklake_snapshots("
                       f"'{CATALOG}')").fetchone()[0]  # fmt: skip
    if idle is not None and idle < quiet_for:
        raise StoreError(f'lake "{shown}" was written {idle:.0f} s ago. Compact runs only while no one writes: stop '
                         f"the writers, and run it once the lake has been idle for {quiet_for:g} s.")  # fmt: skip
    con.execute(f"call ducklake_flush_inlined_data('{CATALOG}')")
    con.execute(f"call ducklake_merge_adjacent_files('{CATALOG}')")
    if expire_before is not None:
        con.execute(f"call ducklake_expire_snapshots('{CATALOG}', older_than => ?)", [expire_before])
    con.execute(f"call ducklake_cleanup_old_files('{CATALOG}', cleanup_all => true)")


VERIFIED_WITH = ("content_hash", "iso_instant", "chain_link")
"""The helpers verify makes temp macros of its connection, each after those it reads."""


def _walk(con: Connection) -> Verification:
    """Check the log row by row in seq order, each row against the stored row before it. SQL hashes every row and
    flags those that might be at fault (chain_faults); Python checks each flagged row again, in order, and the first
    it finds at fault is where the chain breaks."""
    for helper in VERIFIED_WITH:
        con.execute(temp_helper(helper))
    flagged = con.execute(statement("chain_faults"), [GENESIS_HASH]).to_arrow_reader(1_000)
    for batch in flagged:
        for row in batch.to_pylist():
            if problem := _fault(row):
                before = row["position"] - 1
                return Verification(False, before, before, row["prev_hash"] or GENESIS_HASH, row["seq"], problem)
    seq, link, _ = head(con)
    return Verification(True, seq, seq, link)


def _fault(row: dict) -> str | None:
    """What is wrong with one row of the log, held to the stored row before it (`prev_hash`, `prev_at`); None if
    nothing is."""
    if row["seq"] != row["position"]:
        return f"expected seq {row['position']}: rows were deleted, reordered or inserted"
    if content_hash(tuple(row[name] for name in CONTENT_FIELDS)) != row["event_id"]:
        return "content does not match event_id: the row was changed"
    if chain_hash(row["prev_hash"] or GENESIS_HASH, row["seq"], row["event_id"], row["recorded_at"]) != row["hash"]:
        return "hash does not match: the row was changed or inserted out of band"
    if row["prev_at"] and row["recorded_at"] < row["prev_at"]:
        return "recorded_at goes back in time"
    if row["seq"] > row["first_seq"]:
        return f"event_id appears twice (first at seq {row['first_seq']})"
    return None


def _census(con: Connection, database: str) -> list:
    """Every table's row count and the head of the log, to check a copy of the database against its original."""
    tables = column(con, "select schema_name || '.' || table_name from duckdb_tables() where database_name = ? order by 1",
                    [database])  # fmt: skip
    counts = ", ".join(f'(select count(*) from "{database}".{table})' for table in tables)
    head = f'(select (seq, hash) from "{database}".main.events order by seq desc limit 1)'
    return [*zip(tables, con.execute(f"select {counts}").fetchone()), con.execute(f"select {head}").fetchone()]
