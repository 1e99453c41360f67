"""The log: appends and imports, each one top-down function (files -> batch -> resolve -> append), all of it in one
transaction or nothing. Events are chained as they land; the derived tables follow in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, get_args

import duckdb
from pydantic import BaseModel

from .. import ingest, resolve
from ..errors import InputError
from ..models import (
    CONTENT_FIELDS, GENESIS_HASH, Actor, Precision, Source, SourceText, Topic, chain_hash, chain_hashes,
)
from . import projections, registry, texts
from .connection import FEW, Connection, transaction
from .sql import statement

if TYPE_CHECKING:
    import pyarrow as pa

EVENT_COLUMNS = ("seq", "event_id", "recorded_at", *CONTENT_FIELDS, "hash")
Clock = Callable[[], datetime]
Progress = Callable[[str, int, int | None], None]
"""How an import goes, told as progress(step, done, total): the step (STEPS, in order), and its work done of its
total, in bytes read or events logged; total None where a step cannot count its work."""
STEPS = ("reading files", "checking lines", "logging events", "updating positions", "committing")
READING, CHECKING, LOGGING, POSITIONS, COMMITTING = STEPS


def untold(step: str, done: int, total: int | None) -> None:
    """The progress of a write nobody watches."""


@dataclass(frozen=True)
class AppendResult:
    """What an append or import did: events added and already present, registry entries written and already held."""

    added: int
    present: int
    registry: int
    event_ids: list[str] = field(repr=False)
    head_seq: int
    head_hash: str
    registry_present: int = 0
    texts: int = 0


def append(con: Connection, batch: ingest.Batch, clock: Clock, progress: Progress = untold) -> AppendResult:
    """Resolve a batch against the registry and append it; nothing is written if any entry is refused."""
    with transaction(con):  # read and written in one transaction: another lake writer's commit makes it conflict
        progress(CHECKING, 0, None)
        resolver = resolve.Resolver(registry.Lookup(con, batch.references()))
        entries = resolver.register_all(batch)
        resolved = resolver.resolve_all(batch)
        origins = {r.event_id: r.origin for r in resolved}
        quoted = any(r.record.quote for r in resolved)
        added, head = _write(con, entries, lambda: _append_resolved(con, resolved, clock), clock, progress, origins,
                             quoted, _own_pairs(resolved))  # fmt: skip
        progress(COMMITTING, 0, None)
    return _outcome(batch, entries, [r.event_id for r in resolved], added, head)


def import_files(con: Connection, files: list[Path], texts: list[Path], progress: Progress | None,
                 clock: Clock) -> AppendResult:  # fmt: skip
    """Import .jsonl files and archived texts: as columns where that path vouches for every line, else line by line,
    which names the line at fault (and reads the files again: `progress` is told so)."""
    progress = progress or untold
    return import_columns(con, files, texts, progress, clock) or append(
        con, ingest.read_texts(texts, ingest.read(files, lambda *done: progress(READING, *done))), clock, progress)


def import_columns(con: Connection, files: list[Path], texts: list[Path], progress: Progress,
                   clock: Clock) -> AppendResult | None:  # fmt: skip
    """The columnar import: lines read by DuckDB, checked once per distinct value; None when it declines, before
    anything is written (or rolled back, where a quote is not in its text: the line-by-line path names its line)."""
    try:
        with _declining():  # before the transaction, which keeps what is dropped inside it until its commit
            batch, wanted, replayed = _stage(con, files, progress)
            ingest.read_texts(texts, batch)
            wanted[Source].update(t.source_id for _, t in batch.texts)
            entries = _resolve(con, batch, wanted, replayed) if con.alone else None
        with transaction(con):
            if entries is None:  # a lake's registry is read in the writer's turn, as the writer before left it
                with _declining():  # a commit's error, from the lake say, is not caught here
                    entries = _resolve(con, batch, wanted, replayed)
            added, head = _write(con, entries, lambda: _append_staged(con, clock, replayed, progress), clock, progress,
                                 {})  # fmt: skip
            # the result's ids, read once the write is done: held through it, 10M were 0.8 GB of the import's peak
            ids = registry.column(con, "select event_id from staged_records order by line")
            progress(COMMITTING, 0, None)
    except (ingest.Declined, InputError):
        return None
    finally:  # made outside the transaction, the staging's tables are not rolled back with it
        con.execute("drop table if exists staged_lines; drop table if exists staged_events; "
                    "drop table if exists staged_positions; drop table if exists staged_records")  # fmt: skip
    return _outcome(batch, entries, ids, added, head)


def _resolve(con: Connection, batch: ingest.Batch, wanted: dict, replayed: bool) -> list[BaseModel]:
    """Resolve the batch against the registry: the staged events become `staged_records`; returns the registry
    entries to write."""
    resolver = resolve.Resolver(registry.Lookup(con, wanted))
    entries = resolver.register_all(batch)
    _resolve_staged(con, resolver, replayed)
    return entries


@contextmanager
def _declining() -> Iterator[None]:
    """DuckDB's refusal of the files, as the columnar path declining them: the line-by-line path names the line."""
    try:
        yield
    except duckdb.Error as e:
        raise ingest.Declined(str(e)) from e


