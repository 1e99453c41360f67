"""The `timeline` command, and the store as other DuckDB clients see it."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pytest
from conftest import ROOT, duckdb_client, registry_lines, run_python, run_timeline, said, write_jsonl

from timeline import Store
from timeline.cli import main
from timeline.errors import did_you_mean


@pytest.fixture
def sample_cli(cli):
    code, out, _ = cli("import", str(ROOT / "events"))
    assert code == 0 and out.startswith("imported ")
    return cli


def test_a_missing_store_at_the_default_path_is_created_without_naming_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["stance"])
    assert (result.exit_code, result.stderr) == (1, 'Error: no store at "timeline.duckdb". Create one with: timeline '
                                                 "init (or timeline import events/).\n")  # fmt: skip


def test_reading_a_missing_store_says_how_to_create_one(cli):
    assert cli("stance", "--as-of", "2024-03-01") == (
        1, "", f'Error: no store at "{cli.db}". Create one with: timeline --db {cli.db} init (or timeline --db {cli.db} import '
        "events/).\n"
    )  # fmt: skip


def test_reading_a_missing_store_from_python_says_the_same_and_creates_nothing(tmp_path):
    """A Store made without Store.open read through DuckDB's own words: "Cannot open database … in read-only mode"."""
    from timeline import StoreMissing

    path = tmp_path / "none.duckdb"
    with pytest.raises(StoreMissing) as refused:
        Store(path).stance_as_of("2024-03-01")
    assert str(refused.value) == (f'no store at "{path}". Create one with: timeline --db {path} init (or timeline --db {path} '
                                 "import events/).")
    assert list(tmp_path.iterdir()) == []


