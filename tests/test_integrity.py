"""What the store refuses to do: rewrite history silently, write from ad-hoc SQL, lose half an import."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import (
    HOLD_WRITE_LOCK, POSIX_ONLY, REGISTRY, ROOT, disk_full_at, run_python, run_timeline, said, snapshot, write_jsonl,
)

from timeline import InputError, ReadOnlyError, Source, Store, StoreError, StoreLocked
from timeline.export import export


def raw(store: Store) -> duckdb.DuckDBPyConnection:
    """A plain read-write DuckDB connection, as someone tampering with the file would use."""
    return closing(duckdb.connect(str(store.path)))


@pytest.fixture
def three(store):
    store.append_many([said("alice", "open", "2024-02-01"), said("bob", "opposes", "2024-02-02"),
                       said("carol", "supports", "2024-03-05")])  # fmt: skip
    return store


def test_verify_reports_count_and_head(three, cli):
    outcome = three.verify()
    head = three.sql("select hash from events where seq = 3").tuples()[0][0]
    assert (outcome.ok, outcome.count, outcome.head_seq, outcome.head_hash) == (True, 3, 3, head)
    assert cli("verify", db_path=three.path) == (0, f"OK 3 events, head seq 3 hash {head}\n", "")


TAMPERING = [
    ("update", "update events set summary = 'rewritten' where seq = 2", 2, "content does not match event_id: the row was changed"),
    ("update id and content", "update events set stance = 'supports', event_id = 'ffffffffffffffff' where seq = 2", 2, "content does not match event_id: the row was changed"),
    ("delete", "delete from events where seq = 2", 3, "expected seq 2: rows were deleted, reordered or inserted"),
    ("reorder", "update events set seq = case seq when 2 then 3 when 3 then 2 else seq end", 2, "hash does not match: the row was changed or inserted out of band"),
    ("insert", "insert into events select * replace (4 as seq, 'x' as hash) from events where seq = 3", 4, "hash does not match: the row was changed or inserted out of band"),
    ("insert in the middle", "update events set seq = seq + 1 where seq >= 2; insert into events select * replace (2 as seq) from events where seq = 1", 2, "hash does not match: the row was changed or inserted out of band"),
    ("duplicate", "insert into events select * from events where seq = 3", 3, "expected seq 4: rows were deleted, reordered or inserted"),
    ("rechained duplicate", None, 4, "event_id appears twice (first at seq 3)"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "sql", "bad_seq", "problem"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_verify_names_the_first_bad_seq(three, cli, case, sql, bad_seq, problem):
    if sql is None:  # a forger who recomputes the chain for a copied event still leaves two rows with one id
        from timeline.models import chain_hash

        seq, event_id, at, prev = three.sql("select seq, event_id, recorded_at, hash from events where seq = 3").tuples()[0]
        link = chain_hash(prev, 4, event_id, at)
        sql = f"insert into events select * replace (4 as seq, '{link}' as hash) from events where seq = 3"
    with raw(three) as con:
        con.execute(sql)
    outcome = three.verify()
    assert (outcome.ok, outcome.bad_seq, outcome.problem) == (False, bad_seq, problem)
    code, out, err = cli("verify", db_path=three.path)
    assert (code, out) == (1, "")
    assert err == (f"Error: verify failed at seq {bad_seq}: {problem}. The chain is intact up to seq {outcome.head_seq}; "
                   "restore the store from a copy or an export.\n")  # fmt: skip


def test_verify_does_not_trust_the_stores_own_macros(three, cli):
    """A forger who rewrites an event, gives it an id of their own and chains the log anew, and rewrites the store's
    content_hash to give that id for that content, is still caught: verify hashes with the package's own helper."""
    from timeline.models import chain_hash

    helper = (ROOT / "queries" / "internal" / "content_hash.sql").read_text()
    forged = helper.replace(" as left(sha256(", " as if(summary = 'rewritten', 'ffffffffffffffff', left(sha256(")
    forged = forged.rstrip().removesuffix(", 16)") + ", 16))"
    rows = three.sql("select seq, event_id, recorded_at, hash from events order by seq").tuples()
    with raw(three) as con:
        con.execute(forged)
        con.execute("update events set summary = 'rewritten', event_id = 'ffffffffffffffff' where seq = 2")
        prev = rows[0][3]
        for seq, event_id, at, _ in rows[1:]:
            prev = chain_hash(prev, seq, "ffffffffffffffff" if seq == 2 else event_id, at)
            con.execute("update events set hash = ? where seq = ?", [prev, seq])
        assert con.execute("select count(*) from events where event_id = timeline_internal.content_hash("
                           "actor_id, subject_id, kind, topic_id, stance, score, quote, summary, conditions, "
                           "occurred_from, occurred_to, date_precision, date_text, date_basis, source_id, locator, "
                           "confidence, supersedes, correction_reason)").fetchone() == (3,)  # fmt: skip
    outcome = three.verify()
    assert (outcome.ok, outcome.bad_seq, outcome.problem) == (False, 2, "content does not match event_id: the row was changed")