def head(con: Connection) -> tuple[int, str, datetime | None]:
    """The last event's seq, hash and recorded_at (0 and the genesis hash for an empty log)."""
    return con.execute("select seq, hash, recorded_at from events order by seq desc limit 1").fetchone() or (
        0, GENESIS_HASH, None)  # fmt: skip


def _write(con: Connection, entries: list[BaseModel], append_events: Callable[[], tuple], clock: Clock,
           progress: Progress, origins: dict[str, ingest.Origin], quoted: bool = True,
           pairs: list[dict] | None = None):  # fmt: skip
    """Write registry entries, texts and events, find each new quote in its text (where an event brings a quote, or a
    text is archived: `quoted` False says no event does), then bring the derived tables in step, inside the caller's
    transaction (`pairs`: see projections.follow)."""
    registry.write(con, entries, _recorded_at(clock, None))
    archived = [entry for entry in entries if isinstance(entry, SourceText)]
    texts.archive(con, archived, clock)
    progress(LOGGING, 0, None)
    added, last = append_events()
    if (quoted and added) or archived:
        texts.locate_quotes(con, last[0] - added, [t.source_id for t in archived], origins)
    progress(POSITIONS, 0, None)
    projections.follow(con, added, last[0], pairs)
    return added, last


def _outcome(batch: ingest.Batch, entries: list[BaseModel], ids: list[str], added: int,
             last: tuple[int, str]) -> AppendResult:  # fmt: skip
    """What an append did: the batch's events and registry entries, split into those written and those already held."""
    held = sum(1 for _ in batch.registry()) - len(entries)
    archived = sum(isinstance(entry, SourceText) for entry in entries)
    return AppendResult(added, len(ids) - added, len(entries) - archived, ids, last[0], last[1], held, archived)


def _recorded_at(clock: Clock, last_at: datetime | None) -> datetime:
    """The recording clock never goes back: a new event is recorded no earlier than the last."""
    now = clock()
    return max(now, last_at) if last_at else now


# -- line by line -------------------------------------------------------------------------------------------------


def _append_resolved(con: Connection, resolved: list[ingest.Resolved], clock: Clock) -> tuple[int, tuple[int, str]]:
    """Chain and insert the resolved events the log does not hold yet; a replayed one must land where it stood."""
    present = registry.logged_event_ids(con, [r.event_id for r in resolved])
    fresh: dict[str, ingest.Resolved] = {}
    for r in resolved:
        if r.event_id not in present:
            fresh.setdefault(r.event_id, r)
    seq, prev, last_at = head(con)
    if not fresh:
        return 0, (seq, prev)
    now = _recorded_at(clock, last_at)
    rows = []
    for r in fresh.values():
        seq += 1
        recorded_at = _replay(r, seq, prev, last_at).recorded_at if r.position else now
        link = chain_hash(prev, seq, r.event_id, recorded_at)
        if r.position and link != r.position.hash:
            raise InputError(f'{r.origin}: hash "{r.position.hash}" does not match the replayed chain ({link}). '
                             "Restore the exported line.")  # fmt: skip
        rows.append((seq, r.event_id, recorded_at, *r.record, link))
        prev, last_at = link, recorded_at
    columns = dict(zip(EVENT_COLUMNS, map(list, zip(*rows))))
    if len(rows) <= FEW:
        con.execute(statement("insert_appended_events"), columns)
    else:
        with con.table_of("appended_events", columns):
            con.execute(statement("insert_appended_table"))
    return len(rows), (seq, prev)


