"""The team store: a lake (DuckLake, its catalog in PostgreSQL, its data in Parquet) answers as a file store does,
takes many writers at once with nothing lost or logged twice, and keeps its log tamper-evident. Every test runs on a
real PostgreSQL cluster the tests start (conftest.postgres)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta

import duckdb
import pyarrow.dataset
import pytest
from click.testing import CliRunner

from conftest import REGISTRY, ROOT, Clock, said
from timeline import Event, Store
from timeline.cli import main
from timeline.errors import StoreBusy, StoreError, StoreMissing
from timeline.store import lake as lakes
from timeline.store.sql import statement

SAMPLE = ROOT / "events"
ARTICLES = sorted((SAMPLE / "articles").glob("*.jsonl"))


def run(db, *args: str, data_path=None):
    extra = ["--data-path", str(data_path)] if data_path else []
    result = CliRunner().invoke(main, ["--db", str(db), *extra, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def load_sample(store: Store, clock: Clock) -> None:
    """The sample, one article a day, then a correction and a retraction: several known_at values to ask at."""
    store.import_paths([SAMPLE / "actors.jsonl", SAMPLE / "topics.jsonl", SAMPLE / "memberships.jsonl"])
    for article in ARTICLES:
        clock.advance(days=1)
        store.import_paths([article])
    store.import_paths([SAMPLE / "texts"])
    clock.advance(days=1)
    macron = store.sql("select event_id, source_id from events where actor_id = 'emmanuel-macron' order by seq").tuples()
    store.append(Event(actor="emmanuel-macron", topic="ground-troops-to-ukraine", stance="rules_out",
                       date="2024-02-26", source=macron[0][1], summary="Coded again: he ruled it out that day.",
                       supersedes=macron[0][0], correction_reason="reclassification"))  # fmt: skip
    clock.advance(days=1)
    store.append(Event(actor="emmanuel-macron", topic="ground-troops-to-ukraine", stance="open", date="2024-02-26",
                       source=macron[1][1], summary="Withdrawn.", supersedes=macron[1][0],
                       correction_reason="retraction"))  # fmt: skip


def test_every_command_answers_on_a_lake_as_on_a_file(lake, tmp_path):
    target, data = lake
    file_db = tmp_path / "file.duckdb"
    assert run(target, "init", data_path=data) == (0, f'store "{target}" ready at schema version 10\n', "")
    for db in (file_db, target):
        code, out, _ = run(db, "import", str(SAMPLE))
        assert (code, out.split(";")[0]) == (0, "imported 51 new events (0 already present), 57 registry entries "
                                                "(0 already present), 5 archived texts")  # fmt: skip
    asked = [
        ("stance", "--as-of", "2024-03-10"), ("stance", "--as-of", "2024-10-05", "--include-reported"),
        ("stance", "--as-of", "2024-03-10", "--known-at", "2000-01-01"), ("claims", "--as-of", "2024-10-05"),
        ("groups", "--as-of", "2024-03-10", "--group", "france"), ("changes",), ("history", "emmanuel-macron"),
        ("actors",), ("sources",), ("topics",), ("reread",),
        ("sql", "select kind, count(*) as n from events group by kind order by kind"),
    ]  # fmt: skip
    for args in asked:
        on_file = run(file_db, *args, "--format", "csv")
        empty = "--known-at" in args or args == ("reread",)  # known before anything was recorded; nothing drifted
        assert on_file[0] == 0 and (on_file[1].count("\n") == 1) == empty, args
        on_lake = run(target, *args, "--format", "csv")
        assert (on_lake[0], unrecorded(on_lake[1]), on_lake[2]) == (0, unrecorded(on_file[1]), ""), args
    code, out, _ = run(target, "append", "--actor", "emmanuel-macron", "--topic", "ground-troops-to-ukraine",
                       "--stance", "rules_out", "--date", "2024-10-04", "--source", "paris-not-ruling-out-"
                       "2024-10-04", "--summary", "A later word.")  # fmt: skip
    assert code == 0 and re.fullmatch(r"[0-9a-f]{16}\n", out)
    code, out, _ = run(target, "stance", "--as-of", "2024-10-05", "--actor", "emmanuel-macron", "--topic",
                       "ground-troops-to-ukraine", "--format", "json")  # fmt: skip
    assert [row["stance"] for row in json.loads(out)] == ["rules_out"]
    code, out, _ = run(target, "verify")
    assert code == 0 and out.startswith("OK 52 events, head seq 52 hash ")
    assert run(target, "export", "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"))[0] == 0
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 52 + 57 + 5


def unrecorded(text: str) -> list[dict]:
    """A command's CSV without the columns that say when this store recorded each event (two stores differ there)."""
    return [{k: v for k, v in row.items() if k not in ("recorded_at", "hash")} for row in csv.DictReader(io.StringIO(text))]


