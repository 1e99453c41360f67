"""Answers: stance as of a day, claims, groups, history, changes and events, each a query on one connection. Dates
arrive typed; an empty answer is first checked for a named actor, group or topic the store does not hold."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb

from .. import dates
from ..errors import DateError, InputError, StoreError, UnknownId, did_you_mean
from ..results import Result
from .connection import Connection, temp_directory
from .sql import INTERNAL, literal, statement

TABLES_AND_VIEWS = ("timeline", "effective_events", "stance_periods", "stance_changes", "claims",
                    "events", "actors", "topics", "sources", "memberships")  # fmt: skip
"""What `table` reads: the public views and the tables of the log and registry."""
ONE_OF = "list_contains(?::varchar[], {})"
"""A filter on a column by a list of ids: the column holds one of them. A plain filter, which DuckDB pushes through a
view's windows to its scan; `in (select unnest(?))` was a join above them (the periods of a chart's 30 lanes at 10M
events: 1.7 s, now 0.5 s)."""
PAIRS = "pairs := timeline_internal.logged_pairs(?, ?, ?)"
"""At a past known_at, with an actor, a topic or a group, the log is read for their pairs only, not whole: for one
pair at 1M events, 1.3 s became 40 ms."""
_NAMED_IDS = {
    "actor_id": ("actor", "select actor_id from actors", "timeline actors"),
    "subject_id": ("actor", "select actor_id from actors", "timeline actors"),
    "group_id": ("group", "select distinct group_id from memberships",
                 'timeline sql "select distinct group_id from memberships"'),
    "topic_id": ("topic", "select topic_id from topics", "timeline topics"),
    "source_id": ("source", "select source_id from sources", "timeline sources"),
}  # fmt: skip
"""The columns a query may filter on that name a registry id: what they name, the known ones, how to list them."""


def stance(con: Connection, as_of: date, known_at: datetime | None, actor: str | None, topic: str | None,
           include_reported: bool) -> Result:  # fmt: skip
    """Each actor's position on each topic on day `as_of`, as the store knew it at `known_at`."""
    if include_reported:
        return as_of_macro(con, "reported_stance_as_of", as_of, known_at, (actor, topic, None),
                           actor_id=actor, topic_id=topic)  # fmt: skip
    if known_at is None:  # the same rows as stance_as_of, without planning the branch that reads the log
        pair = (actor, topic) if actor and topic else ()  # one pair: its key finds its row group; one row, no sort
        return select(con, "timeline_internal.stance_from_positions(?::date)", [as_of, *pair],
                      "pair_key = timeline_internal.pair_key(?, ?)" if pair else None, "StanceRow",
                      None if pair else "topic_id, actor_id", columns="* exclude (pair_key)",
                      actor_id=actor, topic_id=topic)  # fmt: skip
    return as_of_macro(con, "stance_as_of", as_of, known_at, (actor, topic, None), "StanceRow", "topic_id, actor_id",
                       actor_id=actor, topic_id=topic)  # fmt: skip


def as_of_macro(con: Connection, macro: str, as_of: date, known_at: datetime | None,
                pairs_of: tuple[str | None, str | None, str | None], model: str | None = None,
                order: str | None = None, **filters) -> Result:  # fmt: skip
    """The rows of one of the public as-of macros, filtered by column value."""
    source, params = f"{macro}(?::date, known_at := ?::timestamp", [as_of, known_at]
    if known_at is not None and any(pairs_of):
        source, params = f"{source}, {PAIRS}", [*params, *pairs_of]
    return select(con, f"{source})", params, None, model, order, **filters)


def history(con: Connection, actor: str, topic: str | None, since: date | None, until: date | None) -> Result:
    """Everything said by or about one actor, in the order it happened, that may have been said in the window."""
    conditions, params = window("occurred_from", "occurred_to", since, until)
    return select(con, "timeline", [actor, actor, *params], " and ".join(["(actor_id = ? or subject_id = ?)",
                  *conditions]), names={"actor_id": actor}, topic_id=topic)  # fmt: skip


def changes(con: Connection, actor: str | None, topic: str | None, since: date | None, until: date | None) -> Result:
    """Every change of position that may have happened in the window (from changed_on to changed_by)."""
    conditions, params = window("changed_on", "changed_by", since, until)
    return select(con, "stance_changes", params, " and ".join(conditions) or None, actor_id=actor, topic_id=topic)