def test_a_store_path_under_home_is_the_one_duckdb_opens(tmp_path, cli, monkeypatch):
    """DuckDB expands "~" itself, so a quoted TIMELINE_DB="~/…" made the file while the tool looked for it elsewhere."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    migrations = len(list((ROOT / "queries" / "migrations").glob("*.sql")))
    made = f'store "{tmp_path}/home/notes.duckdb" ready at schema version {migrations}\n'
    assert cli("init", db_path="~/notes.duckdb") == (0, made, "")
    assert cli("init", db_path="~/notes.duckdb") == (0, made, "")
    assert cli("verify", db_path="~/notes.duckdb") == (0, f"OK 0 events, head seq 0 hash {'0' * 32}\n", "")
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["notes.duckdb"]


def test_a_path_to_a_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path, cli):
    events = tmp_path / "events.jsonl"
    events.write_text('{"type": "actor", "actor_id": "alice", "name": "Alice", "kind": "person"}\n')
    message = f'Error: "{events}" is not a store: it is not a DuckDB file. Give the path of a store such as timeline.duckdb, or a new path to create one.\n'
    for args in (("stance", "--as-of", "2024-03-01"), ("import", str(events)), ("verify",)):
        assert cli(*args, db_path=events) == (1, "", message), args
    assert events.read_text() == '{"type": "actor", "actor_id": "alice", "name": "Alice", "kind": "person"}\n'


def test_init_creates_an_empty_store(cli):
    assert cli("init") == (0, f'store "{cli.db}" ready at schema version {Store.latest_schema_version()}\n', "")
    assert cli("stance", "--as-of", "2024-03-01", "--format", "json") == (0, "[]\n", "")


def test_stance_as_json_and_csv_carry_the_documented_columns(sample_cli):
    _, out, _ = sample_cli("stance", "--as-of", "2024-03-10", "--actor", "emmanuel-macron", "--format", "json")
    rows = json.loads(out)
    assert [(r["topic_id"], r["stance"], r["since"], r["date_precision"], r["date_uncertain"], r["n_sources"])
            for r in rows] == [("ground-troops-to-ukraine", "open", "2024-02-01", "month", False, 5),
                               ("long-range-strikes-in-russia", "supports", None, "range", True, 1)]  # fmt: skip
    _, out, _ = sample_cli("stance", "--as-of", "2024-03-10", "--actor", "emmanuel-macron", "--format", "csv")
    assert next(csv.reader(io.StringIO(out))) == [
        "actor_id", "actor_name", "topic_id", "stance", "score", "since", "date_precision", "date_uncertain",
        "n_sources", "event_id", "quote", "summary", "source_id", "conditions", "confidence",
    ]  # fmt: skip


def test_stance_takes_phrases_and_known_at(sample_cli):
    by_phrase = sample_cli("stance", "--as-of", "10 March 2024", "--format", "csv")
    by_iso = sample_cli("stance", "--as-of", "2024-03-10", "--format", "csv")
    assert by_phrase == by_iso
    assert sample_cli("stance", "--as-of", "2024-03-10", "--known-at", "2000-01-01", "--format", "json") == (0, "[]\n", "")
    utc_today = datetime.now(timezone.utc).date().isoformat()
    today = sample_cli("stance", "--as-of", "today", "--format", "csv")
    assert today == sample_cli("stance", "--as-of", utc_today, "--format", "csv")
    assert today == sample_cli("stance", "--as-of", "2024-10-04", "--format", "csv")  # the sample's last word
    assert sample_cli("stance", "--format", "csv") == today  # "who holds what now?" needs no date
    groups_today = sample_cli("groups", "--as-of", utc_today, "--format", "csv")
    assert sample_cli("groups", "--format", "csv") == groups_today and groups_today[0] == 0


def test_include_reported_adds_claims_with_their_claimant(sample_cli):
    _, out, _ = sample_cli("stance", "--as-of", "2024-10-04", "--actor", "france", "--include-reported", "--format", "json")
    assert [(r["topic_id"], r["stance"], r["reported_by"], r["contradicts"]) for r in json.loads(out)] == [
        ("ground-troops-to-ukraine", "ambiguous", None, None),
        ("ground-troops-to-ukraine", "supports", "russia-svr", True),
        ("non-combat-presence-in-ukraine", "open", "le-monde", None),
        ("non-combat-presence-in-ukraine", "supports", "oleksandr-syrsky", None),
        ("non-combat-presence-in-ukraine", "supports", "sergey-lavrov", None),
    ]


def test_history_changes_claims_and_groups(sample_cli):
    _, out, _ = sample_cli("history", "nicolas-sarkozy", "--format", "json")
    assert [(r["date_text"], r["stance"], r["source_id"]) for r in json.loads(out)] == [
        ("in May", "opposes", "france-might-still-deploy-2024-10-02")
    ]
    _, out, _ = sample_cli("history", "emmanuel-macron", "--since", "2024-05-01", "--format", "json")
    assert [(r["date_text"], r["occurred_from"], r["occurred_to"]) for r in json.loads(out)] == [
        ("before 2024-10-04", None, "2024-10-03"), ("In June", "2024-06-01", "2024-06-30")
    ]  # fmt: skip
    _, out, _ = sample_cli("changes", "--format", "csv")
    assert out.splitlines()[1].startswith(
        "sebastien-lecornu,non-combat-presence-in-ukraine,2024-05-01,2024-05-31,month,open,1,supports,2,1,shift,"
    )
    assert sample_cli("changes", "--since", "2024-06-01", "--format", "csv") == (
        0, "actor_id,topic_id,changed_on,changed_by,date_precision,from_stance,from_score,to_stance,to_score,delta,"
           "change,event_id\n", "")  # fmt: skip
    _, out, _ = sample_cli("claims", "--subject", "joe-biden", "--format", "json")
    assert [(r["claimant_id"], r["claimed_stance"], r["occurred_from"]) for r in json.loads(out)] == [
        ("unnamed-sources", "opposes", "2024-06-01")
    ]
    _, out, _ = sample_cli("groups", "--as-of", "2024-10-04", "--group", "france", "--topic", "long-range-strikes-in-russia", "--format", "json")
    assert [(g["own_stance"], g["n_members"], g["max_score"], g["divided"]) for g in json.loads(out)] == [(None, 2, 2, False)]


UNKNOWN_IDS = [
    (("stance", "--as-of", "2024-03-10", "--actor", "olaf-sholz"), 'unknown actor "olaf-sholz". Did you mean "olaf-scholz"?'),
    (("stance", "--as-of", "2024-03-10", "--known-at", "2024-12-01", "--topic", "ground-troops"),
     'unknown topic "ground-troops". Did you mean "ground-troops-to-ukraine"?'),
    (("stance", "--as-of", "2024-03-10", "--include-reported", "--actor", "frnace"), 'unknown actor "frnace". Did you mean "france"?'),
    (("groups", "--as-of", "2024-03-10", "--group", "frnace"), 'unknown group "frnace". Did you mean "france"?'),
    (("groups", "--as-of", "2024-03-10", "--group", "olaf-scholz"),
     'unknown group "olaf-scholz". List them with: timeline sql "select distinct group_id from memberships".'),
    (("history", "nobody"), 'unknown actor "nobody". List them with: timeline actors.'),
    (("history", "olaf-scholz", "--topic", "long-range-strikes"), 'unknown topic "long-range-strikes". Did you mean "long-range-strikes-in-russia"?'),
    (("claims", "--subject", "joe-bidden"), 'unknown actor "joe-bidden". Did you mean "joe-biden"?'),
    (("claims", "--as-of", "2024-10-04", "--subject", "joe-bidden"), 'unknown actor "joe-bidden". Did you mean "joe-biden"?'),
    (("changes", "--topic", "xyz"), 'unknown topic "xyz". List them with: timeline topics.'),
    (("stance", "--as-of", "2024-03-10", "--actor", "Macron"), 'unknown actor "Macron". Did you mean "emmanuel-macron"?'),
    (("history", "Séjourné"), 'unknown actor "Séjourné". Did you mean "stephane-sejourne"?'),
    (("stance", "--as-of", "2024-03-10", "--topic", "ukraine"), 'unknown topic "ukraine". Did you mean "ground-troops-to-ukraine" or "non-combat-presence-in-ukraine"?'),
]  # fmt: skip


def test_a_hint_names_at_most_three_ids_that_hold_each_word_of_a_name():
    known = ["troops-to-ukraine", "presence-in-ukraine", "strikes-from-ukraine", "aid-for-ukraine-now", "kyiv"]
    assert did_you_mean("Ukraine", known) == 'Did you mean "aid-for-ukraine-now", "presence-in-ukraine" or "strikes-from-ukraine"?'
    assert did_you_mean("Kharkiv", known) is None


def test_a_mistyped_id_is_refused_where_its_empty_answer_would_read_as_silence(sample_cli):
    for args, message in UNKNOWN_IDS:
        assert sample_cli(*args, "--format", "json") == (1, "", f"Error: {message}\n"), args
    # An id the store holds, with nothing to say that day, is an empty answer: the check costs a query only then.
    assert sample_cli("stance", "--as-of", "2020-01-01", "--actor", "olaf-scholz", "--format", "json") == (0, "[]\n", "")
    assert sample_cli("history", "nicolas-sarkozy", "--topic", "long-range-strikes-in-russia") == (0, "no rows\n", "")


def test_registry_listings(sample_cli):
    _, out, _ = sample_cli("topics", "--format", "csv")
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == [  # sorted by id
        "ground-troops-to-ukraine", "long-range-strikes-in-russia", "non-combat-presence-in-ukraine"
    ]  # fmt: skip
    _, out, _ = sample_cli("sources", "--format", "json")
    assert sorted(s["published_on"] for s in json.loads(out)) == ["2024-02-27", "2024-03-04", "2024-03-08", "2024-10-02", "2024-10-04"]
    _, out, _ = sample_cli("actors", "--format", "json")
    assert {a["actor_id"]: a["kind"] for a in json.loads(out)}["russia-svr"] == "agency"


def test_listings_are_sorted_by_id(sample_cli):
    for listing, key in (("actors", "actor_id"), ("topics", "topic_id"), ("sources", "source_id")):
        ids = [row[key] for row in json.loads(sample_cli(listing, "--format", "json")[1])]
        assert ids == sorted(ids) and len(ids) > 2, listing


def test_an_undated_start_reads_as_undated_in_a_table_and_null_for_scripts(sample_cli):
    code, out, _ = sample_cli("stance", "--as-of", "1990-01-01", "--actor", "nato")
    assert code == 0
    assert out.splitlines()[2].split() == ["nato", "ground-troops-to-ukraine", "opposes", "-1", "undated", "range",
                                           "true", "1", "no", "troops", "on", "the", "ground", "in", "Ukraine"]  # fmt: skip
    assert json.loads(sample_cli("stance", "--as-of", "1990-01-01", "--actor", "nato", "--format", "json")[1])[0]["since"] is None
    assert "counts from the beginning of time: its since shows as undated" in " ".join(sample_cli("stance", "--help")[1].split())


def test_a_month_given_as_the_day_says_which_day_it_was_read_as(sample_cli):
    code, out, err = sample_cli("stance", "--as-of", "2024-03", "--actor", "olaf-scholz", "--format", "csv")
    assert (code, err) == (0, '--as-of 2024-03-31: "2024-03" is read as its last day\n')
    assert out == sample_cli("stance", "--as-of", "2024-03-31", "--actor", "olaf-scholz", "--format", "csv")[1]
    assert sample_cli("stance", "--as-of", "1 March 2024", "--actor", "olaf-scholz")[2] == ""


def test_a_groups_table_lists_who_stands_where_in_full(sample_cli):
    out = sample_cli("groups", "--as-of", "2024-03-10", "--group", "france", "--topic", "ground-troops-to-ukraine")[1]
    assert out.splitlines()[2].split() == [
        "france", "ground-troops-to-ukraine", "ambiguous", "3", "-1", "1", "0.33", "true", "emmanuel-macron", "open,",
        "sebastien-lecornu", "opposes,", "stephane-sejourne", "open",
    ]  # fmt: skip


def test_a_topics_table_shows_the_proposition_whole_and_cuts_the_scale(sample_cli):
    row = next(line for line in sample_cli("topics")[1].splitlines() if line.startswith("non-combat"))
    assert "(training, demining, cyber defence, arms production)." in row
    assert row.rstrip().endswith('[{"stance": "rules_out", "score": -2}, …')


def test_include_reported_labels_each_row_own_or_claimed(sample_cli):
    out = sample_cli("stance", "--as-of", "2024-10-04", "--actor", "france", "--topic", "ground-troops-to-ukraine",
                     "--include-reported", "--format", "csv")[1]  # fmt: skip
    rows = [(r["voice"], r["reported_by"], r["stance"]) for r in csv.DictReader(io.StringIO(out))]
    assert rows == [("own", "", "ambiguous"), ("claimed", "russia-svr", "supports")]


def test_table_output_is_readable(sample_cli):
    code, out, _ = sample_cli("stance", "--as-of", "2024-03-10", "--actor", "emmanuel-macron")
    assert code == 0
    assert "emmanuel-macron" in out and "ground-troops-to-ukraine" in out and "open" in out


def test_a_table_shows_the_text_as_written(store, cli):
    """Square brackets and colons are the writer's, not markup: "[sic]" is not a style, nor ":warning:" an emoji."""
    quote = "[sic] [/] [bold]no :warning:"
    store.append(said("alice", "open", "2024-02-01", quote=quote))
    code, out, _ = cli("history", "alice", db_path=store.path)
    header, rule, row = out.splitlines()
    assert code == 0 and row.split()[-len(quote.split()):] == quote.split()


