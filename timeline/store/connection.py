"""Reaching the database: connect, retry while another process holds the lock, hold one connection for a block, and
turn DuckDB's errors into the store's own. A second backend subclasses `Connections` and overrides `_connect`."""

from __future__ import annotations

import itertools
import os
import random
import shlex
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import TypeVar

import duckdb

from ..errors import InputError, StoreError, StoreLocked, StoreMissing
from ..results import Result

STORAGE_VERSION = "v1.5.0"
"""The storage format new stores are written in, and keep: DuckDB 1.5 and later read it, older clients cannot. Its
checkpoints write less than the default (1.0) format's, which halves the close of a single append."""
_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()
_LOCK_CONFLICTS = ("Could not set lock", "different configuration", "Unique file handle conflict")
"""DuckDB's words for a file held by another process, or by this one in the other access mode (read-only or not)."""

SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
"""How every read-only connection is opened: it reads the store and nothing else. No local file, no URL, no extension
installed or loaded, and no setting a query could turn back. Ad-hoc SQL runs only on such connections."""
WRITER = {"autoinstall_known_extensions": False}
"""How a write connection is opened: imports read their files through it, so it keeps file access; it installs
nothing. Ad-hoc SQL never runs on it."""

T = TypeVar("T")
FEW = 50
"""Rows or list items a statement takes as Python values, as parameters; more go to DuckDB as Arrow tables
(Connection.table_of, Connection.listing). DuckDB's client tries to import pandas twice for each Python value it
binds, and where pandas is not installed each try searches sys.path again: a line-by-line import of 12k events took
40 s so, and 2.5 s with its rows handed over as a table. A few rows as Python values spare a single append importing
pyarrow, which took 160 ms of the command's start."""


