"""Schema versions: old stores migrate forward intact, newer ones are refused, SQL files keep their rules."""

from __future__ import annotations

import json
import re
import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from timeline import SchemaError, Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("store-v*.duckdb"), key=lambda p: int(p.stem.removeprefix("store-v")))
QUERIES = ROOT / "queries"
LAST_IN_1_0_FORMAT = ROOT / "tests" / "fixtures" / "store-v6.duckdb"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_store_from_an_earlier_version_migrates_forward_intact(tmp_path, fixture):
    expected = json.loads(fixture.with_suffix(".json").read_text())
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    store = Store.open(path)
    assert store.schema_version() == Store.latest_schema_version() >= expected["schema_version"]
    outcome = store.verify()
    assert (outcome.ok, outcome.count, outcome.head_hash) == (True, expected["events"], expected["head_hash"])
    answers = json.loads(json.dumps(store.stance_as_of("2024-03-10").tuples(), default=str))
    assert answers == expected["stance_2024_03_10"]
    applied = store.sql("select version from schema_migrations order by version").tuples()
    assert applied == [(n,) for n in range(1, Store.latest_schema_version() + 1)]
    assert main_objects(store) == PUBLIC_OBJECTS  # helpers of earlier versions moved out of main


def test_the_newest_version_has_a_fixture():
    assert FIXTURES[-1].name == f"store-v{Store.latest_schema_version()}.duckdb"


def storage_version(path: Path) -> str:
    with closing(duckdb.connect(str(path), read_only=True)) as con:
        return con.execute("select tags['storage_version'] from duckdb_databases() where not internal").fetchone()[0]


def test_a_new_store_is_written_in_duckdb_1_5s_storage_format_and_keeps_it(tmp_path, clock):
    from conftest import REGISTRY, said

    store = Store.open(tmp_path / "new.duckdb", clock=clock)
    store.append_many([*REGISTRY, said("alice", "open", "2024-02-01")])
    assert storage_version(store.path) == "v1.5.0+"
    assert storage_version(LAST_IN_1_0_FORMAT) == "v1.0.0+"  # stores made before keep theirs, and still open


def test_store_from_a_newer_version_is_refused(tmp_path, cli):
    path = tmp_path / "newer.duckdb"
    Store.open(path)
    with closing(duckdb.connect(str(path))) as con:
        con.execute("insert into schema_migrations values (99, '0099_future', now())")
    message = (f'store "{path}" has schema version 99, newer than this stance-timeline understands '
               f"({Store.latest_schema_version()}). Upgrade stance-timeline: pip install -U stance-timeline.")  # fmt: skip
    with pytest.raises(SchemaError) as caught:
        Store.open(path)
    assert str(caught.value) == message
    assert cli("stance", "--as-of", "2024-03-01", db_path=path) == (1, "", f"Error: {message}\n")


def stale_store(path: Path, clock, *keys: str) -> None:
    """A store of one event whose fingerprints `keys` say another release made it, its stance_as_of dropped and its
    one `positions` row marked (n_sources 7), so that a rebuild shows."""
    from conftest import REGISTRY, said

    Store.open(path, clock=clock).append_many([*REGISTRY, said("alice", "open", "2024-02-01")])
    with closing(duckdb.connect(str(path))) as con:
        con.execute("update store_meta set value = 'stale' where key in (select unnest(?))", [list(keys)])
        con.execute("drop macro table stance_as_of")
        con.execute("update timeline_internal.positions set n_sources = 7")


def test_changed_views_and_macros_are_reapplied_without_rebuilding_the_derived_tables(tmp_path, clock):
    path = tmp_path / "stale.duckdb"
    stale_store(path, clock, "queries_hash")
    store = Store.open(path)
    assert store.sql("select count(*) from stance_as_of('2024-01-01')").tuples() == [(0,)]
    assert store.sql("select value <> 'stale' from store_meta where key = 'queries_hash'").tuples() == [(True,)]
    assert store.sql("select n_sources from timeline_internal.positions").tuples() == [(7,)]


def test_changed_sql_of_the_derived_tables_rebuilds_them(tmp_path, clock):
    path = tmp_path / "stale.duckdb"
    stale_store(path, clock, "queries_hash", "derivation_hash")
    store = Store.open(path)
    assert store.sql("select count(*) from stance_as_of('2024-01-01')").tuples() == [(0,)]
    assert store.sql("select n_sources from timeline_internal.positions").tuples() == [(1,)]
    assert store.sql("select key from store_meta where value = 'stale'").tuples() == []


def test_changed_statements_alone_rebuild_the_derived_tables(tmp_path, clock):
    """The statements are not installed in the store, so a release that changes only them leaves the queries'
    fingerprint as it was; the derived tables are rebuilt all the same."""
    path = tmp_path / "stale.duckdb"
    stale_store(path, clock, "derivation_hash")
    store = Store.open(path)
    assert store.sql("select count(*) from stance_as_of('2024-01-01')").tuples() == [(0,)]
    assert store.sql("select n_sources from timeline_internal.positions").tuples() == [(1,)]