def test_a_table_shows_control_characters_and_keeps_each_row_on_one_line(store, cli):
    """A quote's line break split its row in two, and an escape sequence in it reached the terminal as a command."""
    quote = "first\nsecond\tthird\r\x1b[31mred\x7f"
    store.append(said("alice", "open", "2024-02-01", quote=quote))
    code, out, _ = cli("history", "alice", db_path=store.path)
    header, rule, row = out.splitlines()
    assert code == 0 and row.split("paper-a")[1].strip() == "first second third \\x1b[31mred\\x7f"
    assert json.loads(cli("history", "alice", "--format", "json", db_path=store.path)[1])[0]["quote"] == quote


class Terminal(io.StringIO):
    """Output that says it is a terminal, as a person's shell does; its width comes from COLUMNS."""

    def isatty(self):
        return True


STANCE_COLUMNS = ["actor_id", "topic_id", "stance", "score", "since", "date_precision", "date_uncertain", "n_sources", "quote"]


@pytest.mark.parametrize(("screen", "quote_shown", "width"), [
    (200, "We will not send troops, not now and no…", 138),  # room to spare: free text is cut at 40
    (120, "We will not send troo…", 120),  # the quote gives way, and nothing else
    (60, "We will not…", 110),  # not even the rest fits: the lines wrap rather than lose a column
])  # fmt: skip
def test_a_table_on_a_narrow_terminal_narrows_free_text_and_hides_no_column(store, monkeypatch, screen, quote_shown, width):
    """Rich fitted a table to the screen by dropping columns: on 80 columns, stance, score and since were gone."""
    from timeline.output import render

    monkeypatch.setenv("COLUMNS", str(screen))
    monkeypatch.setenv("TERM", "xterm")
    store.append(said("alice", "open", "2024-02-01", quote="We will not send troops, not now and not in any future I see."))
    out = Terminal()
    render(store.stance_as_of("2024-03-01"), columns=STANCE_COLUMNS, out=out)
    header, rule, row = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()  # the header is bold
    assert header.split() == STANCE_COLUMNS and len(rule) == width
    assert row.rstrip() == f"alice      troops     open     1       2024-02-01   day              false            1           {quote_shown}"