def flagged_rows(store: Store) -> list[int]:
    """The seqs the SQL side of verify flags for Python to check again (chain_faults)."""
    from timeline.models import GENESIS_HASH
    from timeline.store.maintenance import VERIFIED_WITH
    from timeline.store.sql import statement, temp_helper

    with closing(duckdb.connect(str(store.path), read_only=True)) as con:
        for helper in VERIFIED_WITH:
            con.execute(temp_helper(helper))
        return [seq for (seq, *_) in con.execute(statement("chain_faults"), [GENESIS_HASH]).fetchall()]


def test_verify_hashes_a_sound_log_in_sql_and_leaves_python_only_what_duckdb_writes_apart(three, clock):
    """SQL writes the texts and times it hashes as Python does, so a sound log has no row for Python to check
    again: whole seconds and microseconds, quotes, backslashes, newlines, accents. A control character is written
    apart (DuckDB's JSON gives \\u001F, Python's \\u001f): that row is flagged, and Python finds it sound."""
    clock.advance(microseconds=250)
    three.append(said("alice", "supports", "2024-02-20", summary='She said "yes" \\ C:\\path\nthen: ça, 東京 — ok.'))
    clock.advance(seconds=1, microseconds=-250)
    three.append(said("bob", "open", "2024-02-21", quote="Non, jamais.\ton verra"))
    assert three.sql("select microsecond(recorded_at) % 1000000 from events where seq > 3 order by seq").tuples() == [
        (250,), (0,)]  # fmt: skip
    assert flagged_rows(three) == []
    three.append(said("carol", "opposes", "2024-02-22", summary="a\x1fb"))
    assert flagged_rows(three) == [6]
    assert three.verify().ok


@pytest.mark.parametrize(("table", "tamper"), [
    ("positions", "update timeline_internal.positions set stance = 'supports', score = 2 where seq = 2"),
    ("positions", "delete from timeline_internal.positions where seq = 2"),  # every row left is one the log gives
    ("positions", "insert into timeline_internal.positions from timeline_internal.positions where seq = 2"),
    ("positions", "update timeline_internal.positions set n_sources = n_sources + 1 where seq = 2"),
    # as many rows as the log gives, each one the log gives, but seq 2's twice and seq 3's not at all
    ("positions", "delete from timeline_internal.positions where seq = 3; "
                  "insert into timeline_internal.positions from timeline_internal.positions where seq = 2"),
    ("event_keys", "delete from timeline_internal.event_keys where key = (select timeline_internal.event_key(event_id) from events where seq = 2)"),
])  # fmt: skip
def test_verify_catches_an_edited_derived_table_and_init_repairs_it(three, cli, table, tamper):
    with raw(three) as con:
        con.execute(tamper)
    outcome = three.verify()
    assert (outcome.ok, outcome.bad_seq, outcome.problem) == (
        False, 2, f"{table} (derived from the log) disagree with it; rebuild them with timeline init"
    )  # fmt: skip
    assert cli("init", db_path=three.path)[0] == 0
    assert three.verify().ok
    assert [r.stance for r in three.stance_as_of("2024-03-10")] == ["open", "opposes", "supports"]
    assert three.sql("select count(*) from timeline_internal.event_keys").tuples() == [(3,)]


