"""Fixtures: a real store file in tmp_path, a small registry, a recording clock the test controls."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import postgres as pg

from timeline import Actor, Event, Membership, Source, Store, Topic
from timeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
HOLD_WRITE_LOCK = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(30)"
"""Python for run_python: hold the store's write lock for 30 s, after printing "held"."""


class Clock:
    """A recording clock that stands still until the test moves it."""

    def __init__(self, start: datetime = datetime(2024, 5, 1, 12, 0)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


REGISTRY = [
    Source(source_id="paper-a", outlet="Paper A", title="A", published_on="2024-03-08"),
    Source(source_id="paper-b", outlet="Paper B", title="B", published_on="2024-03-08"),
    Source(source_id="paper-c", outlet="Paper C", title="C", published_on="2024-10-04"),
    Actor(actor_id="alice", name="Alice", kind="person"),
    Actor(actor_id="bob", name="Bob", kind="person"),
    Actor(actor_id="carol", name="Carol", kind="person"),
    Actor(actor_id="spy-agency", name="Spy Agency", kind="agency"),
    Actor(actor_id="ruritania", name="Ruritania", kind="government"),
    Membership(actor_id="alice", group_id="ruritania", role="President", valid_from="2020-01-01"),
    Membership(actor_id="bob", group_id="ruritania", role="Minister", valid_from="2020-01-01", valid_to="2024-03-01"),
    Membership(actor_id="carol", group_id="ruritania", role="Minister", valid_from="2024-03-01"),
    Topic(topic_id="troops", proposition="Send troops."),
    Topic(topic_id="strikes", proposition="Allow strikes."),
]


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster of the tests' own, for lakes' catalogs: started once per worker, stopped at the end."""
    why = pg.unavailable()
    if why is None and importlib.util.find_spec("duckdb_extension_ducklake") is None:
        why = "the lake extra is not installed (pip install -e '.[lake]')"
    if why:
        if os.environ.get("TIMELINE_REQUIRE_LAKE"):
            pytest.fail(f"TIMELINE_REQUIRE_LAKE is set, but {why}")
        pytest.skip(f"the lake tests need a PostgreSQL cluster they start: {why}")
    cluster = pg.Cluster(pg.bin_dir()).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def lake(postgres, tmp_path, request) -> tuple[str, Path]:
    """A new, empty lake: its --db (a database of its own in the tests' cluster) and a folder for its data files."""
    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + f"_{next(_LAKES)}"
    return postgres.lake(name), tmp_path / "lake-data"


_LAKES = itertools.count()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> Store:
    """A fresh store with a small registry: alice, bob (left office 2024-03-01), carol, in ruritania."""
    store = Store.open(tmp_path / "t.duckdb", clock=clock)
    store.append_many(REGISTRY)
    return store


def said(actor: str, stance: str, date: str, *, topic: str = "troops", source: str = "paper-a", **more) -> Event:
    """A short way to write an event in a test."""
    return Event(actor=actor, topic=topic, stance=stance, date=date, source=source,
                 summary=more.pop("summary", f"{actor} {stance} on {date}"), **more)  # fmt: skip


@pytest.fixture
def cli(tmp_path):
    """Run the `timeline` command against a store in tmp_path; returns (exit code, stdout, stderr)."""
    runner = CliRunner()
    db = tmp_path / "cli.duckdb"

    def run(*args: str, db_path: Path | None = None):
        result = runner.invoke(main, ["--db", str(db_path or db), *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    run.db = db
    return run


def registry_lines() -> list[dict]:
    """The registry above as import lines."""
    return [{"type": type(entry).__name__.lower(), **json.loads(entry.model_dump_json())} for entry in REGISTRY]


def write_jsonl(path: Path, *lines: object) -> Path:
    """Write objects (or raw strings) as lines of a .jsonl file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused write changed nothing."""
    tables = ("events", "actors", "topics", "sources", "memberships", "schema_migrations", "store_meta")
    return {name: store.sql(f"select * from {name} order by all").tuples() for name in tables}


def fingerprint(store: Store) -> list[tuple]:
    """One query's digest of every table: cheap enough to take before and after each fuzzed import."""
    tables = ("events", "actors", "topics", "sources", "memberships", "schema_migrations", "store_meta")
    parts = " union all ".join(
        f"select '{name}', count(*), md5(coalesce(string_agg(t::varchar, '|' order by t::varchar), '')) from {name} as t"
        for name in tables
    )
    return store.sql(parts).tuples()


def run_python(code: str, *args: str, **options) -> subprocess.Popen:
    """Run Python code in a process of its own, with pipes for its output."""
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **options)  # fmt: skip


def run_timeline(*args: str, cwd: Path, **options) -> subprocess.CompletedProcess:
    """Run the `timeline` command in a process of its own, as a shell runs it, and wait for its output."""
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], cwd=cwd, capture_output=True, text=True,
                          **options)  # fmt: skip


def disk_full_at(size: int) -> Callable[[], None]:
    """For run_timeline's preexec_fn: in the command's process, no file may grow past `size` bytes, as on a full disk."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="limits the size of a process's files with setrlimit")


def duckdb_client(path: Path, query: str) -> str:
    """What the plain `duckdb` client from PyPI's duckdb-cli prints for one query on a store, read-only, as CSV."""
    client = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    assert client, "the duckdb client from PyPI's duckdb-cli is part of the test extras"
    return subprocess.run([client, "-readonly", "-csv", str(path), "-c", query], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