def _own_pairs(resolved: list[ingest.Resolved]) -> list[dict] | None:
    """The (actor_id, topic_id) pairs the events speak to, which spares the log a search for them; None where one
    corrects another, whose pair only the log knows."""
    if any(r.record.supersedes for r in resolved):
        return None
    return [{"actor_id": a, "topic_id": t} for a, t in sorted({(r.record.actor_id, r.record.topic_id) for r in resolved})]


def _replay(resolved: ingest.Resolved, seq: int, prev: str, last_at: datetime | None):
    """An exported event must land exactly where it stood: same seq, same predecessor, time moving forward."""
    position, origin = resolved.position, resolved.origin
    if position.seq != seq or (position.prev_hash or prev) != prev:
        raise InputError(
            f"{origin}: seq {position.seq} does not continue this store's log (next seq {seq}). "
            "Import a log export into an empty store, or drop seq, recorded_at and hash to append the events as new."
        )
    if last_at and position.recorded_at < last_at:
        raise InputError(f"{origin}: recorded_at {position.recorded_at} goes back in time. Restore the exported line.")
    return position


# -- as columns ---------------------------------------------------------------------------------------------------

_STAGED_LOOKUPS = {
    "scores": ("topic", "stance", "score"),
    "spans": ("date", "date_basis", "source", "occurred_from", "occurred_to", "date_precision", "basis"),
}


def _stage(con: Connection, files: list[Path], progress: Progress):
    """Load the files' lines into temp tables: registry lines as a batch, event lines as typed columns.

    Returns the batch of registry entries, the registry ids the import names, and whether the event lines replay a
    log export (each carries its log position). Raises Declined where the columnar path cannot vouch for the lines.
    """
    con.execute("create or replace temp table staged_lines (file integer, json json, is_event boolean)")
    done, size = 0, sum(path.stat().st_size for path in files)
    progress(READING, done, size)
    for number, path in enumerate(files):
        with path.open("rb") as handle:
            if handle.read(3) == b"\xef\xbb\xbf":
                raise ingest.Declined("byte-order mark")
        con.execute(statement("stage_lines"), [number, str(path)])
        done += path.stat().st_size
        progress(READING, done, size)
    progress(CHECKING, 0, None)
    if con.execute(statement("declined_lines")).fetchone()[0]:
        raise ingest.Declined("lines")
    paths = [f"$.{key}" for key in (*ingest.EVENT_KEYS, *ingest.LOG_KEYS)]
    replays = {ingest.check_shape(*shape) for shape in con.execute(statement("event_shapes"), [paths]).fetchall()}
    if len(replays) > 1:
        raise ingest.Declined("some lines replay a log and some do not")
    replayed = replays == {True}
    batch = ingest.Batch()
    for number, line in con.execute("select file, json from staged_lines where not is_event order by rowid").fetchall():
        ingest.add(batch, ingest.Origin(str(files[number]), 0), json.loads(line))
    structure = {name: "VARCHAR" for name in ingest.EVENT_KEYS if name != "type"}
    positions = {name: "VARCHAR" for name in ingest.LOG_KEYS}
    con.execute(statement("stage_positions"), [json.dumps(positions), replayed])
    con.execute(statement("stage_events"), [json.dumps(structure)])
    con.execute("drop table staged_lines")
    values = {name: _to_check(con, name) for name in structure}
    for name, distinct in values.items():
        ingest.check_values(name, distinct)
    wanted = batch.references()
    for model, names in ((Actor, ("actor", "subject")), (Topic, ("topic",)), (Source, ("source",))):
        for name in names:
            wanted[model].update(values[name])
    return batch, wanted, replayed


def _to_check(con: Connection, name: str) -> list[str]:
    """One staged field's distinct values for pydantic to check: all of them, but of a free-text field only those
    SQL cannot vouch for (plain_text), which spares Python most of a million distinct summaries."""
    query = f'select distinct "{name}" from staged_events where "{name}" is not null'
    limits = ingest.free_text_limits()
    if name not in limits:
        return registry.column(con, query)
    return registry.column(con, f'{query} and timeline_internal.plain_text("{name}", ?) is not true', [limits[name]])