def test_verify_finds_a_published_head_or_says_the_log_lost_it(three, cli):
    """A log cut at its end leaves a chain that is intact: only the head published before the cut shows it."""
    published = three.verify().head_hash
    three.append(said("alice", "supports", "2024-03-06"))
    head = three.verify().head_hash
    assert (three.verify(published=published).ok, three.verify(published=published).published_seq) == (True, 3)
    assert cli("verify", "--head", published, db_path=three.path) == (
        0, f"OK 4 events, head seq 4 hash {head}; the published head {published} is seq 3\n", ""
    )  # fmt: skip
    with raw(three) as con:
        con.execute("delete from events where seq >= 3")
    assert cli("init", db_path=three.path)[0] == 0  # the derived tables rebuilt, as a forger would
    assert three.verify().ok
    outcome = three.verify(published=published)
    assert (outcome.ok, outcome.bad_seq, outcome.head_seq) == (False, None, 2)
    code, out, err = cli("verify", "--head", published, db_path=three.path)
    assert (code, out) == (1, "")
    assert err == (f"Error: verify failed: the published head {published} is not in the log, whose chain is intact up to "
                   "seq 2. Events were cut from its end, or the log was rewritten and chained anew; restore the store "
                   "from a copy or an export.\n")  # fmt: skip
    with pytest.raises(InputError) as refused:
        three.verify(published="seq 3")
    assert str(refused.value) == ('published head "seq 3" is not a hash. Give the 32 hex characters that follow "hash" in '
                                  "the output of timeline verify.")  # fmt: skip


REFUSED = [
    ("insert into events select * from events", "INSERT"),
    ("update events set summary = 'x'", "UPDATE"),
    ("delete from events", "DELETE"),
    ("drop table events", "DROP"),
    ("create table x (a int)", "CREATE"),
    ("attach 'elsewhere.duckdb' as other", "ATTACH"),
    ("copy (select * from events) to 'out.csv'", "COPY"),
    ("install httpfs", "INSTALL"),
    ("load httpfs", "LOAD"),
    ("set threads = 1", "SET"),
    ("reset threads", "SET"),
    ("pragma force_checkpoint", "PRAGMA"),
    ("pragma threads=1", "SET"),
    ("checkpoint", "CALL"),
    ("export database 'dump'", "EXPORT"),
]


WHY = {
    "SET": "ad-hoc SQL cannot change the connection's settings, which keep it to this store. Use SELECT, WITH or "
           "EXPLAIN.",
    "INSTALL": "ad-hoc SQL installs no extension, and reaches no network. Install extensions with duckdb directly.",
    "LOAD": "ad-hoc SQL loads no extension, so that it reads this store only. Load extensions with duckdb directly.",
}  # fmt: skip
OUTSIDE = [
    ("select * from read_csv('/etc/passwd')", "files", "/etc/passwd"),
    ("select * from read_json('/etc/os-release')", "files", "/etc/os-release"),
    ("select * from read_parquet('/tmp/x.parquet')", "files", "/tmp/x.parquet"),
    ("select * from read_text('/etc/hostname')", "files", "/etc/hostname"),
    ("select * from read_blob('/etc/hostname')", "files", "/etc/hostname"),
    ("select * from glob('/etc/*')", "files", "/etc/*"),
    ("select * from read_csv('https://example.com/x.csv')", "the network", "https://example.com/x.csv"),
    ("select * from read_parquet('s3://bucket/x.parquet')", "the network", "s3://bucket/x.parquet"),
]


