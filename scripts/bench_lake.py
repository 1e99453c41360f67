"""Benchmark the team store: writers at once on one lake, and stance_as_of on a compacted lake beside a file store.

    python scripts/bench_lake.py                      # 1M events for the read; writers 1, 2, 4, 8 x batches 1, 100, 1000
    python scripts/bench_lake.py --n 2000 --writers 1,2 --batches 1,10 --out /tmp/bench-lake   # a smoke run

It starts a PostgreSQL cluster of its own (Debian's initdb and pg_ctl, as the tests do), or uses `--pg "host=…
port=… user=…"`, and makes a database per measurement. Appends go through the library (`Store.append_many`, one
transaction a batch, on a held connection); the floor beside them is plain duckdb inserting the same rows into a bare
table of another lake, a batch a transaction, as a scripter would. Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from timeline import Event, Store
from timeline.export import export
from timeline.store import lake as lakes

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]
from bench import AS_OF, generate, medians_ms  # noqa: E402  (the same synthetic feed as bench.py)
from profiling import by_statement  # noqa: E402

ACTORS, TOPICS, DAY = 100, 10, date(2024, 1, 1)
REGISTRY = [
    *({"type": "actor", "actor_id": f"actor-{a:03d}", "name": f"Actor {a}", "kind": "person"} for a in range(ACTORS)),
    *({"type": "topic", "topic_id": f"topic-{t}", "proposition": f"Proposition {t}."} for t in range(TOPICS)),
    {"type": "source", "source_id": "wire", "outlet": "Wire", "title": "Wire", "published_on": str(DAY)},
]
STANCES = ["opposes", "ambiguous", "open", "supports"]


def batch(writer: int, number: int, size: int) -> list[dict]:
    """`size` distinct events for one batch of one writer."""
    rows = []
    for i in range(size):
        k = (writer * 7919 + number * 104729 + i) % 1_000_003
        rows.append({"actor": f"actor-{k % ACTORS:03d}", "topic": f"topic-{k % TOPICS}", "stance": STANCES[k % 4],
                     "date": str(DAY - timedelta(days=k % 300)), "source": "wire",
                     "summary": f"Writer {writer}, batch {number}, event {i}."})  # fmt: skip
    return rows


def ours(target: str, writer: int, batches: int, size: int, ready, go) -> float:
    store = Store(target, lock_timeout=600)
    events = [[Event(**row) for row in batch(writer, n, size)] for n in range(batches)]
    with store.writing():  # one connection, as a script appending in a loop holds
        ready.wait()
        go.wait()
        for chunk in events:
            store.append_many(chunk)
    return time.time()


def raw(target: str, writer: int, batches: int, size: int, ready, go) -> float:
    con = plain(target)
    tables = [pa.Table.from_pylist(batch(writer, n, size)) for n in range(batches)]
    ready.wait()
    go.wait()
    for rows in tables:
        con.register("rows", rows)
        con.execute("begin")
        con.execute("insert into lake.raw_events select * from rows")
        con.execute("commit")
        con.unregister("rows")
    return time.time()


def plain(target: str) -> duckdb.DuckDBPyConnection:
    """The lake through plain duckdb, attached as `lake`: what a scripter without this project would open."""
    con = duckdb.connect(config={"autoload_known_extensions": False, "autoinstall_known_extensions": False})
    lakes.load_extensions(con)
    con.execute(f"attach '{target}' as lake")
    return con


def writers_at_once(make, target: str, writers: int, batches: int, size: int) -> float:
    """Events a second with `writers` processes each writing `batches` batches of `size` at once."""
    context = mp.get_context("spawn")
    ready, go, ends = context.Barrier(writers + 1, timeout=600), context.Barrier(writers + 1, timeout=600), context.Queue()
    processes = [context.Process(target=_writer, args=(make, target, w, batches, size, ready, go, ends))
                 for w in range(writers)]  # fmt: skip
    for process in processes:
        process.start()
    ready.wait()  # every writer has connected and built its rows
    start = time.time()
    go.wait()
    finished = [ends.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    if any(isinstance(end, str) for end in finished):
        raise SystemExit("a writer failed: " + next(end for end in finished if isinstance(end, str)))
    return writers * batches * size / (max(finished) - start)


def _writer(make, target, writer, batches, size, ready, go, ends) -> None:
    try:
        ends.put(make(target, writer, batches, size, ready, go))
    except BaseException as e:  # the parent reports it
        ends.put(f"{type(e).__name__}: {e}")
        ready.abort()
        go.abort()


def new_lake(pg: str, name: str, out: Path, holds: str) -> str:
    """A new lake holding the appends' registry, a bare table for the raw inserts, or nothing."""
    target = f"ducklake:postgres:dbname={name} {pg}"
    _createdb(pg, name)
    store = Store.open(target, data_path=out / name)
    if holds == "raw":
        plain(target).execute("create table lake.raw_events (actor varchar, topic varchar, stance varchar, date "
                              "varchar, source varchar, summary varchar)")  # fmt: skip
    elif holds == "registry":
        store.append_many(REGISTRY)
    return target


