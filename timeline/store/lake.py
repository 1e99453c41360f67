"""The team store: a DuckLake whose catalog lives in PostgreSQL and whose data is Parquet files, written by many
processes at once. It is a second backend on `Connections`' seam; everything above it runs unchanged.

Writers take turns. A write transaction first waits for the lake's turn, a PostgreSQL advisory lock taken in the
catalog's database by a transaction of its own and held until the write ends, so writers queue rather than redo
their work. Before it commits
it rewrites the single row of `timeline_internal.turn`, so that a write that did not queue (a process of an older
version, or a hand-written one) still conflicts: DuckLake commits the first of two overlapping transactions and
refuses the second ("Transaction conflict"), which `write` then does again from the start, on the lake as the first
left it. So each commit has seen every commit before it: an event id is logged once, a registry entry is checked
against the one already held, and one gapless chain runs through the log as in a file store (docs/lake.md).
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from ..errors import StoreBusy, StoreError, StoreMissing
from .connection import SANDBOX, WRITER, Connection, Connections, temp_directory
from .sql import literal, statement

PREFIX = "ducklake:"
CATALOG = "lake"
EXTENSIONS = {"postgres_scanner": "duckdb_extension_postgres_scanner", "ducklake": "duckdb_extension_ducklake"}
"""The extensions a lake needs, each loaded from the file its PyPI package installs: nothing is fetched."""
T = TypeVar("T")
MIN_TRIES = 3
"""A write beaten to the commit is tried this many times at least, however long each try takes."""
MIN_WAIT = 1.0
"""Seconds a try waits for the lake's turn at least, even past the write's deadline."""


def is_lake(target: object) -> bool:
    """Whether `--db` names a lake (ducklake:postgres:...) rather than a DuckDB file."""
    return str(target).startswith(PREFIX)


def shown(target: str) -> str:
    """The target as messages show it: a password is never printed."""
    return re.sub(r"(password=)\S+", r"\1***", target)


class LakeConnection(Connection):
    """A connection to the lake. A writer's transaction waits for the lake's turn before it begins, for up to `wait`
    seconds, and takes the turn when it commits, so that overlapping writes conflict.

    The turn is held by a transaction of its own on a second connection (a cursor), begun first and rolled back
    after the write ends: the write's own transaction then begins once the writer before has committed, and reads
    the lake as it left it."""

    alone = False

    def __init__(self, con: duckdb.DuckDBPyConnection, wait: float | None, arrow: bool = True):
        super().__init__(con, arrow)
        self.wait = wait  # no wait: a reader's
        self._turn: duckdb.DuckDBPyConnection | None = None

    def begin(self) -> None:
        if self.wait is not None:
            self._turn = self._con.cursor()
            try:
                self._turn.begin()
                self._turn.execute(statement("wait_for_turn"), [max(1, round(self.wait * 1000))])
            except BaseException:
                self._give_turn()
                raise
        self._con.begin()

    def commit(self) -> None:
        try:
            self._con.execute(statement("take_turn"))
            self._con.commit()
        finally:
            self._give_turn()

    def rollback(self) -> None:
        try:
            self._con.rollback()
        finally:
            self._give_turn()

    def _give_turn(self) -> None:
        if self._turn is not None:
            turn, self._turn = self._turn, None
            turn.close()  # rolls its transaction back, which lets the lock go


class LakeConnections(Connections):
    """Connections to one lake: each opens DuckDB in memory and attaches the lake (read-only for readers)."""

    lake = True

    def __init__(self, target: str, data_path: Path | None, lock_timeout: float = 10.0, arrow: bool = True,
                 memory_limit: str | None = None):  # fmt: skip
        super().__init__(shown(target), lock_timeout, arrow, memory_limit)  # type: ignore[arg-type]  # shown in messages
        self.target, self.data_path = target, data_path
        self._idle: dict[bool, Connection] = {}  # by write: one of each kind, kept for the next call
        self._idle_guard = threading.Lock()
        _KEEPING.add(self)

    def _open(self, *, write: bool) -> Connection:
        """The connection the last call of this kind left idle, or a new one. Opening one loads two extensions and
        attaches the catalog, about 0.15 s, where a file's takes 0.01 s; a lake holds no lock a connection kept
        open would keep from other processes, and each of its statements reads the lake as last committed."""
        with self._idle_guard:
            idle = self._idle.pop(write, None)
        return idle or super()._open(write=write)

    def _release(self, con: Connection, *, write: bool) -> None:
        """Keep a connection whose use ended well for the next call of its kind, unless one is kept already."""
        with self._idle_guard:
            if write not in self._idle:
                self._idle[write] = con
                return
        con.close()

    def close(self) -> None:
        with self._idle_guard:
            idle, self._idle = list(self._idle.values()), {}
        for con in idle:
            con.close()

    def missing(self) -> StoreMissing:
        return StoreMissing(f'no lake at "{self.path}" yet. Create one with: timeline --db \'{self.path}\' '
                            "--data-path DIR init")  # fmt: skip

    def size_bytes(self) -> int:
        """Bytes of the lake's data files (its catalog, in PostgreSQL, not counted)."""
        with self.reading() as con:
            folder = Path(_data_path(con))
        return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in a writer's transaction, which waits for the lake's turn; when another writer committed
        first all the same, run it again from the start, for up to lock_timeout seconds and at least MIN_TRIES tries.
        Between tries it waits a random part of a try's length, doubled at each try: writers that collided spread out
        instead of colliding again."""
        deadline, tries = time.monotonic() + self.lock_timeout, 0
        with self.writing() as con:
            while True:
                tries += 1
                started = time.monotonic()
                con.wait = max(deadline - started, MIN_WAIT)
                try:
                    return work(con)
                except duckdb.Error as e:
                    if "canceling statement due to lock timeout" in str(e):
                        raise StoreBusy(
                            f'lake "{self.path}": another writer held the turn to write for all of {con.wait:.3g} s, and '
                            "nothing of this write was written. Try again once it is done; with many writers at "
                            "once, write fewer, larger batches."
                        ) from None
                    if not _beaten(e):
                        raise
                pause = random.uniform(0, time.monotonic() - started) * 2 ** min(tries - 1, 3)
                left = deadline - time.monotonic()
                if left <= 0 and tries >= MIN_TRIES:
                    raise StoreBusy(
                        f'lake "{self.path}": other writers committed first on each of its {tries} tries over '
                        f"{self.lock_timeout:g} s, and nothing of this write was written. Try again; with many "
                        "writers at once, write fewer, larger batches."
                    )
                time.sleep(max(0.0, min(pause, left)))

    def _writer_key(self) -> str:
        # Writers to a lake need no lock in common: the catalog orders their commits. Each store keeps its own.
        return f"{self.target}#{id(self)}"

    def _connect(self, *, write: bool) -> Connection:
        con = duckdb.connect(config=dict(WRITER, autoload_known_extensions=False, temp_directory=temp_directory()))
        try:
            load_extensions(con)
            options = ["read_only"] if not write else []
            if write and self.data_path is not None:
                options.append(f"data_path {literal(str(self.data_path))}")
            attach = f"attach {literal(self.target)} as {CATALOG}" + (f" ({', '.join(options)})" if options else "")
            try:
                con.execute(attach)
            except duckdb.Error as e:
                raise _unattachable(self.path, self.data_path, write, e) from None
            con.execute(f"use {CATALOG}")
            if not write:  # the sandbox of a file store's reader, with the lake's own files let in
                con.execute("set allowed_directories = ?", [[_data_path(con)]])
                for setting, value in SANDBOX.items():
                    con.execute(f"set {setting} = {str(value).lower()}")
            return LakeConnection(con, self.lock_timeout if write else None, self.arrow)
        except BaseException:
            con.close()
            raise


_KEEPING: weakref.WeakSet[LakeConnections] = weakref.WeakSet()
"""Every lake's connections that may keep some idle: closed before the process forks (_before_fork)."""


