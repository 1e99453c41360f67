"""The benchmark script still runs: a smoke run at small N, checking its table, never its timings."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

IMPORT_ROWS = [
    "(c) bulk import, N events from JSONL",
    "(c) the import's floor: read_json, then each part any import that keeps its checks must add, by hand on the rows "
    "it logged",
    "(c) the same import, by statement",
]


def bench(out, *options: str) -> tuple[list[str], str]:
    """A smoke run of the bench at N = 2,000, one run a measurement: its rows' names, and all it printed."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--n", "2000", "--runs", "1",
                           "--out", str(out), *options], capture_output=True, text=True, check=True)  # fmt: skip
    rows = [line.split(" | ")[0].lstrip("| ") for line in done.stdout.splitlines() if line.startswith("| (")]
    return rows, done.stdout


def test_bench_smoke_run_prints_every_measurement(tmp_path):
    rows, printed = bench(tmp_path)
    assert rows == [
        *IMPORT_ROWS,
        "(c) a later import: 20 more events (1%) into the N-event store",
        "(c) restoring a backup: the N-event store's log export into an empty store",
        "(a) all pairs as of D: stance_as_of, the hand-written query's 3 columns",
        "(a) all pairs as of D: stance_as_of, all 15 columns",
        "(b) point lookup, one actor and topic",
        "(d) single append, open + append + close",
        "(d) the same where pandas is not installed (as after `pip install .`)",
        "(d) each append of a series inside one `Store.writing()` block",
        "(e) bytes per event on disk",
        "(f) one question on the command line: timeline stance, one pair",
        "(g) verify: the chain, every id, the derived tables",
        "(h) chart of the busiest topic (topic-00), PNG, on the command line",
        "(i) site of that topic on the command line",
        "(j) export of every event: CSV, TimelineJS",
    ]
    assert printed.startswith("N = 2,000 events;")
    by_statement = next(line for line in printed.splitlines() if line.startswith("| (c) the same import"))
    # which statements are the ten slowest is a matter of timing, at N = 2,000 most of all: only the shape is checked
    assert re.match(r"\| \(c\) the same import, by statement \| \d+ ms in \d+ statements \(ms\): \S", by_statement)
    assert re.search(r"; \d+ more \d+; Python between them \d+ \|  \|  \|$", by_statement)
    assert "set variable" not in by_statement
    floor = next(line for line in printed.splitlines() if line.startswith("| (c) the import's floor"))
    assert re.search(r"\| read_json [\d.]+ s; ids hashed [\d.]+ s; the chain [\d.]+ s; `positions` rebuilt [\d.]+ s; "
                     r"`event_keys` [\d.]+ s \| the import [\d.]+x its floor; the floor [\d.]+x read_json and [\d.]+x "
                     r"SQLite's time \|$", floor)  # fmt: skip
    append = next(line for line in printed.splitlines() if line.startswith("| (d) single append"))
    assert "x plain DuckDB; " in append and append.endswith("x its rows by hand |")  # both floors, one run
    absent = next(line for line in printed.splitlines() if line.startswith("| (d) the same where pandas"))
    assert re.search(r"\| API \d+ ms \| plain DuckDB's one-row append, in turn with it in the same process \d+ ms \| "
                     r"[\d.]+x plain DuckDB \|$", absent)  # fmt: skip


def test_bench_import_only_measures_the_import_its_floor_and_its_statements(tmp_path):
    rows, _ = bench(tmp_path, "--import-only")
    assert rows == IMPORT_ROWS


def test_lake_bench_smoke_run_prints_every_measurement(tmp_path, postgres):
    pg = postgres.target("unused").split(" ", 1)[1]  # host, port and user of the tests' cluster
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_lake.py"), "--n", "2000", "--runs", "1",
                           "--writers", "1,2", "--batches", "1", "--pg", pg, "--out", str(tmp_path)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    rows = [line.split(" | ")[0].lstrip("| ") for line in done.stdout.splitlines() if line.startswith("| ")][1:]
    assert rows == [
        "appends: 1 writer(s), batches of 1 (20 each)",
        "appends: 2 writer(s), batches of 1 (20 each)",
        "stance_as_of, all pairs, 3 columns, N events",
        "stance_as_of, all pairs, all 15 columns, N events",
        "the floor: the same 3 columns straight from `positions`, N events",
        "one append on the N-event lake, by statement",
        "one import of N events into a lake, then compact",
        "verify on the N-event lake",
        "export on the N-event lake",
        "restoring the lake's export into an empty lake",
    ]
    assert "update timeline_internal.turn set" in done.stdout and done.stdout.startswith("N = 2,000 events;")
    assert "select s.found as sources, a.found as actors" in done.stdout  # the registry's look-up
    assert "select event_id from timeline_internal.logged_ev" in done.stdout  # fetched as Arrow, by a relation
    assert "set variable" not in done.stdout
