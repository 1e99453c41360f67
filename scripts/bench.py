"""Benchmark stance-timeline at GDELT-like scale, side by side with what users would otherwise use.

    python scripts/bench.py                  # N = 1,000,000 events, 5 runs each
    python scripts/bench.py --n 10000000     # the 10M run
    python scripts/bench.py --n 10000 --runs 1 --out /tmp/bench   # a smoke run
    python scripts/bench.py --n 10000000 --import-only   # the import beside its floor, and nothing else

The project's own figures go through the library (Store); the baselines are what an analyst
would write by hand: plain DuckDB over the same rows, SQLite from the standard library, pandas.
Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from timeline import Event, Store
from timeline.export import export
from timeline.models import CONTENT_FIELDS, GENESIS_HASH, chain_hashes
from timeline.store import projections
from timeline.store.connection import Connection

from profiling import by_statement  # scripts/, beside this file

ROOT = Path(__file__).resolve().parent.parent
START, DAYS = date(2015, 1, 1), 3652
AS_OF = date(2020, 6, 30)
STANCES = ["rules_out", "opposes", "ambiguous", "open", "supports"]
HAND_WRITTEN = """
    select actor_id, topic_id, arg_max(stance, (epoch(occurred_from)::bigint // 86400) * 1099511627776 + seq) as stance
    from events
    where occurred_from <= ?::date and actor_id = subject_id
      and event_id not in (select supersedes from events where supersedes is not null)
    group by actor_id, topic_id
"""
HAND_WRITTEN_WIDE = """
    with latest as (
        select actor_id, topic_id,
               max((epoch(occurred_from)::bigint // 86400) * 1099511627776 + seq) % 1099511627776 as seq,
               count(*) as n
        from events
        where occurred_from <= ?::date and actor_id = subject_id
          and event_id not in (select supersedes from events where supersedes is not null)
        group by actor_id, topic_id
    )
    select l.actor_id, a.name as actor_name, l.topic_id, e.stance, e.score, e.occurred_from as since,
           e.date_precision, e.occurred_to > ?::date as date_uncertain, n as n_sources, e.event_id, e.quote,
           e.summary, e.source_id, e.conditions, e.confidence
    from latest as l join events as e using (seq) left join actors as a on a.actor_id = l.actor_id
"""
"""The floor under (a)'s fifteen columns: the same columns by hand, each pair's latest event found by its packed key
and joined back for its own fields. It leaves out the runs (since is that event's date, n_sources its pair's count),
so it does less than the answer it stands beside."""


ONE_ROW = "insert into events select * replace (seq + ? as seq) from events where seq = 1"
"""Plain DuckDB's append of one row, the floor under (d): the log's first row again, at the seq given plus its own."""
APPENDS_WITHOUT_PANDAS = """
import importlib.abc, importlib.machinery, statistics, sys, time


class Absent(importlib.abc.MetaPathFinder):
    # pandas as if it were not installed: each try at importing it searches sys.path, as a missing module's does
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            importlib.machinery.PathFinder.find_spec("pandas_is_not_installed")
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, Absent())
import duckdb
from timeline import Event, Store

store, floor, day, runs, one_row = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
times = {"api": [], "plain": []}
for k in range(runs):
    start = time.perf_counter()
    Store(store).append(Event(actor="actor-00004", topic="topic-04", stance="open", date=day, source=f"wire-{day}",
                              summary=f"Appended without pandas {k}."))
    times["api"].append(time.perf_counter() - start)
    start = time.perf_counter()
    with duckdb.connect(floor) as con:
        con.execute("begin")
        con.execute(one_row, [(10**6 + k) * 10**9])
        con.execute("commit")
    times["plain"].append(time.perf_counter() - start)
print(*(statistics.median(spent) * 1000 for spent in times.values()))
"""
"""One append after another through the API where pandas is not installed (as after `pip install .`), in turn with
plain DuckDB's one-row append (ONE_ROW, its last argument), in a process of its own: DuckDB's client tries to import
pandas twice for each value it binds (and twice more for each item of a list), which costs more where the import must
search for it and fail. Refused so, a try took about 90 µs on the slower machine, where one at a pandas truly absent
took 61-75 µs: the figure is high, if anything. Prints both medians, in ms."""


def generate(path: Path, n: int, seed: int = 7) -> None:
    """A deterministic synthetic feed: 10k actors, 50 topics, 10 years, skewed, 5% imprecise, 5% claims."""
    rng = random.Random(seed)
    news_days = [rng.randrange(DAYS) for _ in range(DAYS // 10)]
    last: dict[tuple[int, int], str] = {}
    with path.open("w") as out:
        for t in range(50):
            out.write(json.dumps({"type": "topic", "topic_id": f"topic-{t:02d}", "proposition": f"Proposition {t}."}) + "\n")
        for a in range(10_000):
            out.write(json.dumps({"type": "actor", "actor_id": f"actor-{a:05d}", "name": f"Actor {a}", "kind": "person"}) + "\n")
        for d in range(DAYS):
            day = START + timedelta(days=d)
            out.write(json.dumps({"type": "source", "source_id": f"wire-{day}", "outlet": "Wire", "title": f"Wire {day}",
                                  "published_on": str(day)}) + "\n")  # fmt: skip
        for i in range(n):
            actor = int(10_000 * rng.random() ** 3)  # a few actors speak often
            topic = int(50 * rng.random() ** 2)
            day = START + timedelta(days=rng.choice(news_days) if rng.random() < 0.7 else rng.randrange(DAYS))
            pair = (actor, topic)
            stance = last.get(pair) if pair in last and rng.random() < 0.8 else rng.choice(STANCES)
            event = {"actor": f"actor-{actor:05d}", "topic": f"topic-{topic:02d}", "stance": stance,
                     "date": str(day), "source": f"wire-{day}", "summary": f"Synthetic statement {i} on topic {topic}."}  # fmt: skip
            roll = rng.random()
            if roll < 0.05:
                event["date"] = day.strftime("%Y-%m")  # imprecise: the month only, cut at the source's day
            elif roll < 0.10:
                event.update(kind="claim", subject=f"actor-{(actor * 7 + 13) % 10_000:05d}")
            else:
                last[pair] = stance
            if rng.random() < 0.3:
                event["quote"] = f"We stand where we stood on {day:%d %B}."
            out.write(json.dumps(event) + "\n")


@contextmanager
def import_floor(store: Path, copy: Path) -> Iterator[dict[str, object]]:
    """The parts of (c) that no import keeping its checks can drop, beyond parsing the lines once and writing their
    rows (read_json's part), each done by hand on a copy of the store an import made, as the import does it: its
    events' ids hashed from their content; the chain of their links (Python's sha256, one after another); `positions`
    rebuilt from the log and written in key order; `event_keys`. The checks of each distinct value are left out, so
    the floor is low, if anything. Gives the parts by name, as calls for medians_ms, for the block."""
    shutil.copy(store, copy)
    with duckdb.connect(str(copy)) as con:
        ids = [event_id for event_id, in con.execute("select event_id from events order by seq").fetchall()]
        recorded_at = datetime.now()

        def written(name: str, query: str) -> tuple[Callable[[], object], Callable[[], object]]:
            """A table written and committed, after an untimed drop of the one the call before wrote."""
            drop, create = f"drop table if exists {name}", f"create table {name} as {query}"
            return lambda: con.execute(drop), lambda: con.execute(create)

        yield {
            "ids hashed": lambda: con.execute(f"select max(timeline_internal.content_hash({', '.join(CONTENT_FIELDS)}))"
                                              " from events").fetchone(),
            "the chain": lambda: chain_hashes(GENESIS_HASH, 1, ids, recorded_at),
            "`positions` rebuilt": written("positions_by_hand", "from timeline_internal.position_rows(null, null)"
                                           + projections.IN_KEY_ORDER),
            "`event_keys`": written("event_keys_by_hand", "select timeline_internal.event_key(event_id) from events"
                                    " order by all"),
        }  # fmt: skip


def corrections(store: Store, path: Path, n: int, seed: int = 11) -> None:
    """1% corrections: reclassify random first-hand events, as new events that supersede them."""
    rng = random.Random(seed)
    rows = store.sql(
        "select event_id, actor_id, topic_id, stance, date_text, source_id from events"
        f" where actor_id = subject_id using sample reservoir({max(1, n // 100)} rows) repeatable (11)"
    ).dicts()
    with path.open("w") as out:
        for row in rows:
            new = rng.choice([s for s in STANCES if s != row["stance"]])
            out.write(json.dumps({"actor": row["actor_id"], "topic": row["topic_id"], "stance": new, "date": row["date_text"],
                                  "source": row["source_id"], "summary": "Recoded on review.", "supersedes": row["event_id"],
                                  "correction_reason": "reclassification"}) + "\n")  # fmt: skip


def later_feed(jsonl: Path, path: Path, count: int) -> None:
    """A later day's feed: the first `count` event lines of the feed, each a new event by a word added to its summary."""
    events = (event for event in map(json.loads, jsonl.open()) if "type" not in event)
    with path.open("w") as out:
        for _, event in zip(range(count), events):
            out.write(json.dumps(event | {"summary": event["summary"] + " (later)"}) + "\n")


def medians_ms(runs: int, *calls) -> list[float]:
    """The median of `runs` timed calls of each of `calls`, made in turn: the first, the second, ..., then the first
    again. A measurement and the floor it is divided by are timed minute by minute alike, so that the machine's speed
    drifting over a run weighs on both and not on their ratio. A call given as (setup, fn) has setup() made untimed
    before each fn()."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for spent, call in zip(times, calls):
            setup, fn = call if isinstance(call, tuple) else (None, call)
            if setup:
                setup()
            start = time.perf_counter()
            fn()
            spent.append((time.perf_counter() - start) * 1000)
    return [statistics.median(spent) for spent in times]


def median_ms(fn, runs: int, setup=None) -> float:
    """The median of `runs` timed calls of fn, each after an untimed call of setup, if given: a measurement with no
    floor beside it."""
    return medians_ms(runs, (setup, fn))[0]


def sqlite_baseline(jsonl: Path, db: Path) -> tuple[sqlite3.Connection, float]:
    """Load the events row by row into an indexed SQLite table, as a scripter would; returns the load time."""
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.execute("create table events (seq integer primary key, actor_id text, subject_id text, topic_id text,"
                " stance text, day integer, summary text)")  # fmt: skip
    start = time.perf_counter()
    rows = []
    with jsonl.open() as lines:
        for line in lines:
            e = json.loads(line)
            if "type" not in e:
                day = date.fromisoformat(e["date"] + ("-01" if len(e["date"]) == 7 else ""))
                rows.append((e["actor"], e.get("subject", e["actor"]), e["topic"], e["stance"], day.toordinal(), e["summary"]))
    con.executemany("insert into events (actor_id, subject_id, topic_id, stance, day, summary) values (?, ?, ?, ?, ?, ?)", rows)
    con.execute("create index by_pair on events (actor_id, topic_id, day, seq)")
    con.commit()
    return con, (time.perf_counter() - start) * 1000


def run(n: int, runs: int, out: Path, import_only: bool = False) -> list[tuple[str, str, str, str]]:
    out.mkdir(parents=True, exist_ok=True)
    jsonl, fixes = out / "events.jsonl", out / "corrections.jsonl"
    if not jsonl.exists() or sum(1 for _ in jsonl.open()) < n:
        generate(jsonl, n)
    results: list[tuple[str, str, str, str]] = []

    # (c) bulk import through the project's path, against read_json into a bare table and SQLite inserts
    def project_import() -> None:
        path = out / "bench.duckdb"
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        Store.open(path).import_paths([jsonl])

    bare = out / "bare.duckdb"

    def read_json_bare(lines: Path = jsonl) -> None:  # the floor: DuckDB's own reader into a bare table of a new file
        bare.unlink(missing_ok=True)
        with duckdb.connect(str(bare)) as con:
            con.execute(f"create table events as select * from read_json('{lines}', format = 'newline_delimited')")

    with by_statement(Connection) as timed:  # each statement timed: where the import's time goes
        project_import()
    with import_floor(out / "bench.duckdb", out / "parts.duckdb") as parts:
        import_ms, bare_ms, *parts_ms = medians_ms(runs, project_import, read_json_bare, *parts.values())
    store = Store(out / "bench.duckdb")  # as the last import left it
    sqlite_con, sqlite_load_ms = sqlite_baseline(jsonl, out / "bench.sqlite")
    floor_ms = bare_ms + sum(parts_ms)
    results += [
        ("(c) bulk import, N events from JSONL", f"{import_ms / 1000:.1f} s", f"read_json into a bare table {bare_ms / 1000:.2f} s;"
         f" SQLite row inserts + index {sqlite_load_ms / 1000:.1f} s", f"{import_ms / bare_ms:.1f}x read_json; {import_ms / sqlite_load_ms:.1f}x SQLite's time"),
        ("(c) the import's floor: read_json, then each part any import that keeps its checks must add, by hand on the "
         "rows it logged", f"{floor_ms / 1000:.1f} s", f"read_json {bare_ms / 1000:.2f} s; "
         + "; ".join(f"{name} {ms / 1000:.2f} s" for name, ms in zip(parts, parts_ms)),
         f"the import {import_ms / floor_ms:.2f}x its floor; the floor {floor_ms / bare_ms:.1f}x read_json and "
         f"{floor_ms / sqlite_load_ms:.1f}x SQLite's time"),
        ("(c) the same import, by statement", timed.summary(top=10), "", ""),
    ]  # fmt: skip
    if import_only:
        return results
    corrections(store, fixes, n)
    store.import_paths([fixes])

    # (c) a later import: a feed of 1% more events into the N-event store, into a fresh copy of it each time,
    # beside the same import rebuilding `positions` whole (as any import of over 10k events did) and read_json's time.
    # At 1M its 10k events recompute the pairs they touch, as before; at 10M its 100k did not before b8faa5f.
    later, copy = out / "later.jsonl", out / "later.duckdb"
    later_feed(jsonl, later, n // 100)

    def fresh_copy() -> None:
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        shutil.copy(store.path, copy)  # the store is closed between calls: its file is whole

    def later_import(whole: bool) -> None:
        kept = projections.FULL_REFRESH, projections.FULL_REFRESH_SHARE
        if whole:  # every append past zero events, and so this one, rebuilds `positions` whole
            projections.FULL_REFRESH, projections.FULL_REFRESH_SHARE = 0, 0
        try:
            Store(copy).import_paths([later])
        finally:
            projections.FULL_REFRESH, projections.FULL_REFRESH_SHARE = kept

    later_ms, whole_ms, later_bare_ms = medians_ms(runs, (fresh_copy, lambda: later_import(whole=False)),
                                                   (fresh_copy, lambda: later_import(whole=True)),
                                                   lambda: read_json_bare(later))  # fmt: skip
    copy.unlink()
    results.append((f"(c) a later import: {n // 100:,} more events (1%) into the N-event store", f"{later_ms / 1000:.2f} s",
                    f"the same rebuilding `positions` whole {whole_ms / 1000:.2f} s; read_json of its lines into a bare"
                    f" table {later_bare_ms / 1000:.2f} s", f"{later_ms / whole_ms:.2f}x rebuilding whole"))  # fmt: skip

    # (c) restoring a backup: the store's log export imported into an empty store, beside the import of its feed
    backup, restored = out / "backup.jsonl", out / "restored.duckdb"
    export_start = time.perf_counter()
    export(store, "jsonl", backup)
    export_ms = (time.perf_counter() - export_start) * 1000

    def empty_store() -> None:
        for leftover in (restored, restored.with_name(restored.name + ".wal")):
            leftover.unlink(missing_ok=True)

    restore_ms = median_ms(lambda: Store.open(restored).import_paths([backup]), runs, setup=empty_store)
    empty_store()
    results.append(("(c) restoring a backup: the N-event store's log export into an empty store", f"{restore_ms / 1000:.1f} s",
                    f"the import of its feed {import_ms / 1000:.1f} s (the log holds the corrections too); writing the"
                    f" export {export_ms / 1000:.1f} s", f"{restore_ms / import_ms:.2f}x the import"))  # fmt: skip

    # (a) all pairs as of D and (b) one pair, on a held connection: query time, not connect time
    with store.reading() as held:
        frame = held.sql("select actor_id, subject_id, topic_id, stance, occurred_from::timestamp as occurred_from, seq,"
                         " supersedes, event_id from events").df()

        def pandas_all_pairs() -> pd.DataFrame:
            superseded = set(frame["supersedes"].dropna())
            said = frame[(frame.occurred_from <= pd.Timestamp(AS_OF)) & (frame.actor_id == frame.subject_id)
                         & ~frame.event_id.isin(superseded)]  # fmt: skip
            return said.sort_values(["occurred_from", "seq"]).groupby(["actor_id", "topic_id"], sort=False).tail(1)

        ours_ms, same_ms, hand_ms, hand_wide_ms, sqlite_ms, pandas_ms = medians_ms(
            runs,
            lambda: held.sql("select * from stance_as_of(?::date)", [AS_OF]).arrow(),
            lambda: held.sql("select actor_id, topic_id, stance from stance_as_of(?::date)", [AS_OF]).arrow(),
            lambda: held.sql(HAND_WRITTEN, [AS_OF]).arrow(),
            lambda: held.sql(HAND_WRITTEN_WIDE, [AS_OF, AS_OF]).arrow(),
            lambda: sqlite_con.execute(
                "select actor_id, topic_id, stance from (select actor_id, topic_id, stance, row_number() over"
                " (partition by actor_id, topic_id order by day desc, seq desc) as r from events where day <= ? and"
                " actor_id = subject_id) where r = 1", [AS_OF.toordinal()]).fetchall(),
            pandas_all_pairs,
        )  # fmt: skip
        busy = held.sql("select actor_id, topic_id from timeline_internal.positions group by all order by count(*) desc limit 1").tuples()[0]
        point_ms, point_sql_ms = medians_ms(
            max(runs, 20), lambda: held.stance_as_of(AS_OF, actor=busy[0], topic=busy[1]).arrow(),
            lambda: held.sql("select * from stance_as_of(?::date) where actor_id = ? and topic_id = ?",
                             [AS_OF, *busy]).arrow())  # fmt: skip
    results += [
        ("(a) all pairs as of D: stance_as_of, the hand-written query's 3 columns", f"{same_ms:.0f} ms",
         f"hand-written DuckDB {hand_ms:.0f} ms; SQLite {sqlite_ms:.0f} ms; pandas {pandas_ms:.0f} ms",
         f"{same_ms / hand_ms:.2f}x hand-written; {sqlite_ms / same_ms:.1f}x faster than SQLite"),
        ("(a) all pairs as of D: stance_as_of, all 15 columns", f"{ours_ms:.0f} ms",
         f"hand-written, 3 columns {hand_ms:.0f} ms; the same 15 columns by hand, without runs {hand_wide_ms:.0f} ms",
         f"{ours_ms / hand_ms:.2f}x hand-written; {ours_ms / hand_wide_ms:.2f}x the 15 by hand"),
        ("(b) point lookup, one actor and topic", f"API {point_ms:.1f} ms", f"the stance_as_of macro in SQL {point_sql_ms:.1f} ms", ""),
    ]  # fmt: skip

    # (d) single appends: a fresh connection each time, through the API and through the CLI. A live append is
    # the newest word on its pair; a late one lands before events the pair already has.
    day = START + timedelta(days=DAYS - 1)
    counter = iter(range(10**9))

    def statement(actor: int, on: date = day) -> Event:
        return Event(actor=f"actor-{actor:05d}", topic=f"topic-{actor:02d}", stance="open", date=str(on),
                     source=f"wire-{on}", summary=f"Appended {next(counter)}.")  # fmt: skip

    floor, seqs = out / "floor.duckdb", iter(range(1, 10**9))
    shutil.copy(store.path, floor)  # the store is closed between calls: its file is whole

    def plain_append() -> None:  # the floor under (d): a scripter's own append in plain duckdb, on the same data
        with duckdb.connect(str(floor)) as con:
            con.execute("begin")
            con.execute(ONE_ROW, [next(seqs) * 10**9])
            con.execute("commit")

    def design_append() -> None:  # the design's own floor: by hand, the rows an append writes, and nothing else
        seq = next(seqs) * 10**9
        with duckdb.connect(str(floor)) as con:
            con.execute("begin")
            con.execute(ONE_ROW, [seq])
            con.execute("insert into timeline_internal.event_keys values (?)", [seq % 2**32])
            con.execute("insert into timeline_internal.positions select * replace (? as seq) from "
                        "timeline_internal.positions limit 1", [seq])  # fmt: skip
            con.execute("update timeline_internal.positions set valid_to = valid_to where valid_to = 'infinity' and "
                        "pair_key = (select pair_key from timeline_internal.positions limit 1)")  # its open row, closed
            con.execute("commit")

    api_ms, floor_ms, design_ms = medians_ms(max(runs, 20), lambda: Store(store.path).append(statement(1)),
                                             plain_append, design_append)  # fmt: skip
    late_ms = median_ms(lambda: Store(store.path).append(statement(1, AS_OF)), runs)
    with Store(store.path).writing() as held:  # a script's series of appends on one connection, each its own commit
        held_ms = median_ms(lambda: held.append(statement(3)), max(runs, 20))
    cli = [sys.executable, "-m", "timeline.cli", "--db", str(store.path), "append", "--actor", "actor-00002", "--topic",
           "topic-02", "--stance", "open", "--date", str(day), "--source", f"wire-{day}", "--summary"]  # fmt: skip

    def cli_append() -> None:
        done = subprocess.run([*cli, f"CLI {next(counter)}"], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the CLI append failed: {done.stderr.strip()}")

    cli_ms = median_ms(cli_append, runs)
    absent = subprocess.run([sys.executable, "-c", APPENDS_WITHOUT_PANDAS, str(store.path), str(floor), str(day),
                             str(max(runs, 20)), ONE_ROW], capture_output=True, text=True, check=True)  # fmt: skip
    absent_ms, absent_floor_ms = map(float, absent.stdout.split())
    results += [
        ("(d) single append, open + append + close", f"API {api_ms:.0f} ms (late event: {late_ms:.0f} ms)",
         f"plain DuckDB on a copy of the store: connect, insert one row, commit, close {floor_ms:.0f} ms; the "
         f"same writing the rows an append writes (`events`, `event_keys`, a row of `positions` added and one "
         f"closed) {design_ms:.0f} ms; CLI {cli_ms:.0f} ms (with Python start-up)",
         f"{api_ms / floor_ms:.2f}x plain DuckDB; {api_ms / design_ms:.2f}x its rows by hand"),
        ("(d) the same where pandas is not installed (as after `pip install .`)", f"API {absent_ms:.0f} ms",
         f"plain DuckDB's one-row append, in turn with it in the same process {absent_floor_ms:.0f} ms",
         f"{absent_ms / absent_floor_ms:.2f}x plain DuckDB"),
        ("(d) each append of a series inside one `Store.writing()` block", f"API {held_ms:.0f} ms", "", ""),
    ]  # fmt: skip

    # (e) size on disk, as the import and appends left it and after `timeline compact` drops the blocks they freed
    events = store.sql("select count(*) from events").tuples()[0][0]
    store_bytes, jsonl_bytes = store.size_bytes(), jsonl.stat().st_size + fixes.stat().st_size
    compact_ms = median_ms(store.compact, runs)
    compact_bytes = store.size_bytes()
    results.append(("(e) bytes per event on disk", f"{store_bytes / events:.0f} B ({compact_bytes / events:.0f} B after compact,"
                     f" which took {compact_ms / 1000:.1f} s)", f"JSONL input {jsonl_bytes / events:.0f} B",
                    f"{store_bytes / jsonl_bytes:.2f}x the JSONL ({compact_bytes / jsonl_bytes:.2f}x compacted)"))  # fmt: skip

    # (f) one question from the command line, Python's start-up included, beside a Python that imports duckdb only
    ask = [sys.executable, "-m", "timeline.cli", "--db", str(store.path), "stance", "--as-of", str(AS_OF), "--actor",
           busy[0], "--topic", busy[1]]  # fmt: skip

    def command(args: list[str]) -> None:
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{args[2]} failed: {done.stderr.strip()}")

    ask_ms, bare_python_ms = medians_ms(max(runs, 10), lambda: command(ask),
                                        lambda: command([sys.executable, "-c", "import duckdb"]))  # fmt: skip
    results.append(("(f) one question on the command line: timeline stance, one pair", f"{ask_ms:.0f} ms",
                    f'python -c "import duckdb" {bare_python_ms:.0f} ms', f"{ask_ms / bare_python_ms:.2f}x importing duckdb"))

    # (g) verifying the whole log, beside one scan of plain DuckDB that hashes every event's row once
    def hash_every_row() -> None:
        with duckdb.connect(str(store.path), read_only=True) as con:
            con.execute("select max(sha256(e::varchar)) from events as e").fetchone()

    verify_ms, scan_ms = medians_ms(runs, store.verify, hash_every_row)
    results.append(("(g) verify: the chain, every id, the derived tables", f"{verify_ms / 1000:.2f} s",
                    f"plain DuckDB hashing every event's row once {scan_ms / 1000:.2f} s",
                    f"{verify_ms / scan_ms:.1f}x one hashing scan"))  # fmt: skip
    results += published(store, out, runs, command)
    results.append(exports(store, out, runs))
    return results


def exports(store: Store, out: Path, runs: int) -> tuple[str, ...]:
    """(j) every event exported as CSV and as TimelineJS, beside plain DuckDB writing the log's own rows to CSV."""
    export_runs = min(runs, 3)  # about 12 and 26 s each at 10M
    def plain_copy() -> None:
        with duckdb.connect(str(store.path), read_only=True) as con:
            con.execute("set enable_progress_bar = false")
            con.execute(f"copy (from events order by seq) to '{out / 'plain.csv'}' (format csv, header true)")

    csv_ms, slides_ms, copy_ms = medians_ms(export_runs, lambda: export(store, "csv", out / "export.csv"),
                                            lambda: export(store, "timelinejs", out / "export.json"),
                                            plain_copy)  # fmt: skip
    return ("(j) export of every event: CSV, TimelineJS", f"{csv_ms / 1000:.1f} s, {slides_ms / 1000:.1f} s",
            f"plain DuckDB copying `events` to CSV {copy_ms / 1000:.1f} s",
            f"{csv_ms / copy_ms:.2f}x and {slides_ms / copy_ms:.2f}x the copy")  # fmt: skip


def published(store: Store, out: Path, runs: int, command) -> list[tuple[str, ...]]:
    """(h) the chart of the busiest topic from the command line, beside vl-convert drawing the same spec; (i) the
    site of that topic, beside reading what it publishes."""
    import vl_convert

    from timeline import site
    from timeline.chart import SHARP_LANES, chart

    topic = store.sql("select topic_id from events group by all order by count(*) desc, 1 limit 1").tuples()[0][0]
    png = out / "chart.png"
    base = [sys.executable, "-m", "timeline.cli", "--db", str(store.path)]
    figure = chart(store, topic)
    spec, scale = figure.to_dict(), 2 if figure.usermeta["lanes"] <= SHARP_LANES else 1
    chart_ms, draw_ms = medians_ms(runs, lambda: command([*base, "chart", "--topic", topic, "-o", str(png)]),
                                   lambda: vl_convert.vegalite_to_png(spec, scale=scale))  # fmt: skip
    build_site = [*base, "site", "--topic", topic, "-o", str(out / "site")]
    command(build_site)  # once untimed, to learn the actors it makes pages for
    shown = sorted(page.stem for page in (out / "site" / "actors").iterdir())

    def site_reads() -> None:
        with store.reading():
            store.span_counts([topic]).dicts()
            store.stance_spans([{"actor_id": actor, "topic_id": topic} for actor in shown]).dicts()
            store.latest_statements(shown, site.MAX_STATEMENTS).dicts()
            store.latest_changes(shown, site.MAX_STATEMENTS).dicts()
            store.verify()

    site_ms, reads_ms = medians_ms(min(runs, 3), lambda: command(build_site), site_reads)  # about 8 s and 7 s each at 1M
    return [
        (f"(h) chart of the busiest topic ({topic}), PNG, on the command line", f"{chart_ms / 1000:.2f} s, "
         f"{png.stat().st_size / 1e6:.2f} MB", f"vl-convert drawing the same spec {draw_ms / 1000:.2f} s",
         f"{chart_ms / draw_ms:.2f}x drawing it"),
        ("(i) site of that topic on the command line", f"{site_ms / 1000:.1f} s, {len(shown)} actor pages",
         f"its reads alone (the spans it shows, the pages' statements and changes, verify) {reads_ms / 1000:.1f} s",
         f"{site_ms / reads_ms:.2f}x its reads"),
    ]  # fmt: skip


def table(results, n: int, runs: int) -> str:
    cores, ram = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    head = (f"N = {n:,} events; {cores} cores, {ram:.0f} GiB RAM; DuckDB {duckdb.__version__}; "
            f"pandas {pd.__version__}; SQLite {sqlite3.sqlite_version}; median of {runs} runs (20 for (b) and (d)).\n\n")  # fmt: skip
    lines = ["| measurement | stance-timeline | baselines | ratio |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in results]
    return head + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="events to generate (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-data", help="where the data and stores go")
    parser.add_argument("--import-only", action="store_true",
                        help="measure the import, its floor and its statements only (the whole bench at 10M took "
                             "26 min with --runs 1 on two slow cores)")  # fmt: skip
    args = parser.parse_args()
    print(table(run(args.n, args.runs, args.out, args.import_only), args.n, args.runs))


if __name__ == "__main__":
    main()