class Connection:
    """One of the store's DuckDB connections, which answers in the form its store was opened for: Arrow tables, or
    Python tuples. Anything else is DuckDB's own connection's."""

    alone = True
    """Whether no other writer can change the store while this connection writes, in a transaction or not: a file's
    writer holds its lock from connect to close. A lake's writers take turns only inside their transactions."""
    memory_limit: str | None = None
    """The memory limit set on it (Connections.memory_limit), for a DuckDB of its own that works beside it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, arrow: bool = True):
        self._con, self.arrow = con, arrow

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def answer(self, query: str, params: list | None = None, model: str | None = None) -> Result:
        """Run a query and fetch all its rows as a Result (`model`: their record type's name in timeline.models)."""
        if self.arrow:
            return Result.of_arrow(self.arrow_table(query, params), model)
        found = self._con.execute(query, params)
        if any("INTERVAL" in str(column[1]) for column in found.description):
            # Python's timedelta has no months: an interval of "2 months" would come back as 60 days
            return Result.of_arrow(found.to_arrow_table(), model)
        return Result.of_rows([column[0] for column in found.description], found.fetchall(), model)

    @contextmanager
    def table_of(self, name: str, columns: dict[str, list]) -> Iterator[None]:
        """Python values, a list a column, as the relation `name` for the block: one Arrow table, which DuckDB reads
        as it is, where a list given as a parameter is bound value by value (see FEW)."""
        import pyarrow as pa

        self._con.register(name, pa.table(columns))
        try:
            yield
        finally:
            self._con.unregister(name)

    @contextmanager
    def listing(self, query: str, params: dict | None = None, **lists: list) -> Iterator[tuple[str, dict]]:
        """`query` and its named parameters, for the block, with its lists (`$name`, of values or of dicts: structs):
        as parameters where they hold FEW items or fewer in all; else each as an Arrow table of its own (table_of),
        read where its parameter stood. An empty list stays a parameter: read from no rows, it would be NULL."""
        params = dict(params or {})
        if sum(len(items or ()) for items in lists.values()) <= FEW:
            yield query, {**params, **lists}
            return
        with ExitStack() as tables:
            for name, items in lists.items():
                if not items:
                    params[name] = items
                    continue
                structs = isinstance(items[0], dict)
                rows = items if structs else [{"value": item} for item in items]
                columns = {key: [row[key] for row in rows] for key in rows[0]}
                tables.enter_context(self.table_of(f"listed_{name}", columns))
                read = f"(select list({'t' if structs else 't.value'}) from listed_{name} as t)"
                query = re.sub(rf"\${name}\b", lambda _: read, query)
            yield query, params

    def arrow_table(self, query: str, params: list | None = None):
        """A query's rows as an Arrow table. DuckDB collects them straight into Arrow, on every thread, only for a
        query it runs as a relation, and a relation takes no parameters: so they are handed over as a variable of the
        connection, read where the query has its placeholders. A wide answer takes half the time (all pairs at 1M
        events, 15 columns: 190 ms to 85)."""
        params, spots = params or [], _placeholders(query)
        if spots is None or sorted({number for *_, number in spots}) != list(range(1, len(params) + 1)):
            return self._con.execute(query, params).to_arrow_table()  # DuckDB's own error says what does not match
        given = {f"p{n}": value for n, value in enumerate(params, 1) if _untyped(value) is None}
        if given:  # one variable, a struct of them all: one statement more, however many there are
            self._con.execute(f"set variable {PARAMETERS} = ?", [given])
        bound, end = [], 0
        for start, text, number in spots:
            read = f"getvariable('{PARAMETERS}').p{number}" if f"p{number}" in given else _untyped(params[number - 1])
            bound += [query[end:start], read]
            end = start + len(text)
        return self._con.sql("".join([*bound, query[end:]])).to_arrow_table()


PARAMETERS = "timeline_parameters"
"""The connection's variable that carries a query's parameters, as a struct (see Connection.arrow_table)."""


def _placeholders(query: str) -> list[tuple[int, str, int]] | None:
    """Where a query's parameters stand, as DuckDB's tokenizer reads it (never in a string, a name or a comment): each
    `?` or `$n`, with its text and the number of the parameter it takes. None where the query mixes the two kinds."""
    tokens = duckdb.tokenize(query)
    ends = [start for start, _ in tokens[1:]] + [len(query)]
    found = []
    for (start, kind), end in zip(tokens, ends):
        text = query[start:end].split(None, 1)[0] if kind == duckdb.token_type.operator else ""
        if text == "?" or re.fullmatch(r"\$\d+", text):
            found.append((start, text, len(found) + 1 if text == "?" else int(text[1:])))
    return None if len({text == "?" for _, text, _ in found}) > 1 else found


def _untyped(value: object) -> str | None:
    """A parameter that has no type of its own, as a literal: NULL, or a list of nothing but NULLs (a parameter takes
    its type where it is used, where a struct's field would be an INTEGER). None for any other value."""
    if value is None:
        return "NULL"
    if isinstance(value, list | tuple):
        items = [_untyped(item) for item in value]
        return f"[{', '.join(items)}]" if None not in items else None
    return None


class Connections:
    """A store's connections: a new one for each call, or the one a reading or writing block holds."""

    lake = False
    """Whether this is a lake (lake.LakeConnections), whose tables take no keys and whose upkeep differs."""

    def __init__(self, path: Path, lock_timeout: float = 10.0, arrow: bool = True, memory_limit: str | None = None):
        self.path = path
        self.lock_timeout = lock_timeout
        self.arrow = arrow
        """Whether answers are fetched as Arrow tables, or as Python tuples."""
        self.memory_limit = memory_limit
        """DuckDB's memory limit on each connection, as DuckDB writes sizes (4GB, 512MB); None leaves its default."""
        if memory_limit is not None:
            _check_memory_limit(memory_limit)
        self._held: Connection | None = None
        self._held_writes = False
        self._held_turn = threading.RLock()

    def size_bytes(self) -> int:
        """Bytes the store takes on disk (its file and any write-ahead log)."""
        wal = self.path.with_name(self.path.name + ".wal")
        return self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    def missing(self) -> StoreMissing:
        """The error for a store that has not been created."""
        return missing(self.path)

    @property
    def holding(self) -> bool:
        """Whether a reading or writing block holds a connection open."""
        return self._held is not None

    @contextmanager
    def sandboxed(self) -> Iterator[Connection]:
        """A connection that reads the store and nothing else, for ad-hoc SQL: a read-only one, or the one a reading
        block holds. A writing block's connection reads the files imports name, so ad-hoc SQL is refused there."""
        if self._held is not None and self._held_writes:
            raise StoreError(f'store "{self.path}" is held by Store.writing(), whose connection reads the files imports '
                             "name; ad-hoc SQL runs only where it can read nothing but the store. Run it after the "
                             "block, or inside Store.reading().")  # fmt: skip
        with self.reading() as con:
            yield con

    @contextmanager
    def hold(self, *, write: bool) -> Iterator[None]:
        """Keep one connection for the calls made until the block ends; a block inside another shares its connection."""
        with self._turn(write=write) as held:  # refuses a writing block inside a reading one
            if held is not None:
                yield
                return
        with self.writing() if write else self.reading() as con:
            self._held, self._held_writes = con, write
            try:
                yield
            finally:
                with self._held_turn:  # a call another thread is making on the connection ends before it closes
                    self._held, self._held_writes = None, False

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write connection, one writer per store in this process as DuckDB allows one per file."""
        with self._turn(write=True) as held:
            if held is not None:  # the block holding it holds the writer's lock too
                yield held
                return
        with _WRITERS_GUARD:
            lock = _WRITERS.setdefault(self._writer_key(), threading.Lock())
        with lock, self._connection(write=True) as con:
            yield con

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work`, which commits its own transaction, on a write connection. A file has one writer at a time, so
        it runs once; a lake runs it again where another writer committed first."""
        with self.writing() as con:
            return work(con)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only connection, or the held one."""
        with self._connection(write=False) as con:
            yield con

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        with self._turn(write=write) as held:
            if held is not None:
                yield held
                return
        con = self._open(write=write)
        try:
            with translated(self.path):
                yield con
        except BaseException:
            con.close()
            raise
        self._release(con, write=write)

    def _open(self, *, write: bool) -> Connection:
        """A new connection, set up for its use."""
        con = self._connect(write=write)
        try:
            con.execute("set enable_progress_bar = false")
            if self.memory_limit is not None:  # past it, DuckDB writes what it can to its temp directory
                con.execute("set memory_limit = ?", [self.memory_limit])
                con.memory_limit = self.memory_limit
            if not write:  # and then no query may change a setting back
                con.execute("set lock_configuration = true")
        except BaseException:
            con.close()
            raise
        return con

    def _release(self, con: Connection, *, write: bool) -> None:
        """A connection whose use ended well: a file's is closed, which lets other processes at the file."""
        con.close()

    def close(self) -> None:
        """Close what is kept open between calls: nothing, for a file."""

    @contextmanager
    def _turn(self, *, write: bool) -> Iterator[Connection | None]:
        """The held connection, for one call at a time whichever thread makes it; None when no block holds one."""
        if self._held is not None:
            with self._held_turn:
                if self._held is not None:  # still held once this thread's turn has come
                    if write and not self._held_writes:
                        raise StoreError(f'store "{self.path}" is held read-only by Store.reading(). Write after the '
                                         "block, or hold the store with Store.writing() instead.")  # fmt: skip
                    with translated(self.path):
                        yield self._held
                    return
        yield None

    def _writer_key(self) -> str:
        return str(self.path.resolve())

    def _connect(self, *, write: bool) -> Connection:
        """Open the DuckDB file, retrying with backoff while another process holds its lock."""
        deadline, delay = time.monotonic() + self.lock_timeout, 0.005
        while True:
            try:
                config = dict(WRITER if write else SANDBOX, temp_directory=temp_directory(self.path))
                if write and not self.path.exists():
                    config["storage_compatibility_version"] = STORAGE_VERSION
                return Connection(duckdb.connect(str(self.path), read_only=not write, config=config), self.arrow)
            except duckdb.Error as e:
                if not write and not self.path.exists():
                    raise missing(self.path) from None
                if not any(sign in str(e) for sign in _LOCK_CONFLICTS):
                    raise StoreError(_unopenable_message(self.path, e)) from e
                if time.monotonic() + delay > deadline:
                    raise StoreLocked(_locked_message(self.path, e, self.lock_timeout)) from None
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.05)  # short enough to catch the gaps between another process's writes