@pytest.mark.parametrize(("query", "where", "target"), OUTSIDE, ids=[q.split("'")[1] for q, _, _ in OUTSIDE])
def test_ad_hoc_sql_reads_this_store_and_nothing_else(three, cli, query, where, target):
    message = f'ad-hoc SQL reads this store only, never {where}: "{target}" is refused. Open other files with duckdb directly.'
    with pytest.raises(ReadOnlyError) as caught:
        three.sql(query)
    assert str(caught.value) == message
    assert cli("sql", query, db_path=three.path) == (1, "", f"Error: {message}\n")
    settings = three.sql("select name, value from duckdb_settings() where name in ('enable_external_access',"
                         " 'lock_configuration', 'autoinstall_known_extensions', 'autoload_known_extensions') order by 1")
    assert settings.tuples() == [("autoinstall_known_extensions", "false"), ("autoload_known_extensions", "false"),
                                 ("enable_external_access", "false"), ("lock_configuration", "true")]  # fmt: skip
    assert three.sql("select count(*) from stance_as_of('2024-03-10')").tuples() == [(3,)]  # its own objects work


@pytest.mark.parametrize("query", ["select * from query('select 1')", "explain analyze from \"QUERY\"('select 1')"])
def test_ad_hoc_sql_runs_as_written_never_from_a_string(three, cli, query):
    message = 'function "query" is refused: ad-hoc SQL runs as it is written, never from a string. Write the query itself.'
    assert cli("sql", query, db_path=three.path) == (1, "", f"Error: {message}\n")
    assert three.sql("select upper('query') as q").tuples() == [("QUERY",)]


def test_ad_hoc_sql_does_not_run_on_a_writing_blocks_connection(three):
    with three.writing(), pytest.raises(StoreError) as caught:
        three.sql("select count(*) from events")
    assert str(caught.value) == (
        f'store "{three.path}" is held by Store.writing(), whose connection reads the files imports name; ad-hoc SQL '
        "runs only where it can read nothing but the store. Run it after the block, or inside Store.reading()."
    )


@pytest.mark.parametrize(("query", "kind"), REFUSED, ids=[kind + ":" + q.split()[0] for q, kind in REFUSED])
def test_ad_hoc_sql_is_read_only(three, cli, tmp_path, monkeypatch, query, kind):
    monkeypatch.chdir(tmp_path)
    before = snapshot(three)
    message = f'statement "{kind}" is refused: ' + WHY.get(kind, "ad-hoc SQL is read-only. Use SELECT, WITH or "
                                                              "EXPLAIN; write through timeline import or append.")
    with pytest.raises(ReadOnlyError) as caught:
        three.sql(query)
    assert str(caught.value) == message
    assert cli("sql", query, db_path=three.path) == (1, "", f"Error: {message}\n")
    assert snapshot(three) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.duckdb"] if (tmp_path / "cli.duckdb").exists() else ["t.duckdb"]


def test_ad_hoc_sql_takes_one_statement(three):
    with pytest.raises(ReadOnlyError, match="^query has 2 statements. Run one statement at a time.$"):
        three.sql("select 1; delete from events")
    assert three.sql("select count(*) from events").tuples() == [(3,)]


def test_ad_hoc_sql_takes_a_pivot(three, cli):
    """DuckDB expands a PIVOT without an IN list into two statements of its own; it is still one query, and a read."""
    query = "pivot (select actor_id, stance from events) on stance using count(*) group by actor_id order by actor_id"
    assert cli("sql", query, "--format", "csv", db_path=three.path) == (
        0, "actor_id,open,opposes,supports\nalice,1,0,0\nbob,0,1,0\ncarol,0,0,1\n", ""
    )  # fmt: skip
    with pytest.raises(ReadOnlyError, match="^query has 3 statements. Run one statement at a time.$"):
        three.sql(f"{query}; select 1")