def _before_fork() -> None:
    """A child that used its parent's connection would share the parent's session with the catalog. So the idle ones
    close before a fork, and parent and child each open anew. (DuckDB's own state does not cross a fork whole either:
    a forked child that used DuckDB may crash as it exits, kept connections or none; duckdb-python issue 292.)"""
    for connections in list(_KEEPING):
        connections.close()


os.register_at_fork(before=_before_fork)


def _data_path(con: Connection) -> str:
    return con.execute(f"select data_path from ducklake_settings('{CATALOG}')").fetchone()[0]


def _beaten(error: Exception) -> bool:
    """Whether a write failed because another writer committed first: DuckLake's own conflict, or PostgreSQL's
    refusal to serialise two commits to the catalog."""
    text = str(error)
    return "Transaction conflict" in text or "could not serialize access" in text or "write-write conflict" in text


def load_extensions(con: Connection) -> None:
    """Load the extensions a lake needs into `con`, from the files their PyPI packages installed."""
    for name, package in EXTENSIONS.items():
        con.execute(f"load {literal(_extension_file(name, package))}")


def _extension_file(name: str, package: str) -> str:
    """The file of extension `name` that PyPI's `package` installed, to load by path: nothing is fetched."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise StoreError(f'a lake needs the DuckDB extension "{name}", which is not installed. Install it with: '
                         "pip install 'stance-timeline[lake]'")  # fmt: skip
    found = sorted(Path(spec.origin).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise StoreError(f'the package {package} holds no "{name}" extension file. Reinstall it with: '
                         "pip install --force-reinstall 'stance-timeline[lake]'")  # fmt: skip
    return str(found[-1])


def _unattachable(shown_target: str, data_path: Path | None, write: bool, error: Exception) -> StoreError:
    text = str(error)
    moved = re.search(r'DATA_PATH parameter "([^"]*)" does not match existing data path in the catalog "([^"]*)"', text)
    if moved:
        return StoreError(f'lake "{shown_target}" keeps its data files in "{moved.group(2)}", not in "{moved.group(1)}" '
                          "given by --data-path. Leave --data-path out (the lake remembers its folder), or give that "
                          "one.")  # fmt: skip
    if "data_path" in text.lower():
        return StoreError(f'lake "{shown_target}" has not been created, and creating it needs a folder for its data '
                          "files. Give one with --data-path DIR (or TIMELINE_DATA_PATH).")  # fmt: skip
    if not write and ("not been initialized" in text or "does not exist" in text or "read-only" in text.lower()):
        return StoreMissing(f'no lake at "{shown_target}" yet. Create one with: timeline --db '
                            f"'{shown_target}' --data-path DIR init")  # fmt: skip
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return StoreError(f'lake "{shown_target}" cannot be opened: {first}. Check that PostgreSQL is running and that '
                      "the dbname, host, port and user are right.")  # fmt: skip