SLICE = 250_000
"""Seqs a long read takes at a time (seq_slices). A CSV export of 10M events read whole took 23 s and 12.7 GB; a slice
at a time, each collected whole, 14-16 s and 3.7 GB (slices of 100k were slower, of 1M held more: 5.4 GB)."""


def seq_slices(con: Connection, size: int | None = None) -> Iterator[tuple[int, int]]:
    """The log's seqs as ranges (after, up_to] of `size` (SLICE): a long log read a slice at a time, each sorted on
    its own."""
    size, last = size or SLICE, con.execute("select coalesce(max(seq), 0) from events").fetchone()[0]
    return ((after, after + size) for after in range(0, last, size))


def events_query(topic: str | None, as_of: date | None, effective: bool, subjects: list[str] | None = None,
                 seqs: tuple[int, int] | None = None, count: bool = False) -> tuple[str, list]:  # fmt: skip
    """The query for events with names and outlets in seq order (with `seqs`, those of one slice), or with `count`
    for how many there are, and its parameters."""
    conditions, params = [], []
    if seqs is not None:
        conditions.append("seq > ? and seq <= ?")
        params.extend(seqs)
    if topic:
        conditions.append("topic_id = ?")
        params.append(topic)
    if subjects is not None:
        conditions.append(ONE_OF.format("subject_id"))
        params.append(subjects)
    if as_of is not None:
        conditions.append("coalesce(occurred_from, '-infinity'::date) <= ?")
        params.append(as_of)
    if effective:
        conditions.append("superseded_by is null and correction_reason is distinct from 'retraction'")
    where = f" where {' and '.join(conditions)}" if conditions else ""
    if count:
        return f"select count(*) from {INTERNAL}.named_events{where}", params
    return f"select * from {INTERNAL}.named_events{where} order by seq", params  # the `timeline` view, sorted once


def count_events(con: Connection, topic: str | None, as_of: date | None, effective: bool) -> int:
    """How many events events_query gives."""
    require_known(con, {"topic_id": topic})
    return con.execute(*events_query(topic, as_of, effective, count=True)).fetchone()[0]


def event_slices(con: Connection, topic: str | None, as_of: date | None, effective: bool,
                 fetch: Callable[[str, list], object] | None = None,
                 slices: list[tuple[int, int]] | None = None) -> Iterator:  # fmt: skip
    """Events with names and outlets in seq order (events_query), a slice of seqs at a time (`slices`, by default
    all of seq_slices), each fetched by `fetch` from its query and parameters (by default Connection.answer: a
    Result). An unknown topic is refused here, before the first slice is read."""
    require_known(con, {"topic_id": topic})
    fetch = fetch or con.answer
    slices = seq_slices(con) if slices is None else slices
    return (fetch(*events_query(topic, as_of, effective, seqs=seqs)) for seqs in slices)


def slides(con: Connection, topic: str | None, as_of: date | None) -> Iterator[str]:
    """The events in force as the slides of a TimelineJS export (timelinejs_slides.sql), written by DuckDB a slice of
    seqs at a time: 10M events in 26 s, where making each slide in Python took 99 s."""

    def fetch(query: str, params: list) -> list[str]:  # by way of Arrow: half the time of fetchall's tuples
        table = con.arrow_table(f"with slide_events as ({query}) {statement('timelinejs_slides')}", params)
        return table.column(0).to_pylist()

    for found in event_slices(con, topic, as_of, True, fetch):
        yield from found


def log_lines(con: Connection, topic: str | None, as_of: date | None, prev_hash: str, size: int) -> Iterator[str]:
    """The events as the lines of a log export (log_lines.sql), `size` seqs at a time, each slice sorted on its own;
    each keeps its place in the log, chained from `prev_hash`, unless a topic or a day selects some."""
    require_known(con, {"topic_id": topic})
    for seqs in seq_slices(con, size):
        rows = con.execute(statement("log_lines"), [topic, as_of, topic is None and as_of is None, prev_hash,
                                                    *seqs]).fetchall()  # fmt: skip
        yield from (line for line, _ in rows)
        prev_hash = rows[-1][1] if rows else prev_hash


def table(con: Connection, name: str, **filters: str | list[str] | None) -> Result:
    """The rows of one of the store's tables or views, optionally filtered by column value (a list: one of them)."""
    if name not in TABLES_AND_VIEWS:
        raise StoreError(f'table "{name}" is not part of the store. Use one of: {", ".join(TABLES_AND_VIEWS)}.')
    return select(con, name, [], None, order="1", **filters)