def test_ad_hoc_sql_reads(three, cli):
    assert three.sql("with s as (from stance_as_of('2024-03-10')) select actor_id, stance from s").tuples() == [
        ("alice", "open"), ("bob", "opposes"), ("carol", "supports")
    ]  # fmt: skip
    assert cli("sql", "select count(*) as n from events", "--format", "csv", db_path=three.path) == (0, "n\n3\n", "")


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "tuples"])
def test_ad_hoc_sql_takes_parameters_as_duckdb_does(three, arrow):
    """An Arrow answer is collected by a relation, which takes no parameters: they are handed over beside the query.
    The answer is the one DuckDB gives for the parameters itself, in either form."""
    store = Store(three.path, arrow=arrow)
    query = "select actor_id, '?' as \"?\" from events where stance = ? -- or ?\norder by actor_id"
    assert store.sql(query, ["opposes"]).tuples() == [("bob", "?")]
    assert store.sql("select actor_id from events where stance = $2 or actor_id = $1 order by 1",
                     ["alice", "opposes"]).tuples() == [("alice",), ("bob",)]  # fmt: skip
    assert store.sql("select count(*) from events where actor_id in (select unnest(?))", [["alice", "carol"]]).tuples() == [(2,)]
    assert store.sql("select ? is null, typeof(?), typeof(?), typeof(?)", [None, [], [None], 7]).tuples() == [
        (True, '"NULL"[]', '"NULL"[]', "INTEGER")
    ]  # fmt: skip
    assert store.sql("select ? as a, $1 as b", [5]).tuples() == [(5, 5)]  # both kinds at once: DuckDB's own reading
    with pytest.raises(StoreError, match="Values were not provided for the following prepared statement parameters: 2$"):
        store.sql("select ?, ?", [1])


BULK = """
import sys, time
from timeline import Store
from timeline.store import log

if sys.argv[3] == "before commit":
    # Instrumentation for the test only: stop inside the transaction, after the rows are inserted.
    insert = log._append_staged
    def _append_staged(con, *rest):
        outcome = insert(con, *rest)
        print("inserted", con.execute("select count(*) from events").fetchone()[0], flush=True)
        time.sleep(60)
        return outcome
    log._append_staged = _append_staged
print("reading", flush=True)
Store.open(sys.argv[1]).import_paths([sys.argv[2]])
"""


def big_import(tmp_path: Path, n: int) -> Path:
    lines = [{"type": "actor", "actor_id": "alice", "name": "Alice", "kind": "person"},
             {"type": "topic", "topic_id": "troops", "proposition": "Send troops."},
             {"type": "source", "source_id": "wire", "outlet": "Wire", "title": "W", "published_on": "2024-12-31"}]  # fmt: skip
    lines += [{"actor": "alice", "topic": "troops", "stance": "open", "date": f"2024-{1 + i % 12:02d}-01",
               "source": "wire", "summary": f"Statement {i}"} for i in range(n)]  # fmt: skip
    return write_jsonl(tmp_path / "big.jsonl", *lines)


@pytest.mark.parametrize("moment", ["while reading", "before commit"])
def test_sigkill_mid_import_leaves_all_or_nothing(tmp_path, moment):
    store = Store.open(tmp_path / "crash.duckdb")
    store.append_many([*REGISTRY, said("alice", "open", "2024-02-01")])
    process = run_python(BULK, str(store.path), str(big_import(tmp_path, 100_000)), moment)
    assert process.stdout.readline() == "reading\n"
    if moment == "while reading":
        time.sleep(1.0)
    else:
        assert process.stdout.readline() == "inserted 100001\n"
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert store.sql("select count(*) from events").tuples() == [(1,)]
    assert store.verify().ok
    store.import_paths([tmp_path / "big.jsonl"])
    assert store.sql("select count(*) from events").tuples() == [(100_001,)]
    assert store.verify().ok


@POSIX_ONLY
def test_an_import_the_disk_cannot_hold_gives_the_reason_and_writes_nothing(tmp_path):
    store = Store.open(tmp_path / "full.duckdb")
    store.append_many([*REGISTRY, said("alice", "open", "2024-02-01")])
    before = snapshot(store)
    done = run_timeline("--db", "full.duckdb", "import", str(big_import(tmp_path, 25_000)), cwd=tmp_path,
                        preexec_fn=disk_full_at(store.path.stat().st_size))  # fmt: skip
    wal = tmp_path.resolve() / "full.duckdb.wal"
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", f'Error: store "full.duckdb": TransactionContext Error: Failed to commit: Could not write file "{wal}": '
        "File too large\n")  # fmt: skip
    assert snapshot(store) == before and store.verify().ok
    done = run_timeline("--db", "full.duckdb", "import", "big.jsonl", cwd=tmp_path)  # with room, it goes in whole
    summary = "imported 25000 new events (0 already present), 1 registry entry (2 already present); head seq 25001"
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{summary} hash {store.verify().head_hash}\n", "")


