"""The log: the only module that talks to DuckDB. It connects, migrates, appends and reads."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
from pydantic import BaseModel

from . import dates, ingest
from .errors import (
    DateError,
    InputError,
    ReadOnlyError,
    SchemaError,
    StoreError,
    StoreLocked,
    StoreMissing,
    TimelineError,
    UnknownId,
    did_you_mean,
)
from .models import (
    CONTENT_FIELDS,
    GENESIS_HASH,
    Actor,
    Membership,
    Source,
    StanceRow,
    Topic,
    chain_hash,
    chain_hashes,
    content_hash,
)
from .results import Result

EVENT_COLUMNS = ("seq", "event_id", "recorded_at", *CONTENT_FIELDS, "hash")
REGISTRY_TABLES: dict[type[BaseModel], tuple[str, str | None]] = {
    Source: ("sources", "source_id"),
    Actor: ("actors", "actor_id"),
    Topic: ("topics", "topic_id"),
    Membership: ("memberships", None),
}
VIEWS_AND_TABLES = ("timeline", "effective_events", "stance_periods", "stance_changes", "claims",
                    "events", "actors", "topics", "sources", "memberships")  # fmt: skip
READ_ONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
FULL_REFRESH = 10_000
"""Appends of more events than this rebuild `positions` whole; smaller ones recompute the pairs they touch."""
STORAGE_VERSION = "v1.5.0"
"""The storage format new stores are written in, and keep: DuckDB 1.5 and later read it, older clients cannot. Its
checkpoints write less than the default (1.0) format's, which halves the close of a single append."""
_WRITERS: dict[Path, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()


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


class Store:
    """An append-only timeline in one DuckDB file; each call opens and closes its own connection."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] | None = None, lock_timeout: float = 10.0):
        self.path = Path(path).expanduser()  # DuckDB expands "~" itself: the file checked must be the one it opens
        self.lock_timeout = lock_timeout
        self._clock = clock or (lambda: datetime.now(timezone.utc).replace(tzinfo=None))
        self._held: duckdb.DuckDBPyConnection | None = None
        self._held_writes = False
        self._held_turn = threading.RLock()

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, **options) -> Store:
        """Open the store at `path`, creating it if asked and bringing its schema up to date."""
        store = cls(path, **options)
        if not store.path.exists() and not create:
            raise _missing(store.path)
        store.migrate()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing stays open between calls; kept so a Store reads well in a with-block."""

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Hold one read-only connection for a series of queries; other readers may share the file, writers wait."""
        with self._holding(write=False):
            yield self

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Hold one write connection for a series of appends and queries: each append still commits on its own, all
        of it or none, but connecting and the checkpoint on close are paid once, at the ends of the block. Until it
        ends, other processes can neither read nor write the store; threads sharing this Store take turns on it.
        """
        with self._holding(write=True):
            yield self

    def size_bytes(self) -> int:
        """Bytes the store takes on disk (its file and any write-ahead log)."""
        wal = self.path.with_name(self.path.name + ".wal")
        return self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    # -- schema ---------------------------------------------------------------------------------

    @staticmethod
    def latest_schema_version() -> int:
        """The schema version this release of stance-timeline writes."""
        return max(_migrations())

    def schema_version(self) -> int:
        """The highest migration applied to the store (0 for a new file)."""
        if not self.path.exists():
            return 0
        with self._connection(write=False) as con:
            return _schema_version(con)

    def migrate(self) -> int:
        """Apply pending migrations and refresh views and macros, in one transaction; return the version."""
        shipped = _migrations()
        newest = self.latest_schema_version()
        if self.path.exists():
            with self._connection(write=False) as con:
                version, queries = _schema_version(con), _meta(con, "queries_hash")
            _refuse_newer(self.path, version, newest)
            if version == newest and queries == _queries_hash():
                return version
        with self._writing() as con:
            version = _schema_version(con)
            _refuse_newer(self.path, version, newest)
            con.begin()
            for number in sorted(n for n in shipped if n > version):
                name, sql = shipped[number]
                con.execute(sql)
                con.execute("insert into schema_migrations values (?, ?, ?)", [number, name, self._clock()])
            for sql in _objects():
                con.execute(sql)
            con.execute("insert or replace into store_meta values ('queries_hash', ?)", [_queries_hash()])
            _rebuild_derived(con)
            con.commit()
        return newest

    # -- writing --------------------------------------------------------------------------------

    def append(self, entry: BaseModel | dict) -> AppendResult:
        """Append one event (or registry entry); an event already in the log is not added again."""
        return self.append_many([entry])

    def append_many(self, entries: Iterable[BaseModel | dict]) -> AppendResult:
        """Append events and registry entries in one transaction: all of them or none."""
        return self.write(ingest.given(entries))

    def import_paths(self, paths: Iterable[str | Path], progress: Callable[[int], None] | None = None) -> AppendResult:
        """Import every line of the given .jsonl files and directories in one transaction.

        Files are first read as columns by DuckDB and checked once per distinct value. Whatever that path
        cannot vouch for (a refused line, a log export, an unusual escape) is read again line by line, which
        names the line at fault.
        """
        files = ingest.jsonl_files(paths)
        with self._writing() as con:
            return self._import_columns(con, files, progress) or self._write(con, ingest.read(files, progress))

    def write(self, batch: ingest.Batch) -> AppendResult:
        """Resolve a batch against the registry and append it; nothing is written if any line is refused."""
        with self._writing() as con:
            return self._write(con, batch)

    def _write(self, con: duckdb.DuckDBPyConnection, batch: ingest.Batch) -> AppendResult:
        resolver = ingest.Resolver(_Lookup(con, batch.references()))
        registry = resolver.register_all(batch)
        resolved = resolver.resolve_all(batch)
        added, head = _transaction(con, registry, lambda: self._append_events(con, resolved))
        return _outcome(batch, registry, [r.event_id for r in resolved], added, head)

    def _import_columns(self, con: duckdb.DuckDBPyConnection, files: list[Path],
                        progress: Callable[[int], None] | None) -> AppendResult | None:  # fmt: skip
        """The columnar import: None when it declines, before anything is written."""
        try:
            batch, wanted = _stage(con, files, progress)
            resolver = ingest.Resolver(_Lookup(con, wanted))
            registry = resolver.register_all(batch)
            lookups = ingest.resolve_columns(resolver, lambda *names: _distinct(con, "staged_events", names))
            for name, rows in lookups.items():
                columns = _STAGED_LOOKUPS[name]
                con.register(name, pa.table(dict(zip(columns, map(list, zip(*rows)))) if rows else
                                            {c: pa.array([], pa.string()) for c in columns}))  # fmt: skip
            con.execute(_STAGED_RECORDS, [ingest.EVENT_DEFAULTS["kind"], ingest.EVENT_DEFAULTS["confidence"]])
            con.execute("drop table staged_events")
            if con.execute(_UNKNOWN_TARGETS).fetchone()[0] or con.execute(_SECOND_CORRECTIONS).fetchone()[0]:
                raise ingest.Declined("supersedes")
        except (ingest.Declined, InputError, duckdb.Error):
            return None
        ids = _column(con, "select event_id from staged_records order by line")
        added, head = _transaction(con, registry, lambda: self._append_staged(con))
        return _outcome(batch, registry, ids, added, head)

    def _append_staged(self, con: duckdb.DuckDBPyConnection) -> tuple[int, tuple[int, str]]:
        """Append the staged records not yet logged, in line order: only their ids pass through Python, to be chained."""
        repeats = con.execute("select count(*) - count(distinct event_id) from staged_records").fetchone()[0]
        first_only = " qualify row_number() over (partition by event_id order by line) = 1" if repeats else ""
        seq, prev, last_at = _head(con)
        fresh = con.execute(
            "select line, event_id, ? + row_number() over (order by line) as seq"
            f" from (select line, event_id from staged_records anti join events using (event_id){first_only})"
            " order by line",
            [seq],
        ).to_arrow_table()
        if fresh.num_rows:
            now = max(self._clock(), last_at) if last_at else self._clock()
            links = chain_hashes(prev, seq + 1, fresh.column("event_id").to_pylist(), now)
            con.register("fresh_links", fresh.drop_columns("event_id").append_column("hash", pa.array(links)))
            con.execute(
                "insert into events by name select r.* exclude (line), l.seq, l.hash, ?::timestamp as recorded_at"
                " from staged_records as r inner join fresh_links as l using (line) order by l.seq",
                [now],
            )
            con.unregister("fresh_links")
            seq, prev = seq + len(links), links[-1]
        con.execute("drop table staged_records")
        return fresh.num_rows, (seq, prev)

    def _append_events(self, con: duckdb.DuckDBPyConnection, resolved: list[ingest.Resolved]):
        present = _logged_event_ids(con, [r.event_id for r in resolved])
        fresh: dict[str, ingest.Resolved] = {}
        for r in resolved:
            if r.event_id not in present:
                fresh.setdefault(r.event_id, r)
        seq, prev, last_at = _head(con)
        if not fresh:
            return 0, (seq, prev)
        now = max(self._clock(), last_at) if last_at else self._clock()
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
        con.register("new_events", pa.table({name: _arrow_column(name, values) for name, values in columns.items()}))
        con.execute("insert into events by name select * from new_events")
        return len(rows), (seq, prev)

    # -- reading --------------------------------------------------------------------------------

    def stance_as_of(
        self,
        as_of: date | str,
        *,
        known_at: datetime | date | str | None = None,
        actor: str | None = None,
        topic: str | None = None,
        include_reported: bool = False,
    ) -> Result[StanceRow]:
        """Each actor's position on each topic on day `as_of`, as the store knew it at `known_at`.

        With include_reported, claims by others are set beside each stance (their `reported_by` names the claimant).
        """
        if include_reported:
            return self._as_of("reported_stance_as_of", as_of, known_at, pairs_of=(actor, topic, None),
                               actor_id=actor, topic_id=topic)  # fmt: skip
        if known_at is None:  # the same rows as stance_as_of, without planning the branch that reads the log
            pair = (actor, topic) if actor and topic else ()  # one pair: its key finds its row group; one row, no sort
            return self._select("stance_from_positions(?::date)", [dates.day(as_of), *pair],
                                "pair_key = pair_key(?, ?)" if pair else None, StanceRow,
                                None if pair else "topic_id, actor_id", columns="* exclude (pair_key)",
                                actor_id=actor, topic_id=topic)  # fmt: skip
        return self._as_of("stance_as_of", as_of, known_at, StanceRow, order="topic_id, actor_id",
                           pairs_of=(actor, topic, None), actor_id=actor, topic_id=topic)  # fmt: skip

    def group_stance_as_of(self, as_of: date | str, *, known_at=None, group: str | None = None,
                           topic: str | None = None) -> Result:  # fmt: skip
        """Each group's own stance and its members' on `as_of`, with the spread between them."""
        return self._as_of("group_stance_as_of", as_of, known_at, pairs_of=(None, topic, group), group_id=group,
                           topic_id=topic)  # fmt: skip

    def claims_as_of(self, as_of: date | str, *, known_at=None, subject: str | None = None,
                     topic: str | None = None) -> Result:  # fmt: skip
        """Second-hand claims in force on `as_of`, beside each subject's own stance that day."""
        return self._as_of("claims_as_of", as_of, known_at, pairs_of=(subject, topic, None), subject_id=subject,
                           topic_id=topic)  # fmt: skip

    def history(self, actor: str, *, topic: str | None = None, since: date | str | None = None,
                until: date | str | None = None) -> Result:  # fmt: skip
        """Everything said by or about one actor, in the order it happened; with `since` or `until`, what may have
        been said between them (an event dated "February" meets any window that meets February)."""
        conditions, params = _window("occurred_from", "occurred_to", since, until)
        return self._select("timeline", [actor, actor, *params], " and ".join(["(actor_id = ? or subject_id = ?)",
                            *conditions]), names={"actor_id": actor}, topic_id=topic)  # fmt: skip

    def changes(self, *, actor: str | None = None, topic: str | None = None, since: date | str | None = None,
                until: date | str | None = None) -> Result:  # fmt: skip
        """Every change of position, shift or reversal; with `since` or `until`, those that may have happened between
        them, as `history` does (a change's dates run from changed_on to changed_by)."""
        conditions, params = _window("changed_on", "changed_by", since, until)
        return self._select("stance_changes", params, " and ".join(conditions) or None, actor_id=actor, topic_id=topic)

    def events(self, *, topic: str | None = None, as_of: date | str | None = None, effective: bool = False) -> Result:
        """Events with names and outlets, in seq order: all of them, or only those in force (corrections applied)."""
        return self._read(*_events_query(topic, as_of, effective), names={"topic_id": topic})

    def copy_events(self, path: str | Path, options: str, *, topic: str | None = None,
                    as_of: date | str | None = None) -> int:  # fmt: skip
        """Write events (the `timeline` view) with DuckDB's own writer; `options` as in COPY ... TO. Returns the count.

        A failure to write `path` (a full disk, a name too long) is an OSError with the system's reason: it is not
        the store's.
        """
        query, params = _events_query(topic, as_of, effective=False)
        with self._connection(write=False) as con:
            _require_known(con, {"topic_id": topic})  # before anything is written
            try:
                con.execute(f"copy ({query}) to '{_quote(path)}' ({options})", params)
            except duckdb.IOException as e:  # 'IO Error: Could not write file "…": File too large'
                reason = str(e).rpartition('": ')[2]
                raise OSError(_ERRNOS.get(reason), reason) from e
            return con.execute(f"select count(*) from ({query})", params).fetchone()[0]

    def reread_dates(self) -> Result:
        """Events in force whose date phrase this version reads otherwise: another interval, or a refusal.

        An event keeps the interval its phrase was read as when it was logged, and a later version's date rules may
        read the phrase otherwise. Each row gives the interval logged and the reading now (now_refused holds the
        refusal instead); supersede an event to re-date it. Each distinct (phrase, basis) is read once.
        """
        with self._connection(write=False) as con:
            logged = con.execute(
                "select distinct date_text, date_basis, occurred_from, occurred_to, date_precision from effective_events"
            ).fetchall()
            changed = [dict(zip(_READ_NOW.names, (*row, *now))) for row in logged
                       if (now := _read_now(*row[:2]))[:3] != row[2:]]  # fmt: skip
            con.register("read_now", pa.Table.from_pylist(changed, schema=_READ_NOW))
            try:
                return Result(_run(con, _REREAD, None))
            finally:
                con.unregister("read_now")

    def registry(self, model: type[BaseModel]) -> list[BaseModel]:
        """Every registry entry of one kind (Source, Actor, Topic or Membership), as records."""
        with self._connection(write=False) as con:
            rows = con.execute(f"select * from {REGISTRY_TABLES[model][0]} order by all").to_arrow_table().to_pylist()
        return [model.model_validate(_from_row(model, row)) for row in rows]

    def table(self, name: str, **filters: str | None) -> Result:
        """The rows of one of the store's tables or views, optionally filtered by column value."""
        if name not in VIEWS_AND_TABLES:
            raise StoreError(f'table "{name}" is not part of the store. Use one of: {", ".join(VIEWS_AND_TABLES)}.')
        return self._select(name, [], None, **filters)

    def _as_of(self, macro: str, as_of, known_at, model: type[BaseModel] | None = None, order: str | None = None,
               pairs_of: tuple[str | None, str | None, str | None] = (None, None, None),
               **filters) -> Result:  # fmt: skip
        """One of the as-of macros. At a past known_at, with an actor, a topic or a group in `pairs_of`, the log is
        read for their pairs only (logged_pairs), not whole: for one pair at 1M events, 1.3 s became 40 ms."""
        source, params = f"{macro}(?::date, known_at := ?::timestamp", [dates.day(as_of), dates.instant(known_at)]
        if known_at is not None and any(pairs_of):
            source, params = f"{source}, pairs := logged_pairs(?, ?, grp := ?)", [*params, *pairs_of]
        return self._select(f"{source})", params, None, model, order, **filters)

    def _select(self, source: str, params: list, condition: str | None, model=None, order: str | None = None,
                columns: str = "*", names: dict[str, str | None] | None = None, **filters) -> Result:  # fmt: skip
        conditions = [condition] if condition else []
        for column, value in filters.items():
            if value is not None:
                conditions.append(f"{column} = ?")
                params = [*params, value]
        where = f" where {' and '.join(conditions)}" if conditions else ""
        query = f"select {columns} from {source}{where}{f' order by {order}' if order else ''}"
        return self._read(query, params, model, names={**(names or {}), **filters})

    def sql(self, query: str, params: list | None = None) -> Result:
        """Run one read-only statement (SELECT, WITH or EXPLAIN) and return its rows."""
        with self._connection(write=False) as con:
            statements = _parse(con, query)
            if len(statements) != 1:
                raise ReadOnlyError(f"query has {len(statements)} statements. Run one statement at a time.")
            kind = statements[0].type
            if kind not in READ_ONLY_STATEMENTS:
                raise ReadOnlyError(
                    f'statement "{kind.name}" is refused: ad-hoc SQL is read-only. '
                    "Use SELECT, WITH or EXPLAIN; write through timeline import or append."
                )
            return Result(_run(con, query, params))

    def verify(self, published: str | None = None) -> Verification:
        """Walk the hash chain: each event's id must match its content and each link the one before.

        `published` is a head hash given out earlier: it must still be a link of the chain. Without it, a log cut at
        its end, or rewritten and chained anew, leaves a chain that is intact.
        """
        if published is not None and not re.fullmatch(r"[0-9a-f]{32}", published):
            raise InputError(f'published head "{published}" is not a hash. Give the 32 hex characters that follow '
                             '"hash" in the output of timeline verify.')  # fmt: skip
        columns = ", ".join(EVENT_COLUMNS)
        with self._connection(write=False) as con:
            repeats = dict(con.execute(
                "select seq, first_seq from (select seq, min(seq) over (partition by event_id) as first_seq from events)"
                " where seq > first_seq"
            ).fetchall())  # fmt: skip
            reader = con.execute(f"select {columns} from events order by seq").to_arrow_reader(100_000)
            outcome = _walk(reader, repeats)
            if not outcome.ok:
                return outcome
            unkeyed = con.execute(
                "select min(seq) from events anti join event_keys on event_keys.key = event_key(events.event_id)"
            ).fetchone()[0]
            drift = con.execute(
                "select min(seq) from ((from positions except all from position_rows(null))"
                " union all (from position_rows(null) except all from positions))"
            ).fetchone()[0]
            found = con.execute("select seq from events where hash = ?", [published]).fetchone() if published else None
        for seq, table in ((unkeyed, "event_keys"), (drift, "positions")):
            if seq is not None:
                return Verification(False, outcome.count, outcome.head_seq, outcome.head_hash, seq,
                                    f"{table} (derived from the log) disagree with it; rebuild them with timeline init")  # fmt: skip
        if published and not found:
            return replace(outcome, ok=False, problem=f"the published head {published} is not in the log")
        return replace(outcome, published_seq=found and found[0])

    def rebuild(self) -> None:
        """Rebuild the tables derived from the log (event_keys, positions) from the log itself."""
        with self._writing() as con:
            con.begin()
            _rebuild_derived(con)
            con.commit()

    def compact(self) -> int:
        """Rewrite the store into a fresh file, leaving out the blocks that deletes and rebuilds freed; return its size.

        The copy is written beside the store, under the write lock, in the current storage format; each table's
        row count and the head are checked against the original before the copy replaces it. If anything fails,
        the store is left as it was. It needs free disk space for a second copy.
        """
        if self._held is not None:
            raise StoreError(f'store "{self.path}" cannot be compacted inside a reading or writing block, which keeps '
                             "its connection open. Compact after the block.")  # fmt: skip
        fresh = self.path.with_name(self.path.name + ".compact")
        leftovers = (fresh, fresh.with_name(fresh.name + ".wal"))
        with self._writing() as con:
            con.execute("checkpoint")
            current = con.execute("select current_database()").fetchone()[0]
            copy = f"{current}_compact"
            try:
                for leftover in leftovers:
                    leftover.unlink(missing_ok=True)
                con.execute(f"attach '{_quote(fresh)}' as \"{copy}\" (storage_version '{STORAGE_VERSION}')")
                try:
                    con.execute(f'copy from database "{current}" to "{copy}"')
                    same = _census(con, current) == _census(con, copy)
                finally:
                    con.execute(f'detach "{copy}"')
                if not same:
                    raise StoreError(f'compacting "{self.path}" gave a copy that differs from it; the store is unchanged.')
                os.replace(fresh, self.path)
            finally:
                for leftover in leftovers:
                    leftover.unlink(missing_ok=True)
        return self.size_bytes()

    def _read(self, query: str, params: list, model: type[BaseModel] | None = None,
              names: dict[str, str | None] | None = None) -> Result:  # fmt: skip
        """Run a query; an empty answer is first checked for ids in `names` that the store does not hold."""
        with self._connection(write=False) as con:
            table = _run(con, query, params)
            if not table.num_rows:
                _require_known(con, names or {})
            return Result(table, model)

    # -- connections ----------------------------------------------------------------------------

    @contextmanager
    def _holding(self, *, write: bool) -> Iterator[None]:
        """Keep one connection for the calls made until the block ends; a block inside another shares its connection."""
        with self._turn(write=write) as held:  # refuses a writing block inside a reading one
            if held is not None:
                yield
                return
        with self._writing() if write else self._connection(write=False) as con:
            self._held, self._held_writes = con, write
            try:
                yield
            finally:
                with self._held_turn:  # a call another thread is making on the connection ends before it closes
                    self._held, self._held_writes = None, False

    @contextmanager
    def _turn(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The held connection, for one call at a time whichever thread makes it; None when no block holds one."""
        if self._held is not None:
            with self._held_turn:
                if self._held is not None:  # still held once this thread's turn has come
                    if write and not self._held_writes:
                        raise StoreError(f'store "{self.path}" is held read-only by Store.reading(). Write after the '
                                         "block, or hold the store with Store.writing() instead.")  # fmt: skip
                    with _translated(self.path):
                        yield self._held
                    return
        yield None

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection, one writer per file in this process as DuckDB allows one per file."""
        with self._turn(write=True) as held:
            if held is not None:  # the block holding it holds the writer's lock too
                yield held
                return
        with _WRITERS_GUARD:
            lock = _WRITERS.setdefault(self.path.resolve(), threading.Lock())
        with lock, self._connection(write=True) as con:
            yield con

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """Connect, retrying with backoff while another process holds the file's lock; or the held connection."""
        with self._turn(write=write) as held:
            if held is not None:
                yield held
                return
        deadline, delay = time.monotonic() + self.lock_timeout, 0.005
        while True:
            try:
                new = {"storage_compatibility_version": STORAGE_VERSION} if write and not self.path.exists() else {}
                con = duckdb.connect(str(self.path), read_only=not write, config=new)
                break
            except duckdb.Error as e:
                if not write and not self.path.exists():
                    raise _missing(self.path) from None
                if not _is_lock_conflict(e):
                    raise StoreError(_unopenable_message(self.path, e)) from e
                if time.monotonic() + delay > deadline:
                    raise StoreLocked(_locked_message(self.path, e, self.lock_timeout)) from None
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.05)  # short enough to catch the gaps between another process's writes
        try:
            con.execute("set enable_progress_bar = false")
            with _translated(self.path):
                yield con
        finally:
            con.close()


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """DuckDB's errors inside a connection's use, as the store's own."""
    try:
        yield
    except duckdb.Error as e:
        raise StoreError(f'store "{path}": {e}') from e


class _Lookup:
    """Registry look-ups inside one connection, for ingest's resolver: the rows a batch cites, fetched at once."""

    def __init__(self, con: duckdb.DuckDBPyConnection, wanted: dict[type[BaseModel], set[str]]):
        self._con = con
        self._cache = {model: {getattr(m, key): m for m in self._rows(model, wanted[model])}
                       for model, (_, key) in REGISTRY_TABLES.items() if key}  # fmt: skip

    def find(self, model: type[BaseModel], key: str) -> BaseModel | None:
        return self._cache[model].get(key)

    def ids(self, model: type[BaseModel]) -> list[str]:
        table, column = REGISTRY_TABLES[model]
        return _column(self._con, f"select {column} from {table}")

    def existing_event_ids(self, ids: Iterable[str]) -> set[str]:
        return _logged_event_ids(self._con, list(ids))

    def corrections_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The first logged correction of each of these event ids that has one."""
        query = "select supersedes, first(event_id order by seq) from events where supersedes in (select unnest(?))"
        return dict(self._con.execute(f"{query} group by supersedes", [list(ids)]).fetchall())

    def has_membership(self, membership: Membership) -> bool:
        row = membership.model_dump()
        found = self._con.execute(
            "select count(*) from memberships where actor_id = $actor_id and group_id = $group_id and role = $role"
            " and valid_from is not distinct from $valid_from and valid_to is not distinct from $valid_to",
            row,
        ).fetchone()[0]
        return found > 0

    def _rows(self, model: type[BaseModel], keys: set[str]) -> list[BaseModel]:
        if not keys:
            return []
        table, column = REGISTRY_TABLES[model]
        rows = self._con.execute(f"select * from {table} where {column} in (select unnest(?))", [sorted(keys)])
        return [model.model_validate(_from_row(model, row)) for row in rows.to_arrow_table().to_pylist()]


def _transaction(con: duckdb.DuckDBPyConnection, registry: list[BaseModel], append: Callable[[], tuple]):
    """Write registry entries and events, then bring `positions` in step: all in one transaction, or nothing."""
    con.begin()
    try:
        _write_registry(con, registry)
        added, head = append()
        if added:
            _add_event_keys(con, head[0] - added)
            _refresh_positions(con, None if added > FULL_REFRESH else head[0] - added)
        con.commit()
    except BaseException:
        with suppress(duckdb.TransactionException):  # a commit that failed, on a full disk say, rolled back itself
            con.rollback()
        raise
    return added, head


def _outcome(batch: ingest.Batch, registry: list[BaseModel], ids: list[str], added: int,
             head: tuple[int, str]) -> AppendResult:  # fmt: skip
    """What an append did: the batch's events and registry entries, split into those written and those already held."""
    held = sum(1 for _ in batch.registry()) - len(registry)
    return AppendResult(added, len(ids) - added, len(registry), ids, head[0], head[1], held)


def _read_now(text: str, basis: date | None) -> tuple:
    """A logged date phrase read by this version's rules: (from, to, precision, None), or the refusal."""
    try:
        span = dates.resolve(text, basis)
    except DateError as e:
        return None, None, None, str(e)
    return span.start, span.end, span.precision, None


_READ_NOW = pa.schema([("date_text", pa.string()), ("date_basis", pa.date32()), ("occurred_from", pa.date32()),
                       ("occurred_to", pa.date32()), ("date_precision", pa.string()), ("now_from", pa.date32()),
                       ("now_to", pa.date32()), ("now_precision", pa.string()), ("now_refused", pa.string())])  # fmt: skip
_REREAD = """
    select e.seq, e.event_id, e.actor_id, e.topic_id, e.date_text, e.date_basis, e.occurred_from, e.occurred_to,
        e.date_precision, r.now_from, r.now_to, r.now_precision, r.now_refused
    from effective_events as e
    inner join read_now as r
        on e.date_text = r.date_text and e.date_basis is not distinct from r.date_basis
        and e.occurred_from is not distinct from r.occurred_from and e.occurred_to = r.occurred_to
        and e.date_precision = r.date_precision
    order by e.seq
"""


def _head(con: duckdb.DuckDBPyConnection) -> tuple[int, str, datetime | None]:
    """The last event's seq, hash and recorded_at (0 and the genesis hash for an empty log)."""
    return con.execute("select seq, hash, recorded_at from events order by seq desc limit 1").fetchone() or (
        0, GENESIS_HASH, None)  # fmt: skip


_STAGED_LOOKUPS = {
    "scores": ("topic", "stance", "score"),
    "spans": ("date", "date_basis", "source", "occurred_from", "occurred_to", "date_precision", "basis"),
}
_DECLINED_LINES = r"""
    select count(*) from staged_lines
    where json_type(json) <> 'OBJECT'
        or contains(json::varchar, '\u') and (
            regexp_matches(json::varchar, '\\u00[01]')
            or len(regexp_extract_all(json::varchar, '\\u[dD][89a-fA-F]'))
                <> 2 * len(regexp_extract_all(json::varchar, '\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F]'))
        )
"""
"""Lines the columnar path leaves to the line-by-line one: not objects, or with escapes that DuckDB and Python's
json do not decode or write alike (control characters as \\u00XX, surrogates outside a pair)."""
_STAGED_RECORDS = """
    create or replace temp table staged_records as
    with records as (
        select
            s.line, s.actor as actor_id, coalesce(s.subject, s.actor) as subject_id, coalesce(s.kind, $1) as kind,
            s.topic as topic_id, s.stance, c.score::integer as score, s.quote, s.summary, s.conditions,
            d.occurred_from::date as occurred_from, d.occurred_to::date as occurred_to, d.date_precision,
            s.date as date_text, d.basis::date as date_basis, s.source as source_id, s.locator,
            coalesce(s.confidence, $2) as confidence, s.supersedes, s.correction_reason
        from staged_events as s
        inner join scores as c on c.topic = s.topic and c.stance = s.stance
        inner join spans as d
            on d.date = s.date and d.date_basis is not distinct from s.date_basis and d.source = s.source
    )
    select
        content_hash(actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, occurred_from,
                     occurred_to, date_precision, date_text, date_basis, source_id, locator, confidence, supersedes,
                     correction_reason) as event_id,
        *
    from records
"""
_UNKNOWN_TARGETS = """
    select count(*) from staged_records
    where supersedes is not null
        and supersedes not in (select event_id from staged_records)
        and supersedes not in (select event_id from events)
"""
_SECOND_CORRECTIONS = """
    with fresh as (
        select distinct supersedes, event_id
        from staged_records
        where supersedes is not null and event_id not in (select event_id from events where supersedes is not null)
    )
    select count(*) from fresh as f
    where exists (select 1 from fresh as g where g.supersedes = f.supersedes and g.event_id <> f.event_id)
        or exists (select 1 from events as e where e.supersedes = f.supersedes)
"""
"""New corrections of an event that another correction, logged or staged, already supersedes: the line-by-line
path refuses them and names the line."""
_SHAPES = r"""
    select
        json_keys(json),
        if(regexp_matches(json::varchar, ':\s*[^"\sn]'), json_type(json, ?), []) as types,
        any_value(json)
    from staged_lines
    where is_event
    group by all
"""
"""The distinct shapes of the event lines: their keys, and the JSON types of their fields (in EVENT_KEYS order).
A line where no colon is followed by anything but a quote or null holds only strings and nulls; its types are left
empty, which spares the costly per-field lookup on nearly every line."""


def _stage(con: duckdb.DuckDBPyConnection, files: list[Path], progress: Callable[[int], None] | None):
    """Load the files' lines into temp tables: registry lines as a batch, event lines as typed columns.

    Returns the batch of registry entries and the registry ids the import names. Raises Declined where the
    columnar path cannot vouch for the lines.
    """
    con.execute("create or replace temp table staged_lines (file integer, json json, is_event boolean)")
    done = 0
    for number, path in enumerate(files):
        with path.open("rb") as handle:
            if handle.read(3) == b"\xef\xbb\xbf":
                raise ingest.Declined("byte-order mark")
        con.execute(
            "insert into staged_lines select ?, json, coalesce(json_extract_string(json, '$.type'), 'event') = 'event'"
            " from read_ndjson_objects(?)",
            [number, str(path)],
        )
        done += path.stat().st_size
        if progress:
            progress(done)
    if con.execute(_DECLINED_LINES).fetchone()[0]:
        raise ingest.Declined("lines")
    paths = [f"$.{key}" for key in ingest.EVENT_KEYS]
    shapes = con.execute(_SHAPES, [paths]).fetchall()
    for keys, types, sample in shapes:
        ingest.check_shape(keys, types, sample)
    batch = ingest.Batch()
    registry = con.execute("select file, json from staged_lines where not is_event order by rowid").fetchall()
    for number, line in registry:
        ingest.add(batch, ingest.Origin(str(files[number]), 0), json.loads(line))
    structure = {name: "VARCHAR" for name in ingest.EVENT_KEYS if name != "type"}
    con.execute(
        "create or replace temp table staged_events as select rowid as line, unnest(json_transform(json, ?))"
        " from staged_lines where is_event",
        [json.dumps(structure)],
    )
    con.execute("drop table staged_lines")
    values = {name: _column(con, f'select distinct "{name}" from staged_events where "{name}" is not null')
              for name in structure}  # fmt: skip
    for name, distinct in values.items():
        ingest.check_values(name, distinct)
    wanted = batch.references()
    for model, names in ((Actor, ("actor", "subject")), (Topic, ("topic",)), (Source, ("source",))):
        for name in names:
            wanted[model].update(values[name])
    return batch, wanted


def _distinct(con: duckdb.DuckDBPyConnection, table: str, names: tuple[str, ...]) -> list[tuple]:
    columns = ", ".join(f'"{name}"' for name in names)
    return con.execute(f"select distinct {columns} from {table}").fetchall()


def _column(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list:
    """A one-column answer as a list, by way of Arrow: for a million strings, half the time of fetchall's tuples."""
    return con.execute(query, params).to_arrow_table().column(0).to_pylist()


def _census(con: duckdb.DuckDBPyConnection, database: str) -> list:
    """Every table's row count and the head of the log, to check a copy of the database against its original."""
    tables = _column(con, "select table_name from duckdb_tables() where database_name = ? order by 1", [database])
    counts = ", ".join(f'(select count(*) from "{database}"."{table}")' for table in tables)
    head = f'(select (seq, hash) from "{database}".events order by seq desc limit 1)'
    return [*zip(tables, con.execute(f"select {counts}").fetchone()), con.execute(f"select {head}").fetchone()]


_NAMED_IDS = {
    "actor_id": ("actor", "select actor_id from actors", "timeline actors"),
    "subject_id": ("actor", "select actor_id from actors", "timeline actors"),
    "group_id": ("group", "select distinct group_id from memberships",
                 'timeline sql "select distinct group_id from memberships"'),
    "topic_id": ("topic", "select topic_id from topics", "timeline topics"),
}  # fmt: skip
"""The columns a query may filter on that name a registry id: what they name, the known ones, how to list them."""


def _require_known(con: duckdb.DuckDBPyConnection, names: dict[str, str | None]) -> None:
    """Refuse an actor, group or topic the store does not hold: an empty answer would read as that actor's silence."""
    for column, value in names.items():
        if value is not None and column in _NAMED_IDS:
            label, query, lister = _NAMED_IDS[column]
            known = _column(con, query)
            if value not in known:
                hint = did_you_mean(value, known) or f"List them with: {lister}."
                raise UnknownId(f'unknown {label} "{value}". {hint}')


def _logged_event_ids(con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    """Which of these event ids the log already holds."""
    return set(_column(con, "select event_id from logged_event_ids(?)", [ids])) if ids else set()


def _rebuild_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild `event_keys` and `positions` whole from the log, within the writer's transaction."""
    con.execute("delete from event_keys")
    _add_event_keys(con, 0)
    _refresh_positions(con, None)


def _add_event_keys(con: duckdb.DuckDBPyConnection, after_seq: int) -> None:
    """Key the events after `after_seq`, sorted, so that each append adds row groups its keys' zone maps narrow."""
    con.execute("insert into event_keys select event_key(event_id) from events where seq > ? order by all", [after_seq])


def _refresh_positions(con: duckdb.DuckDBPyConnection, after_seq: int | None) -> None:
    """Bring the derived `positions` table in step with the log, within the writer's transaction.

    after_seq None rebuilds it whole. Otherwise, events that are each the newest word on their pair
    extend it by one row (the common case of a live append); anything else recomputes the (actor, topic)
    pairs touched by events after that seq and by the events their corrections supersede: from the pairs'
    rows in `positions` plus the new events (a late event), or from the log when a new event corrects another.
    """
    if after_seq is None:
        con.execute("delete from positions")
        con.execute("insert into positions select * from position_rows(null)")
        return
    pairs = con.execute("select touched_pairs(?)", [after_seq]).fetchone()[0]
    if con.execute("select appends_extend_positions(?, ?)", [after_seq, pairs]).fetchone()[0]:
        con.execute("create temp table extension as select * from extended_positions(?, ?)", [after_seq, pairs])
        con.execute(
            "update positions as p set valid_to = x.valid_from from extension as x"
            " where p.pair_key = x.pair_key and p.actor_id = x.actor_id and p.topic_id = x.topic_id"
            " and p.valid_to = 'infinity'::date"
        )
        con.execute("insert into positions select * from extension")
        con.execute("drop table extension")
        return
    corrects = con.execute("select count(*) > 0 from events where seq > ? and supersedes is not null", [after_seq])
    from_positions = None if corrects.fetchone()[0] else after_seq
    con.execute("create temp table redone as select * from position_rows(?, after_seq := ?)", [pairs, from_positions])
    con.execute(
        "delete from positions where pair_key in (select pair_key from keyed_pairs($1))"
        " and (actor_id, topic_id) in (select actor_id, topic_id from keyed_pairs($1))",
        [pairs],
    )
    con.execute("insert into positions select * from redone")
    con.execute("drop table redone")


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


def _write_registry(con: duckdb.DuckDBPyConnection, entries: list[BaseModel]) -> None:
    for model, (table, key) in REGISTRY_TABLES.items():
        rows = [_to_row(entry) for entry in entries if isinstance(entry, model)]
        if not rows:
            continue
        con.register("staged", pa.Table.from_pylist(rows))
        if key:
            con.execute(f"insert or replace into {table} by name select * from staged")
        else:
            con.execute(f"insert into {table} by name select * from staged except select * from {table}")


def _to_row(entry: BaseModel) -> dict:
    row = entry.model_dump()
    if isinstance(entry, Topic):
        row["scale"] = [{"stance": stance, "score": score} for stance, score in entry.scale.items()]
    if isinstance(entry, Actor):
        row["aliases"] = list(entry.aliases)
    return row


def _from_row(model: type[BaseModel], row: dict) -> dict:
    if model is Topic:
        row["scale"] = {item["stance"]: item["score"] for item in row["scale"]}
    return row


def _arrow_column(name: str, values: list) -> pa.Array:
    if name == "recorded_at":
        return pa.array(values, pa.timestamp("us"))
    if name in ("occurred_from", "occurred_to", "date_basis"):
        return pa.array(values, pa.date32())
    if name in ("seq",):
        return pa.array(values, pa.int64())
    if name == "score":
        return pa.array(values, pa.int32())
    return pa.array(values, pa.string())


def _walk(reader: pa.RecordBatchReader, repeats: dict[int, int]) -> Verification:
    """Check the log row by row in seq order; `repeats` maps the seq of each repeated event_id to its first seq."""
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    last_at = None
    for batch in reader:
        for row in batch.to_pylist():
            seq = row["seq"]
            problem = None
            if seq != expected_seq:
                problem = f"expected seq {expected_seq}: rows were deleted, reordered or inserted"
            elif content_hash(tuple(row[name] for name in CONTENT_FIELDS)) != row["event_id"]:
                problem = "content does not match event_id: the row was changed"
            elif chain_hash(prev, seq, row["event_id"], row["recorded_at"]) != row["hash"]:
                problem = "hash does not match: the row was changed or inserted out of band"
            elif last_at and row["recorded_at"] < last_at:
                problem = "recorded_at goes back in time"
            elif seq in repeats:
                problem = f"event_id appears twice (first at seq {repeats[seq]})"
            if problem:
                return Verification(False, count, expected_seq - 1, prev, seq, problem)
            prev, last_at, expected_seq, count = row["hash"], row["recorded_at"], seq + 1, count + 1
    return Verification(True, count, expected_seq - 1, prev)


def _window(first: str, last: str, since: date | str | None, until: date | str | None) -> tuple[list[str], list]:
    """The conditions that keep rows dated from column `first` (NULL: an open start) to `last` that meet the days
    from `since` to `until` (None: open), with their parameters."""
    since, until = (None if day is None else dates.day(day) for day in (since, until))
    if since and until and since > until:
        raise InputError(f"the window would start on {since} and end on {until}. Give a since on or before its until.")
    bounds = ((f"{last} >= ?", since), (f"coalesce({first}, '-infinity'::date) <= ?", until))
    kept = [(condition, day) for condition, day in bounds if day is not None]
    return [condition for condition, _ in kept], [day for _, day in kept]


def _events_query(topic: str | None, as_of: date | str | None, effective: bool) -> tuple[str, list]:
    conditions, params = [], []
    if topic:
        conditions.append("topic_id = ?")
        params.append(topic)
    if as_of is not None:
        conditions.append("coalesce(occurred_from, '-infinity'::date) <= ?")
        params.append(dates.day(as_of))
    if effective:
        conditions.append("superseded_by is null and correction_reason is distinct from 'retraction'")
    where = f" where {' and '.join(conditions)}" if conditions else ""
    return f"select * from timeline{where} order by seq", params


def _run(con: duckdb.DuckDBPyConnection, query: str, params: list | None) -> pa.Table:
    return con.execute(query, params or []).to_arrow_table()


def _parse(con: duckdb.DuckDBPyConnection, query: str) -> list:
    """The statements of `query`. A PIVOT with no IN list is one: DuckDB expands it into statements of its own, with
    no text, that create the enum types of its columns and then select."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as e:
        raise StoreError(f"query cannot be parsed: {e}") from None
    kinds = [s.type for s in statements]
    generated = len(statements) > 1 and not any(s.query for s in statements)
    if generated and kinds[-1] == duckdb.StatementType.SELECT and set(kinds[:-1]) == {duckdb.StatementType.CREATE}:
        return statements[-1:]
    return statements


_ERRNOS = {os.strerror(number): number for number in errno.errorcode}  # DuckDB gives only the reason's words
_LOCK_CONFLICTS = ("Could not set lock", "different configuration", "Unique file handle conflict")
"""DuckDB's words for a file held by another process, or by this one in the other access mode (read-only or not)."""


def _is_lock_conflict(error: Exception) -> bool:
    return any(sign in str(error) for sign in _LOCK_CONFLICTS)


def _missing(path: Path) -> StoreMissing:
    return StoreMissing(f'no store at "{path}". Create one with: timeline init (or timeline import events/).')


def _unopenable_message(path: Path, error: Exception) -> str:
    """Why a connection failed: most often a path to something that is not a DuckDB file, such as the events."""
    if path.is_file() and path.stat().st_size and _file_head(path)[8:12] != b"DUCK":  # DuckDB's magic bytes
        return (f'"{path}" is not a store: it is not a DuckDB file. Give the path of a store such as timeline.duckdb, '
                "or a new path to create one.")  # fmt: skip
    return f'store "{path}" cannot be opened: {str(error).rstrip("!.")}. Check the path.'


def _file_head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(12)


def _locked_message(path: Path, error: Exception, timeout: float) -> str:
    pid = re.search(r"PID (\d+)", str(error))
    holder = f"process {pid.group(1)}" if pid else "another connection in this process"
    return (
        f'store "{path}" is locked by {holder} (waited {timeout:g} s). DuckDB lets one process write a file at '
        "a time: wait for it to finish or stop it, then try again."
    )


def _refuse_newer(path: Path, version: int, newest: int) -> None:
    if version > newest:
        raise SchemaError(
            f'store "{path}" has schema version {version}, newer than this stance-timeline understands '
            f"({newest}). Upgrade stance-timeline: pip install -U stance-timeline."
        )


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        found = con.execute("select value from store_meta where key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return None
    return found[0] if found else None


def _quote(path: str | Path) -> str:
    return str(path).replace("'", "''")


# -- the SQL in queries/ ----------------------------------------------------------------------------


def _sql_files(folder: str) -> dict[str, str]:
    root = resources.files("timeline.queries") / folder
    return {entry.name[:-4]: entry.read_text() for entry in root.iterdir() if entry.name.endswith(".sql")}


def _migrations() -> dict[int, tuple[str, str]]:
    """Numbered migrations: {number: (name, sql)}."""
    found = {}
    for name, sql in _sql_files("migrations").items():
        number = int(name.split("_", 1)[0])
        if number in found:
            raise SchemaError(f'migration number {number} is used twice. Renumber "{name}".')
        found[number] = (name, sql)
    return found


def _objects() -> list[str]:
    """Every macro and view, ordered so each comes after the objects it reads from."""
    sources = {**_sql_files("macros"), **_sql_files("views")}
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise SchemaError(f"queries refer to each other in a cycle: {' -> '.join((*path, name))}.")
        for other in sorted(sources):
            if other != name and re.search(rf"\b{other}\b", _body(sources[name])):
                visit(other, (*path, name))
        ordered.append(name)

    for name in sorted(sources):
        visit(name, ())
    return [sources[name] for name in ordered]


def _body(sql: str) -> str:
    """SQL without its comments, so that prose does not count as a reference."""
    return re.sub(r"--[^\n]*", "", sql)


def _queries_hash() -> str:
    text = "".join(f"{n}\n{s}" for folder in ("migrations", "macros", "views") for n, s in sorted(_sql_files(folder).items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = ["AppendResult", "Store", "TimelineError", "Verification"]