def test_a_table_shows_its_first_rows_and_says_how_to_get_them_all(store, cli, monkeypatch):
    """A table is for people: rich takes over a millisecond a row, so one of half a million rows took six minutes."""
    from timeline import output

    monkeypatch.setattr(output, "TABLE_ROWS", 2)
    store.append_many([said("alice", "open", "2024-02-01"), said("alice", "opposes", "2024-02-02"),
                       said("alice", "open", "2024-02-03")])  # fmt: skip
    code, out, _ = cli("history", "alice", db_path=store.path)
    assert code == 0 and [line.split()[0] for line in out.splitlines()[2:]] == ["2024-02-01", "2024-02-02", "The"]
    assert out.splitlines()[-1] == "The first 2 of 3 rows. Narrow the question, or use --format csv or json for all of them."
    assert len(json.loads(cli("history", "alice", "--format", "json", db_path=store.path)[1])) == 3


def test_claims_known_at_needs_as_of(sample_cli):
    """--known-at alone was ignored without a word: every claim came back, recorded later or not."""
    code, out, err = sample_cli("claims", "--known-at", "2000-01-01")
    assert (code, out) == (2, "")
    assert err.endswith("Error: --known-at needs --as-of: the claims in force on that day, as the store stood then. "
                        "Add --as-of, e.g. --as-of 2024-10-04.\n")  # fmt: skip
    assert sample_cli("claims", "--as-of", "2024-10-04", "--known-at", "2000-01-01", "--format", "json") == (0, "[]\n", "")


