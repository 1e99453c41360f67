"""The benchmark script still runs: a smoke run at small N, checking its table, never its timings."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_bench_smoke_run_prints_every_measurement(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--n", "2000", "--runs", "1",
                           "--out", str(tmp_path)], capture_output=True, text=True, check=True)  # fmt: skip
    rows = [line.split(" | ")[0].lstrip("| ") for line in done.stdout.splitlines() if line.startswith("| (")]
    assert rows == [
        "(c) bulk import, N events from JSONL",
        "(a) all pairs as of D: stance_as_of, the hand-written query's 3 columns",
        "(a) all pairs as of D: stance_as_of, all 15 columns",
        "(b) point lookup, one actor and topic",
        "(d) single append, open + append + close",
        "(d) each append of a series inside one `Store.writing()` block",
        "(e) bytes per event on disk",
    ]
    assert done.stdout.startswith("N = 2,000 events;")
