"""Compaction: the file shrinks to the blocks in use, and nothing a reader can see changes."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from conftest import HOLD_WRITE_LOCK, REGISTRY, duckdb_client, run_python, snapshot, write_jsonl
from test_migrations import LAST_IN_1_0_FORMAT, storage_version

from timeline import Store, StoreError, StoreLocked
from timeline.store import maintenance as store_module

STANCES = ("opposes", "open", "supports")


def database_size(path: Path) -> tuple[int, int]:
    """DuckDB's own count of the file's blocks: (total, free)."""
    with closing(duckdb.connect(str(path), read_only=True)) as con:
        return con.execute("select total_blocks, free_blocks from pragma_database_size()").fetchone()


def everything(store: Store) -> dict[str, list[tuple]]:
    """Every table, the derived ones in stored order (which their zone maps depend on), and an answer."""
    derived = {name: store.sql(f"select {name}::varchar from timeline_internal.{name} order by rowid").tuples()
               for name in ("positions", "event_keys")}
    return {**snapshot(store), **derived, "stance": store.stance_as_of("2024-06-01").tuples()}


@pytest.fixture
def loosened(tmp_path, clock) -> Store:
    """A store of 20k events whose derived tables were rebuilt once, leaving the blocks they used free."""
    store = Store.open(tmp_path / "loose.duckdb", clock=clock)
    store.append_many(REGISTRY)
    lines = [{"actor": ("alice", "bob", "carol")[i % 3], "topic": ("troops", "strikes")[i % 2], "stance": STANCES[i % 7 % 3],
              "date": f"2024-{1 + i % 9:02d}-{1 + i % 28:02d}", "source": "paper-c", "summary": f"Statement {i}"}
             for i in range(20_000)]  # fmt: skip
    store.import_paths([write_jsonl(tmp_path / "many.jsonl", *lines)])
    store.rebuild()
    return store


def test_compact_drops_the_free_blocks_and_changes_nothing_else(loosened):
    before, (total, free) = everything(loosened), database_size(loosened.path)
    head = loosened.verify()
    assert free > 0
    size = loosened.compact()
    assert size == loosened.path.stat().st_size
    compacted, none = database_size(loosened.path)
    assert (none, compacted <= total - free) == (0, True)  # a fresh copy also packs partly used blocks
    assert everything(loosened) == before
    assert loosened.verify() == head
    assert sorted(p.name for p in loosened.path.parent.iterdir()) == ["loose.duckdb", "many.jsonl"]


def test_the_plain_duckdb_client_answers_from_a_compacted_store(loosened):
    loosened.compact()
    out = duckdb_client(loosened.path, "select actor_id, topic_id, stance, since from stance_as_of(DATE '2024-06-01') order by all")
    expected = sorted(f"{r['actor_id']},{r['topic_id']},{r['stance']},{r['since']}"
                      for r in loosened.stance_as_of("2024-06-01").dicts())  # fmt: skip
    assert out.splitlines() == ["actor_id,topic_id,stance,since", *expected]
    assert len(expected) == 6


def test_compact_rewrites_an_older_store_in_the_current_storage_format(tmp_path):
    path = tmp_path / LAST_IN_1_0_FORMAT.name
    shutil.copy(LAST_IN_1_0_FORMAT, path)
    store = Store.open(path)
    before = everything(store)
    assert storage_version(path) == "v1.0.0+"
    store.compact()
    assert storage_version(path) == "v1.5.0+"
    assert everything(store) == before


def test_a_copy_left_by_an_interrupted_compact_is_replaced(loosened):
    loosened.path.with_name("loose.duckdb.compact").write_text("half a copy")
    before = everything(loosened)
    loosened.compact()
    assert everything(loosened) == before
    assert not loosened.path.with_name("loose.duckdb.compact").exists()


def test_a_copy_that_differs_from_the_store_is_thrown_away(loosened, monkeypatch):
    """Fault injection: the copy's census is made to lose a row, as a copy cut short would."""
    census = store_module._census

    def short_copy(con, database):
        tables = census(con, database)
        return [(name, count - 1) if name == "main.events" and database.endswith("_compact") else (name, count)
                for name, count in tables[:-1]] + tables[-1:]  # fmt: skip

    monkeypatch.setattr(store_module, "_census", short_copy)
    before, content = everything(loosened), loosened.path.read_bytes()
    with pytest.raises(StoreError) as caught:
        loosened.compact()
    assert str(caught.value) == f'compacting "{loosened.path}" gave a copy that differs from it; the store is unchanged.'
    assert loosened.path.read_bytes() == content
    assert sorted(p.name for p in loosened.path.parent.iterdir()) == ["loose.duckdb", "many.jsonl"]
    assert everything(loosened) == before


def test_compact_gives_up_on_a_locked_store_and_leaves_it_as_it_was(loosened):
    holder = run_python(HOLD_WRITE_LOCK, str(loosened.path))
    try:
        assert holder.stdout.readline() == "held\n"
        content = loosened.path.read_bytes()
        with pytest.raises(StoreLocked, match=f'^store "{loosened.path}" is locked by process {holder.pid}'):
            Store(loosened.path, lock_timeout=0.3).compact()
        assert loosened.path.read_bytes() == content
        assert sorted(p.name for p in loosened.path.parent.iterdir()) == ["loose.duckdb", "many.jsonl"]
    finally:
        holder.kill()
        holder.wait()


def test_cli_compact_reports_the_sizes_it_measured(loosened, cli):
    before = loosened.path.stat().st_size
    code, out, err = cli("compact", db_path=loosened.path)
    after = loosened.path.stat().st_size
    assert after < before
    assert (code, out, err) == (0, f'compacted "{loosened.path}": {before:,} bytes before, {after:,} after\n', "")


def test_cli_compact_refuses_a_missing_store(tmp_path, cli):
    none = tmp_path / "none.duckdb"
    code, out, err = cli("compact", db_path=none)
    assert (code, out) == (1, "")
    assert err == (f'Error: no store at "{none}". Create one with: timeline --db {none} init (or timeline --db {none} '
                   "import events/).\n")
    assert not (tmp_path / "none.duckdb").exists()