def test_json_output_is_indented_one_space_as_before(sample_cli):
    """The JSON writer changed for speed; the text is still what json.dumps(indent=1) makes of the same rows."""
    for args in (("stance", "--as-of", "2024-10-04", "--include-reported"), ("groups", "--as-of", "2024-03-10"),
                 ("actors",), ("topics",), ("sql", "select * from events")):  # fmt: skip
        code, out, _ = sample_cli(*args, "--format", "json")
        assert code == 0 and out == json.dumps(json.loads(out), ensure_ascii=False, indent=1) + "\n", args


def test_json_and_csv_give_every_duckdb_type_a_form(store, cli):
    """Ad-hoc SQL can return types JSON lacks: a BLOB or a TIME ended in a traceback, a SUM (HUGEINT) came out as 3.0,
    an INTERVAL as "MonthDayNano(months=0, …)" in CSV, and infinity as JSON's invalid Infinity."""
    store.append_many([said("alice", "open", "2024-02-01"), said("bob", "supports", "2024-02-02")])
    query = ("select sum(score) as total, 1.50::decimal(4, 2) as ratio, 'ab'::blob as raw, '12:30'::time as at, "
             "interval 1 day + interval 90 minutes as took, [interval 2 months] as spans, 'inf'::double as far "
             "from events")  # fmt: skip
    code, out, _ = cli("sql", query, "--format", "json", db_path=store.path)
    assert (code, json.loads(out)) == (0, [{"total": 3, "ratio": 1.5, "raw": "6162", "at": "12:30:00",
                                            "took": "P0M1DT5400S", "spans": ["P2M0DT0S"], "far": None}])  # fmt: skip
    assert cli("sql", query, "--format", "csv", db_path=store.path) == (
        0, 'total,ratio,raw,at,took,spans,far\n3,1.5,6162,12:30:00,P0M1DT5400S,"[""P2M0DT0S""]",inf\n', ""
    )  # fmt: skip
    assert cli("sql", "select 1 as n, 2 as n", "--format", "csv", db_path=store.path) == (0, "n,n\n1,2\n", "")


def test_bad_option_is_a_usage_error(cli):
    code, _, err = cli("stance", "--as-of", "someday")
    assert code == 2
    assert err.endswith(
        'Error: Invalid value for \'--as-of\': date "someday" is not a date this tool can read. Write it as an ISO date '
        '(2024-03-10, 2024-03 or 2024) or a phrase that names its days, such as "1 March 2024" or "early March 2024".\n'
    )


def test_a_memory_limit_reaches_duckdb_on_each_connection(sample_cli, monkeypatch):
    sql = ("sql", "select current_setting('memory_limit') as memory_limit", "--format", "csv")
    assert sample_cli("--memory-limit", "256MB", *sql) == (0, "memory_limit\n244.1 MiB\n", "")
    monkeypatch.setenv("TIMELINE_MEMORY_LIMIT", "1GiB")
    assert sample_cli(*sql) == (0, "memory_limit\n1.0 GiB\n", "")


def test_a_command_that_runs_out_of_memory_says_so_and_leaves_the_store_as_it_was(sample_cli, tmp_path):
    """What DuckDB cannot fit under its limit is refused whole: an import is not half written."""
    before = sample_cli.db.read_bytes()
    code, out, err = sample_cli("--memory-limit", "1KB", "import", str(ROOT / "events"))
    assert (code, out) == (1, "")
    assert err.startswith(f'Error: store "{sample_cli.db}" ran out of memory (')
    assert err.endswith(OUT_OF_MEMORY)
    assert sample_cli.db.read_bytes() == before