def test_a_lake_gives_the_same_answer_as_a_file_to_every_question(lake, tmp_path):
    target, data = lake
    file_clock, lake_clock = Clock(), Clock()
    on_file = Store.open(tmp_path / "file.duckdb", clock=file_clock)
    on_lake = Store.open(target, data_path=data, clock=lake_clock)
    load_sample(on_file, file_clock)
    load_sample(on_lake, lake_clock)
    assert on_lake.verify().head_hash == on_file.verify().head_hash  # the same events, recorded at the same times
    days = [date(2024, 2, 1) + timedelta(days=n) for n in range(0, 280, 14)]
    known = [None, *(datetime(2024, 5, 1, 12) + timedelta(days=n) for n in range(0, 9, 2))]
    asked = 0
    with on_file.reading(), on_lake.reading():  # one connection each for the 360 questions, as a script would hold
        for day in days:
            for known_at in known:
                for question in ("stance_as_of", "claims_as_of", "group_stance_as_of"):
                    answers = [getattr(s, question)(day, known_at=known_at).tuples() for s in (on_file, on_lake)]
                    assert sorted(answers[0], key=repr) == sorted(answers[1], key=repr), (question, day, known_at)
                    asked += bool(answers[0])
    assert asked > 250  # most questions have an answer to compare
    for question in ("select * from stance_periods", "select * from stance_changes", "select * from claims",
                     "select * from effective_events", "select * from timeline",
                     "from reported_stance_as_of('2024-10-05')"):  # fmt: skip
        assert sorted(on_lake.sql(question).tuples(), key=repr) == sorted(on_file.sql(question).tuples(), key=repr)
    assert on_lake.history("emmanuel-macron").tuples() == on_file.history("emmanuel-macron").tuples()
    assert on_lake.stance_as_of("2024-03-10", actor="emmanuel-macron").tuples()[0][3] == "rules_out"  # corrected
    for lines in ("log_lines", "timelinejs_slides"):  # what the exports write, made by DuckDB on each
        assert list(getattr(on_lake, lines)()) == list(getattr(on_file, lines)()), lines
    written = [store.copy_events(tmp_path / name, "format csv, header true")  # rows streamed to DuckDB's writer
               for store, name in ((on_lake, "lake.csv"), (on_file, "file.csv"))]  # fmt: skip
    assert written == [on_file.count_events()] * 2 and written[0] > 50
    assert (tmp_path / "lake.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()


def test_four_imports_of_overlapping_files_at_once_log_each_event_once(lake, tmp_path):
    target, data = lake
    assert run(target, "init", data_path=data)[0] == 0
    assert run(target, "import", str(SAMPLE / "actors.jsonl"), str(SAMPLE / "topics.jsonl"))[0] == 0
    shares = [[*ARTICLES[n : n + 3], SAMPLE / "memberships.jsonl"] for n in range(3)] + [[SAMPLE]]
    outcomes = at_once(target, shares)
    added = sum(int(re.match(r"imported (\d+) new events", out).group(1)) for out in outcomes)
    assert added == 51
    at_once(target, [[SAMPLE / "texts"]] * 4)
    store = Store.open(target)
    assert store.sql("select count(*), count(distinct event_id), max(seq) from events").tuples() == [(51, 51, 51)]
    assert store.sql("select count(*), count(distinct source_id) from source_texts").tuples() == [(5, 5)]
    assert store.sql("select count(*) from memberships").tuples() == [(17,)]
    assert store.verify().ok


def at_once(target: str, shares: list[list]) -> list[str]:
    """Run one `timeline import` process per share of paths, all at once; what each printed."""
    command = [sys.executable, "-m", "timeline.cli", "--db", target, "--wait", "300", "import"]  # each waits its turn
    writers = [subprocess.Popen([*command, *map(str, paths)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for paths in shares]  # fmt: skip
    outcomes = [(w.wait(timeout=300), w.stdout.read(), w.stderr.read()) for w in writers]
    failed = [err for code, _, err in outcomes if code]
    assert not failed, "\n".join(failed)
    return [out for _, out, _ in outcomes]


def test_a_write_that_another_writer_beat_is_done_again_and_lands_once(lake):
    target, data = lake
    Store.open(target, data_path=data).append_many(REGISTRY)
    rival = raw(target)  # a writer that does not wait for the turn, as a hand-written one might not
    beaten = []

    def clock():  # called inside the append's transaction: the rival commits first, once
        if not beaten:
            beaten.append(True)
            rival.execute("update tampered.timeline_internal.turn set turns = turns + 1")
        return datetime(2024, 5, 1, 12)

    turns = rival.execute("select turns from tampered.timeline_internal.turn").fetchone()[0]
    store = Store.open(target, clock=clock)
    result = store.append(said("alice", "open", "2024-03-01"))
    assert (result.added, result.head_seq) == (1, 1)
    assert store.sql("select actor_id, seq from events order by seq").tuples() == [("alice", 1)]
    assert store.sql("select turns from timeline_internal.turn").tuples() == [(turns + 2,)]
    assert store.verify().ok


def test_a_writer_beaten_until_its_time_runs_out_says_so_and_writes_nothing(lake):
    target, data = lake
    Store.open(target, data_path=data).append_many(REGISTRY)
    rival = raw(target)

    def clock():  # every try, the rival commits first
        rival.execute("update tampered.timeline_internal.turn set turns = turns + 1")
        return datetime(2024, 5, 1, 12)

    store = Store.open(target, clock=clock, lock_timeout=2)
    with pytest.raises(StoreBusy) as refused:
        store.append(said("alice", "open", "2024-03-01"))
    message = re.fullmatch(
        rf'lake "{re.escape(target)}": other writers committed first on each of its (\d+) tries over 2 s, and '
        r"nothing of this write was written\. Try again; with many writers at once, write fewer, larger batches\.",
        str(refused.value),
    )
    assert message and int(message.group(1)) >= 3, str(refused.value)  # how many fit in 2 s hangs on the load
    assert store.sql("select count(*) from events where actor_id = 'alice'").tuples() == [(0,)]
    assert store.verify().ok


def test_a_writer_waits_for_the_turn_and_says_so_when_it_is_held_past_its_time(lake):
    target, data = lake
    Store.open(target, data_path=data).append_many(REGISTRY)
    holder = raw(target)
    holder.execute("begin")
    holder.execute(statement("wait_for_turn").replace("__ducklake_metadata_lake", "__ducklake_metadata_tampered"),
                   [1000])  # fmt: skip
    store = Store.open(target, lock_timeout=1)
    with pytest.raises(StoreBusy) as refused:
        store.append(said("alice", "open", "2024-03-01"))
    assert str(refused.value) == (
        f'lake "{target}": another writer held the turn to write for all of 1 s, and nothing of this write was '
        "written. Try again once it is done; with many writers at once, write fewer, larger batches."
    )
    holder.execute("rollback")
    assert store.sql("select count(*) from events").tuples() == [(0,)]
    assert store.append(said("alice", "open", "2024-03-01")).added == 1


def raw(target: str):
    """A plain DuckDB connection to the lake, as anyone with the catalog's password could open one."""
    con = duckdb.connect()
    lakes.load_extensions(con)
    con.execute(f"attach '{target}' as tampered")
    return con


@pytest.mark.parametrize(
    ("tampering", "expected"),
    [
        ("update tampered.events set summary = 'Said nothing.' where seq = 3", "verify failed at seq 3: "),
        ("delete from tampered.events where seq = 2", "verify failed at seq 3: "),
        ("delete from tampered.events where seq = 5",
         "verify failed: the lake's last commit left its log at seq 5 (hash {head}), but it ends at seq 4, whose "
         "chain is intact up to seq 4. Events were cut from its end"),
    ],
    ids=["update", "delete", "delete-last"],
)  # fmt: skip
def test_verify_catches_a_raw_update_or_delete_on_the_lakes_tables(lake, clock, tampering, expected):
    target, data = lake
    store = Store.open(target, data_path=data, clock=clock)
    store.append_many([*REGISTRY, *(said("alice", "open", f"2024-03-0{n}") for n in range(1, 6))])
    head = store.verify().head_hash
    raw(target).execute(tampering)
    code, _, err = run(target, "verify")
    assert code == 1 and err.startswith("Error: " + expected.format(head=head)), err


def test_a_lake_moves_to_a_file_and_back_through_a_jsonl_export(lake, tmp_path, clock):
    target, data = lake
    first = Store.open(tmp_path / "first.duckdb", clock=clock)
    load_sample(first, clock)
    assert run(tmp_path / "first.duckdb", "export", "--format", "jsonl", "-o", str(tmp_path / "a.jsonl"))[0] == 0
    assert run(target, "import", str(tmp_path / "a.jsonl"), data_path=data)[0] == 0
    assert run(target, "export", "--format", "jsonl", "-o", str(tmp_path / "b.jsonl"))[0] == 0
    back = tmp_path / "back.duckdb"
    assert run(back, "import", str(tmp_path / "b.jsonl"))[0] == 0
    on_lake, on_back = Store.open(target), Store.open(back)
    for store in (on_lake, on_back):
        assert store.verify().head_hash == first.verify().head_hash
        for day in ("2024-03-10", "2024-10-05"):
            assert store.stance_as_of(day).tuples() == first.stance_as_of(day).tuples()
            assert store.claims_as_of(day).tuples() == first.claims_as_of(day).tuples()
    events = "select * exclude (recorded_at) from timeline order by seq"
    assert on_lake.sql(events).tuples() == on_back.sql(events).tuples() == first.sql(events).tuples()


def test_compact_merges_a_quiet_lakes_files_and_refuses_while_it_is_written(lake, tmp_path, clock):
    target, data = lake
    store = Store.open(target, data_path=data, clock=clock)
    store.append_many(REGISTRY)
    for n in range(1, 21):  # one small file, or rows in the catalog, per append
        store.append(said("alice", "open" if n % 2 else "rules_out", f"2024-02-{n:02d}"))
    with pytest.raises(StoreError, match=r'^lake "[^"]+" was written \d+ s ago\. Compact runs only while no one '
                                         r"writes: stop the writers, and run it once the lake has been idle for 60 s\.$"):  # fmt: skip
        store.compact()
    before = store.stance_as_of("2024-03-15").tuples(), store.verify()
    store.compact(quiet_for=0, expire_before=datetime.now())
    assert (store.stance_as_of("2024-03-15").tuples(), store.verify()) == before
    assert store.sql("select count(*) from events").tuples() == [(20,)]
    log = pyarrow.dataset.dataset(data / "main" / "events", format="parquet").to_table().to_pandas()  # as others read it
    assert (len(log), log["seq"].max(), log["actor_id"].unique().tolist()) == (20, 20, ["alice"])
    code, out, _ = run(target, "compact", "--quiet-for", "0", "--expire-before", "2999-01-01")
    assert code == 0 and re.fullmatch(rf'compacted "{re.escape(target)}": [\d,]+ bytes before, [\d,]+ after\n', out)
    assert store.stance_as_of("2024-03-15").tuples() == before[0]
    assert run(tmp_path / "file.duckdb", "init")[0] == 0
    code, _, err = run(tmp_path / "file.duckdb", "compact", "--expire-before", "2024-01-01")
    assert (code, err.splitlines()[-1]) == (2, "Error: Invalid value for --expire-before: a file store keeps no "
                                               "snapshots; it applies to a lake only.")  # fmt: skip


def test_ad_hoc_sql_on_a_lake_reads_the_lake_and_nothing_else(lake, postgres):
    target, data = lake
    store = Store.open(target, data_path=data)
    assert store.sql("select count(*) from events").tuples() == [(0,)]
    with pytest.raises(StoreError, match=r'^ad-hoc SQL reads this store only, never files: "/etc/passwd" is refused'):
        store.sql("select * from read_csv('/etc/passwd')")
    elsewhere = postgres.target("postgres").removeprefix("ducklake:postgres:")
    with pytest.raises(StoreError) as refused:
        store.sql(f"select * from \"Postgres_Scan\"('{elsewhere}', 'pg_catalog', 'pg_database')")
    assert str(refused.value) == ('function "postgres_scan" is refused: ad-hoc SQL reads this store only, never '
                                  "another database. Query PostgreSQL with duckdb directly.")  # fmt: skip
    with pytest.raises(StoreError) as refused:
        store.sql(f"select * from query('select * from postgres_query(''__ducklake_metadata_lake'', ''select 1'')')")
    assert str(refused.value) == ('function "query" is refused: ad-hoc SQL runs as it is written, never from a '
                                  "string. Write the query itself.")  # fmt: skip


def test_a_memory_limit_reaches_a_lakes_connections_too(lake, tmp_path):
    """A lake's connections are DuckDB in memory with the lake attached; the limit is set on each as on a file's, and
    each writes out what does not fit in a folder of its own in the system's temp folder."""
    target, data = lake
    assert run(target, "init", data_path=data)[0] == 0
    limit = ("--memory-limit", "300MB")
    assert run(target, *limit, "import", str(SAMPLE))[0] == 0
    assert run(target, *limit, "verify")[1].startswith("OK 51 events")
    asked = ("sql", "select current_setting('memory_limit') as memory_limit", "--format", "csv")
    assert run(target, *limit, *asked) == (0, "memory_limit\n286.1 MiB\n", "")
    code, out, _ = run(target, "sql", "select current_setting('temp_directory') as folder", "--format", "csv")
    assert code == 0 and re.fullmatch(rf"folder\n{re.escape(tempfile.gettempdir())}/timeline-{os.getpid()}-\d+\.tmp\n", out)


def test_a_command_connects_to_a_lake_once_however_many_reads_it_makes(lake, tmp_path, monkeypatch):
    """Each connection to a lake loads two extensions and attaches the catalog (about 0.15 s): a command checks the
    store's schema and reads on one, however many tables it reads (a log export, a chart and a site read several);
    a write takes one more, a writer's."""
    target, data = lake
    assert run(target, "import", str(SAMPLE), data_path=data)[0] == 0
    connected = []
    connect = lakes.LakeConnections._connect
    monkeypatch.setattr(lakes.LakeConnections, "_connect",
                        lambda self, *, write: connected.append(write) or connect(self, write=write))  # fmt: skip
    for command in (["stance", "--as-of", "2024-03-10"], ["actors"], ["verify"],
                    ["export", "--format", "jsonl", "-o", str(tmp_path / "log.jsonl")],
                    ["chart", "--topic", "ground-troops-to-ukraine", "-o", str(tmp_path / "chart.svg")],
                    ["site", "-o", str(tmp_path / "site")]):  # fmt: skip
        connected.clear()
        assert run(target, *command)[0] == 0
        assert connected == [False], command
    connected.clear()
    code, out, _ = run(target, "append", "--actor", "france", "--topic", "ground-troops-to-ukraine", "--stance",
                       "open", "--date", "2024-02-27", "--source", "macron-stands-up-2024-02-27", "--summary", "s")  # fmt: skip
    assert (code, connected) == (0, [False, True])
    assert Store(target).sql("select max_by(event_id, seq) from events").tuples() == [(out.strip(),)]
    assert sum('"seq": ' in line for line in (tmp_path / "log.jsonl").open()) == 51


def test_a_stores_kept_connection_reads_what_other_writers_commit(lake, clock):
    """A lake's store keeps its connection between calls; each call still reads the lake as last committed."""
    target, data = lake
    reader, writer = Store(target, data_path=data), Store.open(target, data_path=data, clock=clock)
    writer.import_paths([SAMPLE])
    count = "select count(*) from events"
    assert reader.sql(count).tuples() == [(51,)]
    writer.append(said("france", "open", "2024-02-27", source="macron-stands-up-2024-02-27",
                       topic="ground-troops-to-ukraine"))  # fmt: skip
    assert reader.sql(count).tuples() == [(52,)]
    reader.close()
    assert reader.sql(count).tuples() == [(52,)]  # closed, it connects anew


FORKS = """
import os, sys
from timeline import Store
store = Store(sys.argv[1])
count = "select count(*) from actors"
print("parent", store.sql(count).tuples(), flush=True)
pid = os.fork()
if pid == 0:  # the child reads, then ends as a script does, the interpreter's finalization and all
    print("child", store.sql(count).tuples(), flush=True)
    sys.exit(0)
os.waitpid(pid, 0)
print("parent", store.sql(count).tuples(), flush=True)
"""


def test_a_process_that_forks_with_a_kept_connection_reads_on_and_so_does_its_child(lake):
    """Connections a lake's store keeps are closed before the process forks, so that the child does not share the
    parent's session with the catalog; each opens its own. (How the child exits is DuckDB's: a forked child that
    used DuckDB may crash at exit, kept connections or none; duckdb-python issue 292.)"""
    target, data = lake
    Store.open(target, data_path=data).append_many(REGISTRY)
    done = subprocess.run([sys.executable, "-c", FORKS, target], capture_output=True, text=True, timeout=60)
    assert done.stdout == "parent [(5,)]\nchild [(5,)]\nparent [(5,)]\n"


def test_a_lake_not_yet_created_is_named_with_how_to_create_it(postgres):
    target = postgres.lake("t_never_created")
    with pytest.raises(StoreMissing) as missing:
        Store.open(target, create=False)
    assert str(missing.value) == f"no lake at \"{target}\" yet. Create one with: timeline --db '{target}' --data-path DIR init"
    code, _, err = run(target, "init")
    assert (code, err) == (1, f'Error: lake "{target}" has not been created, and creating it needs a folder for its '
                              "data files. Give one with --data-path DIR (or TIMELINE_DATA_PATH).\n")  # fmt: skip


def test_a_lake_opened_with_another_data_folder_names_its_own(lake, tmp_path):
    target, data = lake
    assert run(target, "init", data_path=data)[0] == 0
    code, _, err = run(target, "append", "--actor", "x", "--topic", "y", "--stance", "open", "--date", "2024-01-01",
                       "--source", "z", "--summary", "s", data_path=tmp_path / "elsewhere")  # fmt: skip
    assert (code, err) == (1, f'Error: lake "{target}" keeps its data files in "{data}/", not in "{tmp_path}/elsewhere/" '
                              "given by --data-path. Leave --data-path out (the lake remembers its folder), or give "
                              "that one.\n")  # fmt: skip


def test_a_password_in_the_lakes_address_is_never_shown():
    assert lakes.shown("ducklake:postgres:dbname=x password=s3cret host=h") == "ducklake:postgres:dbname=x password=*** host=h"