def test_the_command_waits_as_long_as_wait_says_for_a_store_another_process_holds(tmp_path):
    path = tmp_path / "locked.duckdb"
    store = Store.open(path)
    before = snapshot(store)
    holder = run_python(HOLD_WRITE_LOCK, str(path))
    locked = (f'Error: store "locked.duckdb" is locked by process {holder.pid} (waited {{}} s). DuckDB lets one process '
              "write a file at a time: wait for it to finish or stop it, then try again.\n")  # fmt: skip
    try:
        assert holder.stdout.readline() == "held\n"
        done = run_timeline("--db", "locked.duckdb", "--wait", "0.3", "verify", cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", locked.format("0.3"))
        waited = run_timeline("--db", "locked.duckdb", "append", "--actor", "a", "--topic", "t", "--stance", "open",
                              "--date", "2024-01-01", "--source", "s", "--summary", "S.", cwd=tmp_path,
                              env={**os.environ, "TIMELINE_WAIT": "0.5"})  # fmt: skip
        assert (waited.returncode, waited.stdout, waited.stderr) == (1, "", locked.format("0.5"))
    finally:
        holder.kill()
        holder.wait()
    assert snapshot(store) == before
    done = run_timeline("--db", "locked.duckdb", "--wait", "-1", "verify", cwd=tmp_path)
    assert done.returncode == 2 and "Invalid value for '--wait': -1.0 is not in the range x>=0." in done.stderr


def test_a_second_process_cannot_take_the_lock(tmp_path):
    """DuckDB's own rule, which the store's retry is built on: one process holds a file for writing."""
    path = tmp_path / "locked.duckdb"
    Store.open(path)
    holder = run_python(HOLD_WRITE_LOCK, str(path))
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(duckdb.IOException, match="Could not set lock on file .* Conflicting lock is held"):
            duckdb.connect(str(path), read_only=True)
        with pytest.raises(StoreLocked) as caught:
            Store(path, lock_timeout=0.3).verify()
        assert str(caught.value) == (
            f'store "{path}" is locked by process {holder.pid} (waited 0.3 s). DuckDB lets one process write a file '
            "at a time: wait for it to finish or stop it, then try again."
        )
    finally:
        holder.kill()
        holder.wait()


APPENDER = """
import sys
from timeline import Event, Store
store = Store(sys.argv[1], lock_timeout=60)
for i in range(100):
    store.append(Event(actor="alice", topic="troops", stance="open", date="2024-02-01", source="paper-a",
                       summary=f"writer {sys.argv[2]} event {i}"))
"""
READER = """
import subprocess, sys, time
end = time.monotonic() + 600
runs = 0
while time.monotonic() < end:
    if open(sys.argv[2]).read() == "stop":
        break
    done = subprocess.run([sys.executable, "-m", "timeline.cli", "--db", sys.argv[1], "stance", "--as-of", "2024-03-01",
                           "--format", "csv"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    runs += 1
print(runs)
"""


def test_two_writers_and_a_reader_share_the_store(store, tmp_path):
    stop = tmp_path / "stop"
    stop.write_text("go")
    reader = run_python(READER, str(store.path), str(stop))
    writers = [run_python(APPENDER, str(store.path), name) for name in ("a", "b")]
    for writer in writers:
        _, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
    stop.write_text("stop")
    out, err = reader.communicate(timeout=600)
    assert reader.returncode == 0, err
    assert int(out) > 0
    assert store.sql("select count(*), count(distinct event_id), min(seq), max(seq) from events").tuples() == [
        (200, 200, 1, 200)
    ]
    writer_by_seq = [summary.split()[1] for (summary,) in store.sql("select summary from events order by seq").tuples()]
    turns = sum(a != b for a, b in zip(writer_by_seq, writer_by_seq[1:]))
    assert turns > 1  # the writers took turns at the lock, not one after the other
    assert store.verify().ok


TRY_VERIFY = """
import sys
from timeline import Store, StoreLocked
try:
    print(Store(sys.argv[1], lock_timeout=0.3).verify().count)
except StoreLocked as e:
    print(e)
"""


def logged(store: Store) -> list:
    """The log and the registry as the API reads them: what a writing block's connection may show."""
    return [store.events().tuples(), *(store.table(name).tuples() for name in ("actors", "topics", "sources"))]


def test_a_writing_block_keeps_the_store_and_each_append_stands_alone(store, tmp_path, clock):
    """One connection for many appends: each commits or is refused on its own, and other processes wait for the block."""
    other = Store.open(tmp_path / "other.duckdb", clock=clock)
    other.append_many([*REGISTRY, Source(source_id="paper-d", outlet="Paper D", title="D", published_on="2024-03-09"),
                       said("bob", "opposes", "2024-03-09", source="paper-d")])  # fmt: skip
    log = tmp_path / "log.jsonl"
    export(other, "jsonl", log)
    with store.writing() as held:
        first = held.append(said("alice", "open", "2024-02-01"))
        before = logged(held)
        with pytest.raises(InputError) as refused:  # refused inside the transaction, after the new source is written
            held.import_paths([log])
        assert str(refused.value) == (
            f"{log} line 15: seq 1 does not continue this store's log (next seq 2). Import a log export into an empty "
            "store, or drop seq, recorded_at and hash to append the events as new."
        )
        assert logged(held) == before
        second = held.append(said("carol", "supports", "2024-03-05"))
        with store.reading() as inner:  # a block inside the block shares its connection
            assert [(r.actor_id, r.stance) for r in inner.stance_as_of("2024-03-06")] == [("alice", "open"), ("carol", "supports")]
        locked = run_python(TRY_VERIFY, str(store.path))
        assert locked.communicate(timeout=60) == (
            f'store "{store.path}" is locked by process {os.getpid()} (waited 0.3 s). DuckDB lets one process write a '
            "file at a time: wait for it to finish or stop it, then try again.\n", "",
        )  # fmt: skip
    assert store.sql("select seq, event_id from events order by seq").tuples() == [
        (1, first.event_ids[0]), (2, second.event_ids[0])
    ]  # fmt: skip
    assert run_python(TRY_VERIFY, str(store.path)).communicate(timeout=60) == ("2\n", "")
    assert store.verify().ok


def test_a_held_store_refuses_what_its_connection_cannot_do(store):
    with store.writing() as held:
        with pytest.raises(StoreError) as caught:
            held.compact()
    assert str(caught.value) == (
        f'store "{store.path}" cannot be compacted inside a reading or writing block, which keeps its connection '
        "open. Compact after the block."
    )
    with store.reading() as held:
        before = snapshot(held)
        for write in (lambda: held.append(said("alice", "open", "2024-02-01")), held.writing().__enter__):
            with pytest.raises(StoreError) as caught:
                write()
            assert str(caught.value) == (
                f'store "{store.path}" is held read-only by Store.reading(). Write after the block, or hold the store '
                "with Store.writing() instead."
            )
        assert snapshot(held) == before


FEBRUARY = [f"2024-02-{day:02d}" for day in range(1, 21)]
"""Twenty days to append an event on, one a day."""


def test_threads_sharing_a_writing_block_take_turns_on_its_connection(store):
    """One connection serves every thread that calls the Store while a block holds it, one call at a time."""

    def append_days(actor: str) -> list[str]:
        return [store.append(said(actor, "open", day)).event_ids[0] for day in FEBRUARY]

    with store.writing(), ThreadPoolExecutor(max_workers=3) as pool:
        appended = list(pool.map(append_days, ["alice", "bob", "carol"]))
        counted = len(store.events())
    assert counted == 60
    assert store.sql("select actor_id, list(event_id order by seq) from events group by 1 order by 1").tuples() == [
        ("alice", appended[0]), ("bob", appended[1]), ("carol", appended[2])
    ]  # fmt: skip
    assert [(r.actor_id, r.since) for r in store.stance_as_of("2024-03-01")] == [
        ("alice", date(2024, 2, 1)), ("bob", date(2024, 2, 1)), ("carol", date(2024, 2, 1))
    ]  # fmt: skip
    assert store.verify().ok


def test_a_thread_reads_while_another_appends(store):
    """DuckDB opens a file once per process for each access mode: a reader and a writer thread wait for each other."""
    done, answers = threading.Event(), []

    def read_until_done() -> None:
        while not done.is_set():
            answers.append([(r.actor_id, r.stance) for r in store.stance_as_of("2024-03-01")])

    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(read_until_done)
        try:
            appended = [store.append(said("alice", ("open", "supports")[i % 2], day))
                        for i, day in enumerate(FEBRUARY)]  # fmt: skip
        finally:
            done.set()
        reading.result()
    assert [a.head_seq for a in appended] == list(range(1, 21))
    assert len(answers) > 0
    assert set(map(tuple, answers)) <= {(), (("alice", "open"),), (("alice", "supports"),)}
    assert [(r.actor_id, r.stance) for r in store.stance_as_of("2024-03-01")] == [("alice", "supports")]
    assert store.verify().ok


def test_a_second_store_object_waits_for_a_writing_block_then_gives_up(store):
    other = Store(store.path, lock_timeout=0.3)
    with store.writing():
        with pytest.raises(StoreLocked) as caught:
            other.verify()
    assert str(caught.value) == (
        f'store "{store.path}" is locked by another connection in this process (waited 0.3 s). DuckDB lets one '
        "process write a file at a time: wait for it to finish or stop it, then try again."
    )
    assert other.verify().ok


@pytest.fixture
def immutable():
    """Make a path immutable with chattr, which even root cannot write through; undone after the test."""
    made = []

    def make(path: Path) -> None:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here (it needs root and a file system that keeps the flag), so a "
                        "path the store cannot write cannot be made")  # fmt: skip
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