OUT_OF_MEMORY = ("); the store is as it was. Allow DuckDB more with --memory-limit (env TIMELINE_MEMORY_LIMIT; "
                 "Store(memory_limit=...) in Python), or free memory on this machine.\n")  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_export_that_runs_out_of_memory_reading_the_store_says_so_in_its_own_words(sample_cli, tmp_path, fmt):
    """DuckDB's writer reads the store's rows as a stream of Arrow batches. Where reading them runs out of memory
    (under 2MB, once the first slice is under way), the writer gave that as its own 'Invalid Input Error:
    arrow_scan: get_next failed()' with a Python traceback in it; the export gives the store's error."""
    target = tmp_path / f"events.{fmt}"
    code, out, err = sample_cli("--memory-limit", "2MB", "export", "--format", fmt, "-o", str(target))
    assert (code, out) == (1, "")
    assert err.startswith(f'Error: store "{sample_cli.db}" ran out of memory (')
    assert err.endswith(OUT_OF_MEMORY)
    assert not target.exists()


def test_processes_that_write_work_out_under_a_memory_limit_each_keep_their_own_files(tmp_path):
    """DuckDB writes the work that does not fit under its limit to a temp directory, NAME.duckdb.tmp unless told
    otherwise, and two DuckDBs in one directory overwrite each other's files: of four verify runs at once on one
    store, some failed reading them back or crashed. Each process now writes out beside the store in a folder of its
    own, which DuckDB removes when it closes."""
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    sys.path.insert(0, str(ROOT / "scripts"))  # bench.py imports its neighbour, profiling.py
    try:
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    bench.generate(tmp_path / "feed.jsonl", 100_000)
    head = Store.open(tmp_path / "big.duckdb").import_paths([tmp_path / "feed.jsonl"]).head_hash
    verify = [sys.executable, "-m", "timeline.cli", "--db", "big.duckdb", "--memory-limit", "60MB", "verify"]
    runs = [subprocess.Popen(verify, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]  # fmt: skip
    outcomes = [(run.wait(), *run.communicate()) for run in runs]
    assert outcomes == [(0, f"OK 100000 events, head seq 100000 hash {head}\n", "")] * 4
    assert sorted(path.name for path in tmp_path.iterdir()) == ["big.duckdb", "feed.jsonl"]


@pytest.mark.parametrize(("limit", "reason"), [
    ("lots", "Memory must have a number (e.g. 1GB)"),
    ("4", "Unknown unit for memory: '' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for 1024^i "
          "units)"),
])  # fmt: skip
def test_a_memory_limit_duckdb_cannot_read_is_refused_before_a_store_is_made(cli, limit, reason):
    assert cli("--memory-limit", limit, "init") == (
        1, "", f'Error: memory limit "{limit}": {reason}. Give a size such as 4GB or 512MB.\n')
    assert not cli.db.exists()


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_ending_with_an_example(cli, name):
    code, out, _ = cli(name, "--help")
    lines = out.rstrip().splitlines()
    assert code == 0 and main.commands[name].help
    assert lines[-2].strip() == "Example:" and lines[-1].strip().startswith("timeline ")


def test_every_help_example_runs_on_the_sample(tmp_path, monkeypatch):
    """Each command's example, run as written (in a process of its own, as the `timeline` command runs) in a folder
    holding the sample's events/, exits 0."""
    shutil.copytree(ROOT / "events", tmp_path / "events")
    monkeypatch.delenv("TIMELINE_DB", raising=False)
    first = ["init", "import"]  # the store comes first; compact, which rewrites it, last
    for name in [*first, *(n for n in COMMANDS if n not in (*first, "compact")), "compact"]:
        text = main.commands[name].epilog.split("Example:")[1].strip()
        done = run_timeline(*shlex.split(text)[1:], cwd=tmp_path)
        assert done.returncode == 0, (text, done.stdout, done.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="runs the command on a pseudo-terminal (pty)")
def test_a_long_import_on_a_terminal_shows_each_step_and_prints_only_its_result(tmp_path):
    """An import of more than PROGRESS_BYTES shows on a terminal, on stderr, each step as it begins, where the
    bar once stood full from the files' last byte read to the commit; stdout keeps the one line a script reads."""
    import pty

    from timeline.output import PROGRESS_BYTES
    from timeline.store.log import STEPS

    line = {"actor": "alice", "topic": "troops", "stance": "open", "date": "last month", "source": "paper-a"}
    feed = write_jsonl(tmp_path / "feed.jsonl", *registry_lines(),
                       *(line | {"summary": f"Says it for the {n}th time, {'at length, ' * 20}and so on."} for n in range(12_000)))  # fmt: skip
    assert feed.stat().st_size > PROGRESS_BYTES
    terminal, its_end = pty.openpty()
    command = subprocess.Popen([sys.executable, "-m", "timeline.cli", "--db", str(tmp_path / "t.duckdb"), "import",
                                str(feed)], stdout=subprocess.PIPE, stderr=its_end, text=True,
                               env={**os.environ, "TERM": "xterm", "TTY_COMPATIBLE": "", "TTY_INTERACTIVE": ""})  # fmt: skip
    os.close(its_end)
    shown = b""
    while chunk := _read_terminal(terminal):
        shown += chunk
    os.close(terminal)
    out, _ = command.communicate(timeout=60)
    assert command.returncode == 0
    assert re.fullmatch(r"imported 12000 new events \(0 already present\), 13 registry entries \(0 already present\); "
                        r"head seq 12000 hash [0-9a-f]{32}\n", out)  # fmt: skip
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode())
    assert sorted(STEPS, key=lambda step: drawn.find(step)) == list(STEPS) and -1 not in map(drawn.find, STEPS)
    assert re.search(r"\rreading files ━+ +0% 0:00:00\r", drawn)  # its count, its clock