def test_the_derivation_fingerprint_covers_the_statements_that_make_derived_rows_and_no_other(monkeypatch, tmp_path):
    """Every statement run while the derived tables are rebuilt or kept in step (a live append, a late one, a
    correction, archived texts) is one of queries/derivation/, which the fingerprint covers; a change to any other
    statement leaves it as it is, so no store rebuilds for it."""
    from conftest import REGISTRY, said
    from timeline.store import projections, sql, texts

    ran = set()
    for module in (projections, texts):
        monkeypatch.setattr(module, "statement", lambda name: ran.add(name) or sql.statement(name))
    store = Store.open(tmp_path / "derived.duckdb")
    store.import_paths([ROOT / "events"])
    store.append_many([*REGISTRY, said("alice", "open", "2024-02-01")])
    store.append(said("alice", "opposes", "2024-03-01"))  # live: the newest word on its pair
    store.append(said("alice", "opposes", "2024-01-15"))  # late
    corrected = store.sql("select max_by(event_id, seq) from events").tuples()[0][0]
    store.append(said("alice", "supports", "2024-02-01", supersedes=corrected, correction_reason="reclassification"))
    store.rebuild()
    assert ran == set(sql.files("derivation"))
    before = sql.derivation_hash()
    for folder, changed in (("statements", False), ("derivation", True)):
        shipped = sql.files(folder)
        name = sorted(shipped)[0]
        monkeypatch.setattr(sql, "files", lambda f, files=sql.files, folder=folder, name=name: {
            **files(f), **({name: files(f)[name] + "\nlimit 1"} if f == folder else {})})  # fmt: skip
        assert (sql.derivation_hash() != before) is changed, folder
        monkeypatch.undo()


def test_a_changed_comment_reinstalls_the_helpers_but_rebuilds_nothing(monkeypatch):
    """Rebuilding `positions` takes about 15 s at 10M events: a release that changes only the prose in the SQL the
    derived tables are made with, or their layout, leaves their fingerprint as it was; a "--" inside a string is
    code."""
    from timeline.store import sql

    before = (sql.queries_hash(), sql.derivation_hash())
    name, text = "position_rows", sql.files("internal")["position_rows"]
    edits = {
        "a line comment": ("-- Each first-hand event", "-- Every first-hand event"),
        "a trailing comment": ("as day\n", "as day -- the day it decides from\n"),
        "a block comment": ("with first_hand as (", "/* the rows */ with first_hand as ("),
        "a comment of its own line": ("with first_hand as (", "-- the rows\nwith first_hand as ("),
        "indentation": ("    select actor_id, topic_id, seq,", "        select actor_id, topic_id, seq,"),
        "code": ("'1000-01-01'::date", "'1000-01-02'::date"),
        "a string holding --": ("'1000-01-01'::date", "'--1000-01-01'::date"),
    }
    for edit, (old, new) in edits.items():
        assert old in text, edit
        changed = text.replace(old, new)
        monkeypatch.setattr(sql, "files", lambda f, files=sql.files: {
            **files(f), **({name: changed} if f == "internal" else {})})  # fmt: skip
        after = (sql.queries_hash(), sql.derivation_hash())
        assert after[0] != before[0], edit  # the helper is installed anew, its comments with it
        assert (after[1] != before[1]) is (edit in ("code", "a string holding --")), edit
        monkeypatch.undo()


def test_no_helper_reads_a_public_view_or_macro():
    """The derived tables are rebuilt only when the SQL they are made with changes, which leaves out the public
    queries: that holds while the helpers read none of them."""
    public = [path.stem for path in (QUERIES / "public").glob("*.sql")]
    read = {path.stem: [name for name in public if re.search(rf"\b{name}\b", re.sub(r"--[^\n]*", "", path.read_text()))]
            for path in (QUERIES / "internal").glob("*.sql")}  # fmt: skip
    assert {helper: names for helper, names in read.items() if names} == {}


def test_migration_numbers_are_unique_and_contiguous():
    numbers = [int(p.name[:4]) for p in sorted((QUERIES / "migrations").glob("*.sql"))]
    assert all(re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", p.name) for p in (QUERIES / "migrations").glob("*.sql"))
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*/*.sql")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_sql_file_says_what_it_answers_and_holds_one_object(path):
    text = path.read_text()
    assert text.startswith("-- ")
    if path.parent.name in ("migrations", "derivation", "statements"):
        return
    created = re.findall(r"create or replace (?:macro|view) ([\w.]+)|CREATE TABLE ([\w.]+)\(", text)
    created = [macro or table for macro, table in created]
    schema = "timeline_internal." if path.parent.name in ("internal", "lake") else ""
    assert created == [schema + path.stem]


PUBLIC_OBJECTS = [
    "claims", "claims_as_of", "effective_events", "group_stance_as_of", "reported_stance_as_of", "stance_as_of",
    "stance_changes", "stance_periods", "timeline",
]  # fmt: skip


def main_objects(store: Store) -> list[str]:
    """The functions and views a user listing the store's main schema sees."""
    listed = store.sql(
        "select function_name from duckdb_functions() where schema_name = 'main' and database_name = current_database()"
        " and function_type in ('macro', 'table_macro') union all select view_name from duckdb_views()"
        " where schema_name = 'main' and not internal order by 1"
    ).tuples()
    return [name for (name,) in listed]


def test_the_main_schema_lists_only_what_users_query(store):
    """Helpers and derived tables live in timeline_internal: listing the store shows the documented objects only."""
    assert main_objects(store) == PUBLIC_OBJECTS
    tables = store.sql("select table_name from duckdb_tables() where schema_name = 'main' order by 1").tuples()
    assert [name for (name,) in tables] == [
        "actors", "events", "memberships", "registry_history", "schema_migrations", "source_texts", "sources", "store_meta",
        "topics"]


def test_the_schema_file_is_the_schema_a_new_store_has(store):
    """queries/schema.sql shows the current tables whole, so nobody adds up the migrations to learn them."""
    tables = store.sql("select sql from duckdb_tables() where database_name = current_database() order by schema_name,"
                       " table_name").tuples()  # fmt: skip
    shown = [part.strip() for part in re.split(r";\n", re.sub(r"^--[^\n]*\n", "", (QUERIES / "schema.sql").read_text(),
                                                             flags=re.M)) if part.strip()]  # fmt: skip
    assert shown == [sql.strip().rstrip(";") for (sql,) in tables]