@contextmanager
def transaction(con: Connection) -> Iterator[None]:
    """All of the block, committed at its end, or nothing."""
    con.begin()
    try:
        yield
        con.commit()
    except BaseException:
        with suppress(duckdb.TransactionException):  # a commit that failed, on a full disk say, rolled back itself
            con.rollback()
        raise


_DENIED = re.compile(r'Cannot open file "([^"]+)": (Permission denied|Operation not permitted|Read-only file system)')


@contextmanager
def translated(path: Path | str) -> Iterator[None]:
    """DuckDB's errors inside a connection's use, as the store's own."""
    try:
        yield
    except duckdb.OutOfMemoryException as e:
        detail = str(e).splitlines()[0].removeprefix("Out of Memory Error: ")
        raise StoreError(f'store "{path}" ran out of memory ({detail}); the store is as it was. Allow DuckDB more with '
                         "--memory-limit (env TIMELINE_MEMORY_LIMIT; Store(memory_limit=...) in Python), or free "
                         "memory on this machine.") from e  # fmt: skip
    except duckdb.Error as e:
        denied = _DENIED.search(str(e))
        if denied and denied.group(1).endswith(".wal"):  # a commit writes the log beside the store first
            folder = Path(denied.group(1)).parent
            raise StoreError(f'store "{path}" cannot be written: its folder "{folder}" is not writable '
                             f"({denied.group(2)}), and nothing was written. Make the folder writable, or copy the "
                             "store to one that is.") from e  # fmt: skip
        raise StoreError(f'store "{path}": {e}') from e