def _read_terminal(terminal: int) -> bytes:
    """What the command drew next on its terminal; nothing once it has closed it (Linux says EIO), or after a minute
    without a word, so that a command that hangs fails the test rather than holding it."""
    import select

    if not select.select([terminal], [], [], 60)[0]:
        return b""
    try:
        return os.read(terminal, 1 << 16)
    except OSError:
        return b""


def test_the_timeline_command_runs_as_where_pandas_is_not_installed(tmp_path, cli):
    """DuckDB and pyarrow import pandas when they can; the command's own process leaves it out."""
    code = naming_loaded("pandas")
    db = str(tmp_path / "own.duckdb")
    stance = ("stance", "--as-of", "2024-03-10", "--actor", "olaf-scholz", "--format", "csv")
    append = ("append", "--actor", "olaf-scholz", "--topic", "ground-troops-to-ukraine", "--stance", "open", "--date",
              "2024-03-08", "--source", "not-up-for-discussion-2024-03-08", "--summary", "A turn.")  # fmt: skip
    outputs = []
    for args in (("import", str(ROOT / "events")), append, stance):
        process = run_python(code, "--db", db, *args)
        out, err = process.communicate(timeout=60)
        assert (process.returncode, err) == (0, "[]\n"), args
        outputs.append(out)
    assert outputs[0].startswith("imported 51 new events (0 already present), 57 registry entries (0 already present)")
    assert outputs[2].splitlines()[1].startswith(f"olaf-scholz,Olaf Scholz,ground-troops-to-ukraine,open,1,2024-03-08,day,false,1,{outputs[1].strip()},")
    for args in (("import", str(ROOT / "events")), append):
        cli(*args)
    assert cli(*stance)[1] == outputs[2]


def naming_loaded(*heavy: str) -> str:
    """A `timeline` run, in Python code that prints to stderr which of the `heavy` packages it loaded, at exit."""
    return (
        "import atexit, sys\n"
        f"heavy = {heavy!r}\n"
        "atexit.register(lambda: print(sorted({m.partition('.')[0] for m in sys.modules} & set(heavy)), file=sys.stderr))\n"
        "from timeline.cli import run\n"
        "sys.argv = ['timeline', *sys.argv[1:]]\n"
        "run()\n"
    )


def test_a_reading_command_loads_neither_pyarrow_nor_pydantic_nor_dateparser(tmp_path, cli):
    """They take most of a command's start-up; a question asked of an existing store needs none of them."""
    code = naming_loaded("pyarrow", "numpy", "pydantic", "pydantic_core", "dateparser", "pandas")
    db = str(tmp_path / "cli.duckdb")
    cli("import", str(ROOT / "events"))
    questions = {
        ("stance", "--as-of", "2024-03-10", "--actor", "olaf-scholz"): "actor_id ",
        ("stance", "--as-of", "2024-03-10", "--format", "csv", "--known-at", "2024-12-01"): "actor_id,",
        ("claims", "--as-of", "2024-03-10", "--format", "csv"): "claimant_id,",
        ("groups", "--as-of", "2024-03-10", "--group", "france"): "group_id ",
        ("history", "emmanuel-macron", "--since", "2024-02-26"): "occurred_from ",
        ("changes",): "actor_id ",
        ("sql", "select count(*) as n from events"): "n ",
    }
    for args, starts in questions.items():
        process = run_python(code, "--db", db, *args)
        out, err = process.communicate(timeout=60)
        assert (process.returncode, err, out.lstrip()[: len(starts)]) == (0, "[]\n", starts), args
    for args, _ in questions.items():  # and the same answer as the command in this process, pyarrow and all
        assert run_python(code, "--db", db, *args).communicate(timeout=60)[0] == cli(*args)[1], args