APPEND = ("append", "--actor", "alice", "--topic", "troops", "--stance", "open", "--date", "2024-03-01", "--source",
          "paper-a", "--summary", "Again.")  # fmt: skip


UNWRITABLE = {
    "folder": 'store "{path}" cannot be written: its folder "{folder}" is not writable (Operation not permitted), and '
              "nothing was written. Make the folder writable, or copy the store to one that is.",
    "file": 'store "{path}" cannot be opened for writing: Operation not permitted. Check the file\'s permissions: it '
            "must be writable to import or append (reading commands still work).",
}  # fmt: skip


@pytest.mark.parametrize("frozen", UNWRITABLE)
def test_a_store_that_cannot_be_written_says_which_part_and_is_left_as_it_was(tmp_path, cli, immutable, frozen):
    folder = tmp_path / "team"
    folder.mkdir()
    path = folder / "t.duckdb"
    store = Store.open(path)
    store.append_many([*REGISTRY, said("bob", "opposes", "2024-02-01")])
    before = snapshot(store)
    immutable(folder if frozen == "folder" else path)
    message = UNWRITABLE[frozen].format(path=path, folder=folder)
    assert cli(*APPEND, db_path=path) == (1, "", f"Error: {message}\n")
    assert snapshot(store) == before  # and reading still works
    assert cli("stance", "--as-of", "2024-03-10", "--format", "csv", db_path=path)[0] == 0


def test_a_large_import_logs_its_lines_in_file_order_and_chains_them(tmp_path):
    """Large enough for DuckDB to read, stage and fetch the ids on every thread (several row groups): the log still
    takes the lines in the order of the file, and its chain verifies."""
    store = Store.open(tmp_path / "large.duckdb")
    assert store.import_paths([big_import(tmp_path, 300_000)]).added == 300_000
    out_of_order = "select count(*) from events where summary <> 'Statement ' || (seq - 1)"
    assert store.sql(out_of_order).tuples() == [(0,)]
    outcome = store.verify()
    assert (outcome.ok, outcome.count) == (True, 300_000)