_IN_MEMORY = itertools.count()


def temp_directory(beside: Path | None = None) -> str:
    """Where one DuckDB of this process writes out the work that does not fit in its memory limit. DuckDB makes it only
    when it needs it and removes it when it closes. DuckDBs that share one overwrite each other's files and fail
    (duckdb/duckdb#15173), as every process reading a file would in DuckDB's default, NAME.duckdb.tmp. So a file's
    goes beside it, named for this process, whose connections to the file share one DuckDB; one in memory (a lake's
    connection, an export's writer) in the system's temp folder, named for itself."""
    if beside is not None:
        return f"{beside}.{os.getpid()}.tmp"
    return str(Path(tempfile.gettempdir()) / f"timeline-{os.getpid()}-{next(_IN_MEMORY)}.tmp")


def _check_memory_limit(limit: str) -> None:
    """Refuse a memory limit DuckDB cannot read before any connection opens, so that no store is created for it."""
    try:
        duckdb.connect(config={"memory_limit": limit}).close()
    except duckdb.Error as e:
        reason = str(e).removeprefix("Parser Error: ").rstrip(".")
        raise InputError(f'memory limit "{limit}": {reason}. Give a size such as 4GB or 512MB.') from None


def missing(path: Path) -> StoreMissing:
    db = "" if path == Path("timeline.duckdb") else f"--db {shlex.quote(str(path))} "
    return StoreMissing(f'no store at "{path}". Create one with: timeline {db}init (or timeline {db}import events/).')


def _unopenable_message(path: Path, error: Exception) -> str:
    """Why a connection failed: most often a path to something that is not a DuckDB file, such as the events, or a
    file this user may not write."""
    if denied := _DENIED.search(str(error)):
        return (f'store "{path}" cannot be opened for writing: {denied.group(2)}. Check the file\'s permissions: it '
                "must be writable to import or append (reading commands still work).")  # fmt: skip
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