def reread_dates(con: Connection) -> Result:
    """Events in force whose date phrase this version reads otherwise: another interval, or a refusal. Each distinct
    (phrase, basis) is read once."""
    logged = con.execute(
        "select distinct date_text, date_basis, occurred_from, occurred_to, date_precision from effective_events"
    ).fetchall()
    import pyarrow as pa  # on this path only: it hands DuckDB a table made in Python

    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in _READ_NOW])
    changed = [dict(zip(schema.names, (*row, *now))) for row in logged if (now := _read_now(*row[:2]))[:3] != row[2:]]
    con.register("read_now", pa.Table.from_pylist(changed, schema=schema))
    try:
        return con.answer(statement("reread_dates"))
    finally:
        con.unregister("read_now")


def select(con: Connection, source: str, params: list, condition: str | None, model=None, order: str | None = None,
           columns: str = "*", names: dict[str, str | None] | None = None, **filters) -> Result:  # fmt: skip
    """Rows of `source` that meet `condition` and equal each filter given; `names` and the filters are checked to be
    known when the answer is empty."""
    conditions = [condition] if condition else []
    for name, value in filters.items():
        if value is not None:
            conditions.append(ONE_OF.format(name) if isinstance(value, list) else f"{name} = ?")
            params = [*params, value]
    where = f" where {' and '.join(conditions)}" if conditions else ""
    query = f"select {columns} from {source}{where}{f' order by {order}' if order else ''}"
    return read(con, query, params, model, names={**(names or {}), **filters})


def read(con: Connection, query: str, params: list, model: str | None = None,
         names: dict[str, str | None] | None = None) -> Result:  # fmt: skip
    """Run a query; an empty answer is first checked for ids in `names` that the store does not hold."""
    found = con.answer(query, params, model)
    if not len(found):
        require_known(con, names or {})
    return found


def require_known(con: Connection, names: dict[str, str | None]) -> None:
    """Refuse an actor, group or topic the store does not hold: an empty answer would read as that actor's silence."""
    for name, value in names.items():
        if value is not None and name in _NAMED_IDS:
            label, query, lister = _NAMED_IDS[name]
            known = [row[0] for row in con.execute(query).fetchall()]
            for one in value if isinstance(value, list) else [value]:
                if one not in known:
                    hint = did_you_mean(one, known) or f"List them with: {lister}."
                    raise UnknownId(f'unknown {label} "{one}". {hint}')


def window(first: str, last: str, since: date | None, until: date | None) -> tuple[list[str], list]:
    """The conditions that keep rows dated from column `first` (NULL: an open start) to `last` that meet the days
    from `since` to `until` (None: open), with their parameters."""
    if since and until and since > until:
        raise InputError(f"the window would start on {since} and end on {until}. Give a since on or before its until.")
    bounds = ((f"{last} >= ?", since), (f"coalesce({first}, '-infinity'::date) <= ?", until))
    kept = [(condition, day) for condition, day in bounds if day is not None]
    return [condition for condition, _ in kept], [day for _, day in kept]


def _read_now(text: str, basis: date | None) -> tuple:
    """A logged date phrase read by this version's rules: (from, to, precision, None), or the refusal."""
    try:
        span = dates.resolve(text, basis)
    except DateError as e:
        return None, None, None, str(e)
    return span.start, span.end, span.precision, None


_READ_NOW = (("date_text", "string"), ("date_basis", "date32"), ("occurred_from", "date32"), ("occurred_to", "date32"),
             ("date_precision", "string"), ("now_from", "date32"), ("now_to", "date32"), ("now_precision", "string"),
             ("now_refused", "string"))  # fmt: skip
"""The columns of a phrase read again, and their Arrow types."""


BATCH = 100_000
"""Rows a batch as an export's slices stream to its writer: a slice's rows are never all held as Arrow at once."""
PART = 1_000_000
"""Seqs one COPY writes of an export under a memory limit. DuckDB's writers hold rows past the limit until a COPY
ends: a CSV about 100 bytes a row, a partitioned Parquet export more, with a file open in each topic's folder. At
10M events, a CSV under 500MB took 32-36 s and 1.5 GB as one COPY, 42-46 s and 0.9 GB a million seqs to a COPY, the
same file; Parquet under 1GB 59 s and 4.1 GB, then 58 s and 1.8 GB (BENCHMARKS.md). With no limit an export is one
COPY, the quicker."""