def _resolve_staged(con: Connection, resolver: resolve.Resolver, replayed: bool) -> None:
    """Resolve the staged events by their distinct values into `staged_records`, ids hashed in SQL, and check their
    corrections; a refusal (InputError) declines, so that the line-by-line path names the line."""
    import pyarrow as pa  # the columnar path's own: a single append never imports it

    lookups = resolve.resolve_columns(resolver, lambda *names: _distinct(con, "staged_events", names), replayed)
    for name, rows in lookups.items():
        columns = _STAGED_LOOKUPS[name]
        con.register(name, pa.table(dict(zip(columns, map(list, zip(*rows)))) if rows else
                                    {c: pa.array([], pa.string()) for c in columns}))  # fmt: skip
    con.execute(statement("staged_records"), [ingest.EVENT_DEFAULTS["kind"], ingest.EVENT_DEFAULTS["confidence"]])
    con.execute("drop table staged_events")
    staged = con.execute("select event_id, supersedes from staged_records where supersedes is not null").fetchall()
    if staged:  # checked by the resolver's own rule; a refusal declines, and the line-by-line path names the line
        targets = list({supersedes for _, supersedes in staged})
        in_import = registry.column(con, "select event_id from staged_records where event_id in (select unnest(?))",
                                    [targets])  # fmt: skip
        resolver.check_corrections([resolve.Correction(ingest.BULK, *row, replayed) for row in staged], set(in_import))


def _append_staged(con: Connection, clock: Clock, replayed: bool, progress: Progress) -> tuple[int, tuple[int, str]]:
    """Append the staged records not yet logged, in line order, IMPORT_SLICE at a time (told to `progress`): only
    their ids pass through Python, to be chained; those of a log export land at the seq, time and link each carries
    (_replay_staged)."""
    seq, prev, last_at = head(con)
    fresh = con.arrow_table(statement("fresh_staged_records"), [seq])
    if replayed:
        return _replay_staged(con, fresh, prev, last_at)
    now = _recorded_at(clock, last_at)
    for start in range(0, fresh.num_rows, IMPORT_SLICE):  # the seqs run on from slice to slice, as the chain does
        part = fresh.slice(start, IMPORT_SLICE)
        links = chain_hashes(prev, seq + start + 1, part.column("event_id").to_pylist(), now)
        con.register("fresh_links", part.drop_columns("event_id").append_column("hash", _link_column(links)))
        con.execute(statement("insert_staged_records"), [now])
        con.unregister("fresh_links")
        prev = links[-1]
        progress(LOGGING, start + part.num_rows, fresh.num_rows)
    return fresh.num_rows, (seq + fresh.num_rows, prev)


def _replay_staged(con: Connection, fresh: pa.Table, prev: str,
                   last_at: datetime | None) -> tuple[int, tuple[int, str]]:  # fmt: skip
    """Log the staged records of a log export at the seq, recorded_at and link each carries, once SQL finds none the
    line-by-line path would refuse or log otherwise (replay_faults); where it finds one, decline, and that path
    names its line."""
    con.register("fresh_links", fresh.select(["line", "seq"]))
    try:
        if con.execute(statement("replay_faults"), [prev, last_at, list(get_args(Precision))]).fetchone()[0]:
            raise ingest.Declined("replay")
        con.execute(statement("insert_replayed_records"))
    finally:
        con.unregister("fresh_links")
    seq, prev, _ = head(con)
    return fresh.num_rows, (seq, prev)


IMPORT_SLICE = 1_000_000
"""Fresh records chained and logged at a time. At 10M events, chaining every id at once held each id and link as a
Python string, and logging them at once sorted all 10M records by seq: the import's peak was 10.4 GB, now 6.8 GB."""


def _link_column(links: list[str]) -> pa.Array:
    """The chain's links as one Arrow column of fixed width, made from one buffer: a link is always 32 hex digits.
    pa.array copies a million strings one by one, which took 0.4-0.8 s of a 1M import; this takes 0.05 s."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.binary(len(links[0])), len(links), [None, pa.py_buffer("".join(links).encode())])


def _distinct(con: Connection, table: str, names: tuple[str, ...]) -> list[tuple]:
    columns = ", ".join(f'"{name}"' for name in names)
    return con.execute(f"select distinct {columns} from {table}").fetchall()