def _createdb(pg: str, name: str) -> None:
    import postgres

    given = dict(part.split("=", 1) for part in pg.split())
    options = [f"--{key}={given[key]}" for key in ("host", "port") if key in given]
    options += [f"--username={given['user']}"] if "user" in given else []
    subprocess.run([str(postgres.bin_dir() / "createdb"), *options, name], check=True)


def run(n: int, runs: int, writer_counts: list[int], sizes: list[int], pg: str, out: Path) -> list[tuple]:
    out.mkdir(parents=True, exist_ok=True)
    results, made = [], iter(range(10**6))
    for size in sizes:
        batches = max(2, min(20, 2000 // size))
        for writers in writer_counts:
            ours_rate = writers_at_once(ours, new_lake(pg, f"w{next(made)}", out, "registry"), writers, batches, size)
            raw_rate = writers_at_once(raw, new_lake(pg, f"r{next(made)}", out, "raw"), writers, batches, size)
            results.append((f"appends: {writers} writer(s), batches of {size:,} ({batches} each)",
                            f"{ours_rate:,.0f} events/s", f"raw DuckLake inserts {raw_rate:,.0f} events/s",
                            f"{ours_rate / raw_rate:.2f}x raw"))  # fmt: skip

    jsonl = out / "events.jsonl"
    if not jsonl.exists() or sum(1 for _ in jsonl.open()) < n:
        generate(jsonl, n)
    file_store = Store.open(out / "file.duckdb")
    if not file_store.sql("select count(*) from events").tuples()[0][0]:
        file_store.import_paths([jsonl])
    started = time.perf_counter()
    lake = Store.open(new_lake(pg, f"big{next(made)}", out, "nothing"))
    lake.import_paths([jsonl])
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    lake.compact(quiet_for=0)
    compact_s = time.perf_counter() - started
    reads = {  # the floor under both: the rows of `positions` that hold the day, with no join and no other table
        "stance_as_of, all pairs, 3 columns, N events": "select actor_id, topic_id, stance from stance_as_of($1::date)",
        "stance_as_of, all pairs, all 15 columns, N events": "select * from stance_as_of($1::date)",
        "the floor: the same 3 columns straight from `positions`, N events": "select actor_id, topic_id, stance from "
        "timeline_internal.positions where valid_from <= $1::date and $1::date < valid_to",
    }  # fmt: skip
    with lake.reading() as on_lake, file_store.reading() as on_file:
        timed = [medians_ms(runs, lambda q=q: on_lake.sql(q, [AS_OF]).arrow(),
                            lambda q=q: on_file.sql(q, [AS_OF]).arrow()) for q in reads.values()]  # fmt: skip
    for measurement, (lake_ms, file_ms) in zip(reads, timed):
        results.append((measurement, f"compacted lake {lake_ms:.1f} ms", f"file store {file_ms:.1f} ms",
                        f"{lake_ms / file_ms:.2f}x the file"))  # fmt: skip
    results.append(("one append on the N-event lake, by statement", profile_append(lake), "", ""))
    results.append(("one import of N events into a lake, then compact", f"{import_s:.1f} s, compact {compact_s:.1f} s", "", ""))
    results.extend(upkeep(lake, file_store, import_s, new_lake(pg, f"restored{next(made)}", out, "nothing"), out))
    return results


def upkeep(lake: Store, file_store: Store, import_s: float, empty: str, out: Path) -> list[tuple]:
    """verify, a log export and its restore on the N-event lake, each once, beside the same on the file store (the
    restore beside the lake's import of the feed)."""
    timed = {}
    for name, store in (("lake", lake), ("file", file_store)):
        timed[name, "verify"] = seconds(store.verify)
        timed[name, "export"] = seconds(lambda s=store, n=name: export(s, "jsonl", out / f"{n}-backup.jsonl"))
    restored = Store.open(empty)
    restore_s = seconds(lambda: restored.import_paths([out / "lake-backup.jsonl"]))
    head = "select max_by(hash, seq) from events"
    if restored.sql(head).tuples() != lake.sql(head).tuples():
        raise SystemExit("the restored lake's head differs from the lake it was exported from")
    return [
        *((f"{what} on the N-event lake", f"{timed['lake', what]:.1f} s", f"file store {timed['file', what]:.1f} s",
           f"{timed['lake', what] / timed['file', what]:.2f}x the file") for what in ("verify", "export")),
        ("restoring the lake's export into an empty lake", f"{restore_s:.1f} s",
         f"the import of its feed into a lake {import_s:.1f} s", f"{restore_s / import_s:.2f}x the import"),
    ]  # fmt: skip


def seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def profile_append(store: Store) -> str:
    """Where one append's time goes on a lake: each statement it runs, timed, the slowest first."""
    source = store.sql("select source_id from sources limit 1").tuples()[0][0]
    actor, topic = store.sql("select actor_id, topic_id from events limit 1").tuples()[0]
    day = store.table("sources", source_id=source).first()["published_on"]
    store.close()  # its kept connections were made before the statements are timed
    with by_statement(lakes.LakeConnection) as timed, store.writing():
        timed.statements.clear()  # the connection's own set-up is not the append's
        started = time.perf_counter()
        store.append(Event(actor=actor, topic=topic, stance="open", date=str(day), source=source, summary="Profiled."))
        appended = time.perf_counter() - started
    timed.total = appended
    return timed.summary()


def table(results, n: int, runs: int) -> str:
    head = (f"N = {n:,} events; {os.cpu_count()} cores; DuckDB {duckdb.__version__}; PostgreSQL catalog on the same "
            f"machine; reads the median of {runs} runs, appends one run each.\n\n")  # fmt: skip
    lines = ["| measurement | stance-timeline | floor | ratio |", "|---|---|---|---|"]
    return head + "\n".join([*lines, *(f"| {' | '.join(row)} |" for row in results)]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="events for the read (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per read measurement (default 5)")
    parser.add_argument("--writers", default="1,2,4,8", help="writer processes at once (default 1,2,4,8)")
    parser.add_argument("--batches", default="1,100,1000", help="events a transaction (default 1,100,1000)")
    parser.add_argument("--pg", help='a PostgreSQL to use, "host=… port=… user=…" (default: start one)')
    parser.add_argument("--out", type=Path, default=ROOT / "bench-data" / "lake", help="where the data files go")
    args = parser.parse_args()
    writer_counts, sizes = [int(w) for w in args.writers.split(",")], [int(b) for b in args.batches.split(",")]
    cluster = None
    if args.pg is None:
        import postgres  # the tests' throwaway cluster

        cluster = postgres.Cluster(postgres.bin_dir()).start()
        args.pg = cluster.target("x").split(" ", 1)[1]
    try:
        print(table(run(args.n, args.runs, writer_counts, sizes, args.pg, args.out), args.n, args.runs))
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