def copy_events(con: Connection, path: str, options: str, topic: str | None, as_of: date | None) -> int:
    """Write events (the `timeline` view) with DuckDB's own writer; `options` as in COPY ... TO. Returns the count.

    The store's read connections touch no file but the store, so the rows stream as Arrow, a slice of seqs at a time
    and a batch of each slice at a time, into a DuckDB of their own, in memory, which writes the file: a CSV on one
    thread (Parquet compresses on every thread). Under a memory limit a CSV or a partitioned export takes PART seqs
    to a COPY: a CSV's later parts are appended to its file, a partitioned export's write files of their own in its
    folders. At 10M events a CSV took 11.6-13.1 s and 1.8-2.0 GB, where each slice collected whole took 13.8-14.3 s
    and 2.9-3.3 GB, and before that two writer threads 14 s and 3.8 GB. A failure to write `path` (a full disk, a
    name too long) is an OSError with the system's reason: it is not the store's. A failure to read the store (out
    of memory, say) is raised as the store gave it.
    """
    import pyarrow as pa  # on this path only: the slices reach the writer as one stream of Arrow batches

    def stream(query: str, params: list):  # each slice's rows as DuckDB gives them, a batch at a time
        return con.execute(query, params).to_arrow_reader(BATCH)

    reading: list[duckdb.Error] = []  # the store's own failure, which reaches the writer only as its words

    def rows(slices: list[tuple[int, int]]):
        def batches():
            try:
                for reader in event_slices(con, topic, as_of, False, stream, slices):
                    yield from reader
            except duckdb.Error as e:
                reading.append(e)
                raise

        return pa.RecordBatchReader.from_batches(shape, batches())

    require_known(con, {"topic_id": topic})  # refused before any write
    shape = con.arrow_table(*events_query(topic, as_of, False, seqs=(0, 0))).schema  # a slice of no seqs: the types
    slices = list(seq_slices(con))
    csv = bool(re.search(r"\bformat\s+csv\b", options, re.IGNORECASE))
    config: dict = {"autoinstall_known_extensions": False, "temp_directory": temp_directory()}
    if csv:
        config["threads"] = 1  # the rows come as one stream: more threads only held them back to keep their order
    n_slices = len(slices) or 1  # an empty log still makes one COPY: a CSV of its header, say
    per_copy = n_slices
    if con.memory_limit:
        config["memory_limit"] = con.memory_limit
        if csv or re.search(r"\bpartition_by\b", options, re.IGNORECASE):
            per_copy = PART // SLICE
    written = 0
    with duckdb.connect(config=config) as writer:
        writer.execute("set enable_progress_bar = false")
        for number, start in enumerate(range(0, n_slices, per_copy)):
            writer.register("rows", rows(slices[start:start + per_copy]))
            try:
                written += _copy_part(writer, path, options, number, csv)
            except duckdb.Error as e:
                if reading:  # the writer gives it as 'arrow_scan: get_next failed(): …' with a Python traceback
                    raise reading[0] from None
                if isinstance(e, duckdb.IOException):  # 'IO Error: Could not write file "…": File too large'
                    reason = str(e).rpartition('": ')[2]
                    raise OSError(_ERRNOS.get(reason), reason) from e
                raise
            finally:
                writer.unregister("rows")
    return written


def _copy_part(writer: duckdb.DuckDBPyConnection, path: str, options: str, number: int, csv: bool) -> int:
    """COPY the rows registered with `writer` as part `number` of an export to `path`; return how many. The first
    writes `path`; a CSV's later parts are appended to it less their header, where it has one (the same first line,
    which no row can be: a row's first field is its seq); a partitioned export's write files of their own."""
    target, more = path, ""
    if number and csv:
        target = f"{path}.next"
    elif number:
        more = f", overwrite_or_ignore, filename_pattern 'data_{number}_{{i}}'"
    try:
        count = writer.execute(f"copy (from rows) to {literal(target)} ({options}{more})").fetchone()[0]
        if target != path:
            with open(path, "rb") as first, open(target, "rb") as part, open(path, "ab") as out:
                header, line = first.readline(), part.readline()
                out.write(b"" if line == header else line)
                shutil.copyfileobj(part, out, 1 << 20)
        return count
    finally:
        if target != path:
            Path(target).unlink(missing_ok=True)


_ERRNOS = {os.strerror(number): number for number in errno.errorcode}  # DuckDB gives only the reason's words