def test_an_append_on_the_command_line_loads_no_pyarrow(tmp_path, cli):
    """pyarrow and numpy take a tenth of a second to load; one event appended, its quote found in its source's
    archived text, needs neither."""
    code = naming_loaded("pyarrow", "numpy", "pandas")
    db = str(tmp_path / "cli.duckdb")
    cli("import", str(ROOT / "events"))
    process = run_python(code, "--db", db, "append", "--actor", "emmanuel-macron", "--topic", "ground-troops-to-ukraine",
                         "--stance", "open", "--date", "2024-02-26", "--source", "macron-stands-up-2024-02-27",
                         "--summary", "Said again.", "--quote", "We will do whatever it takes")  # fmt: skip
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, "[]\n")
    logged = f"select seq, quote_start is not null from events left join timeline_internal.quote_spans using (event_id) " \
             f"where event_id = '{out.strip()}'"  # fmt: skip
    assert cli("sql", logged, "--format", "csv")[1] == "seq,(quote_start IS NOT NULL)\n52,true\n"


def test_top_level_help_documents_exit_codes(cli):
    code, out, _ = cli("--help")
    out = " ".join(out.split())
    assert code == 0 and "Exit status: 0 ok, 1 error (bad input, locked or missing store, failed verify), 2 usage." in out


def test_the_plain_duckdb_client_answers_from_a_store_made_by_timeline(sample_cli):
    out = duckdb_client(sample_cli.db, "select actor_id, stance, since from stance_as_of(DATE '2024-03-01')"
                                       " where topic_id = 'ground-troops-to-ukraine' and actor_id like 'e%'")  # fmt: skip
    assert out == "actor_id,stance,since\nemmanuel-macron,open,2024-02-01\n"


def test_pandas_reads_the_store_through_duckdb(sample_cli):
    with duckdb.connect(str(sample_cli.db), read_only=True) as con:
        frame = con.sql("from group_stance_as_of('2024-03-10') where group_id = 'france'").df()
    assert list(zip(frame["topic_id"], frame["divided"])) == [
        ("ground-troops-to-ukraine", True), ("long-range-strikes-in-russia", False), ("non-combat-presence-in-ukraine", False)
    ]  # fmt: skip


def test_the_plain_duckdb_client_reads_known_at_as_a_moment_in_utc(store, clock):
    """Recorded 12:00 and corrected 13:00 UTC: 14:30 in Paris (+02) is 12:30 UTC, before the correction. DuckDB's own
    cast to TIMESTAMP drops an offset, a TIMESTAMPTZ cast takes the client's TimeZone and refuses a time without
    seconds or with a space before its offset; a bare time is UTC."""
    original = store.append(said("alice", "supports", "2024-02-26")).event_ids[0]
    clock.advance(hours=1)
    store.append(said("alice", "open", "2024-02-26", supersedes=original, correction_reason="reclassification"))
    paris = "set TimeZone = 'Europe/Paris'; "
    ask = "select stance from stance_as_of('2024-03-01', known_at := {})"
    for setting, moment, stance in [
        ("", "'2024-05-01 14:30:00+02'", "supports"),
        ("", "'2024-05-01T12:30:00Z'", "supports"),
        ("", "'2024-05-01T14:30+02:00'", "supports"),  # no seconds, or a space before the offset, as Python reads them
        ("", "'2024-05-01 14:30:00 +02:00'", "supports"),
        ("", "'2024-05-01T12:30Z'", "supports"),
        ("", "'2024-05-01T14:59+02:00'", "supports"),
        ("", "'2024-05-01T15:30 +0200'", "open"),
        (paris, "TIMESTAMPTZ '2024-05-01 14:30:00+02'", "supports"),
        (paris, "TIMESTAMPTZ '2024-05-01 15:30:00+02'", "open"),
        (paris, "'2024-05-01 12:30'", "supports"),
        (paris, "TIMESTAMP '2024-05-01 13:30'", "open"),
        (paris, "DATE '2024-05-02'", "open"),
        ("", "null", "open"),
    ]:
        assert (moment, duckdb_client(store.path, setting + ask.format(moment))) == (moment, f"stance\n{stance}\n")
