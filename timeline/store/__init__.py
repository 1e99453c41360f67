"""The store: the only package that talks to DuckDB. `Store` is a thin facade over its parts, each one job:

- connection: connect, lock, retry, hold a connection for a block, translate errors (a backend's seam);
- schema and sql: migrations, and the views and macros of queries/ installed in the store;
- log, registry and texts: appends and imports, chained into the log; archived texts and their quotes;
- projections: the tables derived from the log (`positions`, `event_keys`);
- reads and adhoc: the answers, and the guard on ad-hoc SQL;
- maintenance: verify, rebuild, compact.

The public methods take text or typed dates and read each once, at this edge; everything below takes typed values.
A command that only reads loads neither pydantic nor pyarrow: the writing modules (log, registry, maintenance) and
ingest's models are imported by the methods that write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .. import dates
from ..errors import InputError, StoreError, UnknownId
from ..results import Result
from . import adhoc, lake, reads, schema, sql
from .connection import Connections

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .. import ingest
    from ..models import SourceText, StanceRow
    from .log import AppendResult
    from .maintenance import Verification

Day = date | str
"""A day as the API takes it: a date, or text such as 2024-03-10 or "today", read once by dates.day."""


class Store:
    """An append-only timeline in one DuckDB file, or in a lake (`ducklake:postgres:...`) that many processes write
    at once. Each call on a file opens and closes its own connection; a lake keeps one of each kind open (close())."""

    def __init__(self, path: str | Path, *, data_path: str | Path | None = None,
                 clock: Callable[[], datetime] | None = None, lock_timeout: float = 10.0, arrow: bool = True,
                 memory_limit: str | None = None):  # fmt: skip
        """`arrow`: answers are held as Arrow tables, quick to hand whole to pandas or pyarrow; with False they are
        fetched as Python tuples, quicker to read row by row, and pyarrow is never imported (the command line's way).
        `memory_limit`: how much memory DuckDB may hold, such as "4GB" (its default is 80% of the machine's); past it,
        large imports, restores and checks write their work to a temp directory and run slower instead."""
        self.clock = clock or (lambda: datetime.now(timezone.utc).replace(tzinfo=None))
        if lake.is_lake(path):
            folder = None if data_path is None else Path(data_path).expanduser().absolute()
            self.connections: Connections = lake.LakeConnections(str(path), folder, lock_timeout, arrow, memory_limit)
        else:  # DuckDB expands "~" itself: the file checked must be the one it opens
            self.connections = Connections(Path(path).expanduser(), lock_timeout, arrow, memory_limit)
        self.path = self.connections.path
        """The store's file, or the lake as messages show it (its password hidden)."""
        self.is_lake = self.connections.lake

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, **options) -> Store:
        """Open the store at `path`, creating it if asked and bringing its schema up to date."""
        store = cls(path, **options)
        schema.migrate(store.connections, store.clock, create=create)
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close what stays open between calls: nothing for a file, a lake's idle connections (they close at exit
        too)."""
        self.connections.close()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Hold one read-only connection for a series of queries; other readers may share the file, writers wait."""
        with self.connections.hold(write=False):
            yield self

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Hold one write connection for a series of appends and queries: each append still commits on its own, all
        of it or none, but connecting and the checkpoint on close are paid once, at the ends of the block. Until it
        ends, other processes can neither read nor write the store; threads sharing this Store take turns on it.
        """
        with self.connections.hold(write=True):
            yield self

    def size_bytes(self) -> int:
        """Bytes the store takes on disk (its file and any write-ahead log)."""
        return self.connections.size_bytes()

    # -- schema -----------------------------------------------------------------------------------------------------

    @staticmethod
    def latest_schema_version() -> int:
        """The schema version this release of stance-timeline writes."""
        return schema.latest_version()

    def schema_version(self) -> int:
        """The highest migration applied to the store (0 for a new file)."""
        return schema.version(self.connections)

    def migrate(self) -> int:
        """Apply pending migrations and refresh views and macros, in one transaction; return the version."""
        return schema.migrate(self.connections, self.clock)

    # -- writing ----------------------------------------------------------------------------------------------------

    def append(self, entry: BaseModel | dict) -> AppendResult:
        """Append one event (or registry entry); an event already in the log is not added again."""
        return self.append_many([entry])

    def append_many(self, entries: Iterable[BaseModel | dict]) -> AppendResult:
        """Append events and registry entries in one transaction: all of them or none."""
        from .. import ingest

        return self.write(ingest.given(entries))

    def write(self, batch: ingest.Batch) -> AppendResult:
        """Resolve a batch against the registry and append it; nothing is written if any entry is refused."""
        from . import log

        return self.connections.write(lambda con: log.append(con, batch, self.clock))

    def import_paths(self, paths: Iterable[str | Path],
                     progress: Callable[[str, int, int | None], None] | None = None) -> AppendResult:  # fmt: skip
        """Import every line of the given .jsonl files and directories in one transaction. `progress(step, done,
        total)` is told each step as it goes: "reading files" (bytes), "checking lines", "logging events" (events),
        "updating positions", "committing"; total is None where a step does not count its work.

        Files are first read as columns by DuckDB and checked once per distinct value; a log export is replayed
        so too, each event at the seq, time and link it carries. Whatever that path cannot vouch for (a refused
        line, an unusual escape, a log position the line-by-line path would read otherwise) is read again line by
        line, which names the line at fault, and `progress` is told "reading files" again.
        """
        from .. import ingest
        from . import log

        paths = list(paths)
        files, texts = ingest.jsonl_files(paths), ingest.text_files(paths)
        return self.connections.write(lambda con: log.import_files(con, files, texts, progress, self.clock))

    # -- reading ----------------------------------------------------------------------------------------------------

    def stance_as_of(self, as_of: Day, *, known_at: datetime | Day | None = None, actor: str | None = None,
                     topic: str | None = None, include_reported: bool = False) -> Result[StanceRow]:  # fmt: skip
        """Each actor's position on each topic on day `as_of`, as the store knew it at `known_at`.

        With include_reported, claims by others are set beside each stance (their `reported_by` names the claimant).
        """
        with self.connections.reading() as con:
            return reads.stance(con, dates.day(as_of), dates.instant(known_at), actor, topic, include_reported)

    def group_stance_as_of(self, as_of: Day, *, known_at: datetime | Day | None = None, group: str | None = None,
                           topic: str | None = None) -> Result:  # fmt: skip
        """Each group's own stance and its members' on `as_of`, with the spread between them."""
        with self.connections.reading() as con:
            return reads.as_of_macro(con, "group_stance_as_of", dates.day(as_of), dates.instant(known_at),
                                     (None, topic, group), group_id=group, topic_id=topic)  # fmt: skip

    def claims_as_of(self, as_of: Day, *, known_at: datetime | Day | None = None, subject: str | None = None,
                     topic: str | None = None) -> Result:  # fmt: skip
        """Second-hand claims in force on `as_of`, beside each subject's own stance that day."""
        with self.connections.reading() as con:
            return reads.as_of_macro(con, "claims_as_of", dates.day(as_of), dates.instant(known_at),
                                     (subject, topic, None), subject_id=subject, topic_id=topic)  # fmt: skip

    def history(self, actor: str, *, topic: str | None = None, since: Day | None = None,
                until: Day | None = None) -> Result:  # fmt: skip
        """Everything said by or about one actor, in the order it happened; with `since` or `until`, what may have
        been said between them (an event dated "February" meets any window that meets February)."""
        with self.connections.reading() as con:
            return reads.history(con, actor, topic, _day(since), _day(until))

    def changes(self, *, actor: str | None = None, topic: str | None = None, since: Day | None = None,
                until: Day | None = None) -> Result:  # fmt: skip
        """Every change of position, shift or reversal; with `since` or `until`, those that may have happened between
        them, as `history` does (a change's dates run from changed_on to changed_by)."""
        with self.connections.reading() as con:
            return reads.changes(con, actor, topic, _day(since), _day(until))

    def events(self, *, topic: str | None = None, as_of: Day | None = None, effective: bool = False,
               subjects: list[str] | None = None) -> Result:  # fmt: skip
        """Events with names and outlets, in seq order: all of them, or only those in force (corrections applied);
        with `subjects`, only those about these actors (their own statements and others' claims of them)."""
        with self.connections.reading() as con:
            return reads.read(con, *reads.events_query(topic, _day(as_of), effective, subjects),
                              names={"topic_id": topic, "subject_id": subjects})  # fmt: skip

    def event_slices(self, *, topic: str | None = None, as_of: Day | None = None,
                     effective: bool = False) -> Iterator[Result]:  # fmt: skip
        """The events of Store.events, a slice of seqs at a time, in seq order: a log of any length in little memory."""
        with self.connections.reading() as con:
            yield from reads.event_slices(con, topic, _day(as_of), effective)

    def count_events(self, *, topic: str | None = None, as_of: Day | None = None, effective: bool = False) -> int:
        """How many events Store.events gives."""
        with self.connections.reading() as con:
            return reads.count_events(con, topic, _day(as_of), effective)

    def log_lines(self, *, topic: str | None = None, as_of: Day | None = None, size: int = 100_000) -> Iterator[str]:
        """The events as the lines of a log export, written by DuckDB as Python's json.dumps writes them, `size` seqs
        at a time: a log of any length is exported in little memory. Unfiltered, each keeps its place in the log; a
        topic or a day makes them plain events, which append as new where they are imported."""
        from ..models import GENESIS_HASH

        with self.connections.reading() as con:
            yield from reads.log_lines(con, topic, _day(as_of), GENESIS_HASH, size)

    def timelinejs_slides(self, *, topic: str | None = None, as_of: Day | None = None) -> Iterator[str]:
        """The events in force, in seq order, as the slides of a TimelineJS export: each a JSON object, written by
        DuckDB a slice of seqs at a time."""
        with self.connections.reading() as con:
            yield from reads.slides(con, topic, _day(as_of))

    def copy_events(self, path: str | Path, options: str, *, topic: str | None = None, as_of: Day | None = None) -> int:
        """Write events (the `timeline` view) with DuckDB's own writer; `options` as in COPY ... TO. Returns the count."""
        with self.connections.reading() as con:
            return reads.copy_events(con, str(path), options, topic, _day(as_of))

    def reread_dates(self) -> Result:
        """Events in force whose date phrase this version reads otherwise: another interval, or a refusal.

        An event keeps the interval its phrase was read as when it was logged, and a later version's date rules may
        read the phrase otherwise. Each row gives the interval logged and the reading now (now_refused holds the
        refusal instead); supersede an event to re-date it.
        """
        with self.connections.reading() as con:
            return reads.reread_dates(con)

    def registry(self, model: type[BaseModel]) -> list[BaseModel]:
        """Every registry entry of one kind (Source, Actor, Topic or Membership), as records."""
        from . import registry

        with self.connections.reading() as con:
            return registry.read(con, model)

    def archived(self, source_id: str) -> tuple[str, date | None, str]:
        """A source's archived text, its publication day, and its id; refused where it has none."""
        with self.connections.reading() as con:
            reads.require_known(con, {"source_id": source_id})
            found = con.execute("select t.text, s.published_on from source_texts as t join sources as s using"
                                " (source_id) where source_id = ?", [source_id]).fetchone()  # fmt: skip
        if found is None:
            raise UnknownId(f'source "{source_id}" has no archived text. Archive it with: timeline source add PATH '
                            f"--source-id {source_id}")  # fmt: skip
        return found[0], found[1], source_id

    def span_counts(self, topics: list[str]) -> Result:
        """How many spans of stance (stance_spans) each actor has on each of `topics`: what a page can carry is
        weighed on these before any evidence is read."""
        with self.connections.reading() as con:
            reads.require_known(con, {"topic_id": topics})
            return con.answer(sql.statement("span_counts"), [topics])

    def stance_spans(self, pairs: list[dict]) -> Result:
        """Every span of days over which an actor's stance on a topic held, for the (actor_id, topic_id) `pairs`, with
        its evidence: what a page needs to answer "stance as of" for any day as stance_as_of does (a day D falls in
        [valid_from, valid_to))."""
        with self.connections.reading() as con:
            return con.answer(sql.statement("site_positions"), [pairs])

    def topic_subjects(self, topic: str) -> Result:
        """Whom the events in force on `topic` are about, in the order each first appears in the log: how many events
        each has, whether it speaks for itself, and the days its events span (first_day: the earliest day any may
        fall on)."""
        with self.connections.reading() as con:
            reads.require_known(con, {"topic_id": topic})
            return con.answer(sql.statement("topic_subjects"), [topic])

    def chart_markers(self, topic: str, lanes: list[str], start: date, end: date, most: int) -> Result:
        """The events in force on `topic` about `lanes` that fall between `start` and `end`, with outlets, each with
        the day it is shown from and how many there are (marked): all of them in seq order if there are at most
        `most`; else only those where a lane's stance changes (its own and others' claims of it apart), taken
        evenly among them up to `most`, by lane and day."""
        with self.connections.reading() as con:
            pairs = [{"actor_id": lane, "topic_id": topic} for lane in lanes]
            return con.answer(sql.statement("chart_markers"), [pairs, start, end, most])

    def latest_statements(self, actors: list[str], latest: int) -> Result:
        """The latest `latest` statements by or about each of `actors`, as `history` gives them, read for all of them
        at once: each row names the actor it was read for (page_actor), its source's title and url, and how many
        earlier statements that actor has (earlier)."""
        with self.connections.reading() as con:
            return con.answer(sql.statement("latest_statements"), [actors, latest])

    def latest_changes(self, actors: list[str], latest: int) -> Result:
        """The latest `latest` changes of position of each of `actors`, as `changes` gives them, read at once."""
        with self.connections.reading() as con:
            return con.answer(sql.statement("latest_changes"), [actors, latest])

    def texts(self) -> list[SourceText]:
        """Every archived text, in the order archived."""
        from ..models import SourceText

        with self.connections.reading() as con:
            return [SourceText(source_id=s, text=t) for s, t in con.execute(
                "select source_id, text from source_texts order by seq").fetchall()]  # fmt: skip

    def table(self, name: str, **filters: str | list[str] | None) -> Result:
        """The rows of one of the store's tables or views, optionally filtered by column value (a list of ids: a row
        holds one of them)."""
        with self.connections.reading() as con:
            return reads.table(con, name, **filters)

    def sql(self, query: str, params: list | None = None) -> Result:
        """Run one read-only statement (SELECT, WITH or EXPLAIN) that reads this store and nothing else."""
        with self.connections.sandboxed() as con:
            return adhoc.run(con, query, params)

    # -- upkeep -----------------------------------------------------------------------------------------------------

    def verify(self, published: str | None = None) -> Verification:
        """Walk the hash chain: each event's id must match its content and each link the one before.

        `published` is a head hash given out earlier: it must still be a link of the chain. Without it, a log cut at
        its end, or rewritten and chained anew, leaves a chain that is intact.
        """
        if published is not None and not _is_hash(published):
            raise InputError(f'published head "{published}" is not a hash. Give the 32 hex characters that follow '
                             '"hash" in the output of timeline verify.')  # fmt: skip
        from . import maintenance

        with self.connections.reading() as con:
            return maintenance.verify(con, published, turn=self.is_lake)

    def rebuild(self) -> None:
        """Rebuild the tables derived from the log (event_keys, positions) from the log itself."""
        from . import maintenance

        self.connections.write(maintenance.rebuild)

    def compact(self, *, quiet_for: float = 60.0, expire_before: datetime | None = None) -> int:
        """Rewrite the store into a fresh file, leaving out the blocks that deletes and rebuilds freed; return its size.

        The copy is written beside the store, under the write lock, in the current storage format; each table's
        row count and the head are checked against the original before the copy replaces it. If anything fails,
        the store is left as it was. It needs free disk space for a second copy.

        A lake instead merges its small data files, and is refused if anyone wrote it in the last `quiet_for`
        seconds. With `expire_before`, snapshots older than it are forgotten, and the files only they read deleted:
        time travel to before it ends there.
        """
        from . import maintenance

        if self.is_lake:
            with self.connections.writing() as con:
                maintenance.compact_lake(con, self.path, quiet_for, expire_before)
            return self.size_bytes()
        if self.connections.holding:
            raise StoreError(f'store "{self.path}" cannot be compacted inside a reading or writing block, which keeps '
                             "its connection open. Compact after the block.")  # fmt: skip
        with self.connections.writing() as con:
            maintenance.compact(con, self.path)
        return self.size_bytes()


def _day(value: Day | None) -> date | None:
    return None if value is None else dates.day(value)


def _is_hash(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


__all__ = ["Store"]
