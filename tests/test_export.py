"""Taking a timeline elsewhere: the chart, and exports that other tools read back."""

from __future__ import annotations

from dataclasses import replace

import hashlib
import json
import os
import re
import struct
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from conftest import POSIX_ONLY, ROOT, disk_full_at, run_timeline, said

from timeline import ExportError, InputError, Store, UnknownId
from timeline.chart import chart

FULL_DISK = "File too large. Nothing was written there; free space on its disk, or give a path on another.\n"
"""The end of an export's message when the system refuses its write: here a process limit on file sizes."""


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("export") / "sample.duckdb")
    store.import_paths([ROOT / "events"])
    return store


def rows_of(spec: dict) -> list[dict]:
    """A chart's rows: Vega-Lite keeps them under `datasets`, by the name its `data` gives."""
    return spec["datasets"][spec["data"]["name"]]


def test_chart_spec_has_a_lane_per_actor_and_the_documented_encodings(sample):
    spec = chart(sample, "ground-troops-to-ukraine", group="france", as_of=date(2024, 3, 10)).to_dict()
    values = rows_of(spec)
    assert spec["facet"]["row"]["field"] == "lane"
    assert spec["facet"]["row"]["sort"] == ["France", "Emmanuel Macron", "Stéphane Séjourné", "Sébastien Lecornu", "Benjamin Haddad"]
    assert {v["layer"] for v in values} == {"period", "point", "span", "claim", "as_of"}
    layers = {layer["transform"][0]["filter"]: layer for layer in spec["spec"]["layer"]}
    assert layers["datum.layer == 'span'"]["encoding"]["x2"]["field"] == "end"
    assert layers["datum.layer == 'claim'"]["mark"]["shape"] == "diamond"
    assert layers["datum.layer == 'period'"]["encoding"]["color"]["scale"]["domain"] == [-2, -1, 0, 1, 2]
    point = next(v for v in values if v["layer"] == "point" and v["lane"] == "Emmanuel Macron")
    assert (point["start"], point["quote"], point["precision"]) == (
        "2024-02-26", "We will do whatever it takes to ensure that Russia cannot win this war", "day"
    )  # fmt: skip
    tooltip = [t["field"] for t in layers["datum.layer == 'point'"]["encoding"]["tooltip"]]
    assert tooltip == ["date", "stance", "quote", "source", "precision"]
    svr = next(v for v in values if v["layer"] == "claim" and v["lane"] == "France")
    assert (svr["by"], svr["start"], svr["end"]) == ("russia-svr", "2024-07-01", "2024-08-01")


def test_a_stance_with_an_undated_start_fades_in_on_the_chart(sample):
    spec = chart(sample, "ground-troops-to-ukraine", actors=["nato", "germany"]).to_dict()
    shading = {lane: [(v["start"], v["fade"]) for v in rows_of(spec) if v["layer"] == "period" and
                      v["lane"] == lane] for lane in ("NATO", "Germany")}  # fmt: skip
    fades = [fade for _, fade in shading["NATO"]]
    assert fades == sorted(fades) and fades[0] < fades[-1] == 0.22 and len(fades) == 7  # six steps, then full
    assert [fade for _, fade in shading["Germany"]] == [0.22]  # a dated start is shaded whole from its day
    period = next(layer for layer in spec["spec"]["layer"] if layer["transform"][0]["filter"] == "datum.layer == 'period'")
    assert period["encoding"]["opacity"] == {"field": "fade", "scale": None, "type": "quantitative"}


def test_a_chart_ticks_each_month_or_every_few_months_at_most_a_dozen_times(sample):
    """A grid line each month over ten years hid the lanes behind 120 lines (and doubled the PNG)."""
    spans = [(None, None), (date(2015, 1, 1), date(2024, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31)),
             (date(2024, 1, 1), date(2025, 1, 1))]  # fmt: skip
    ticks = [chart(sample, "ground-troops-to-ukraine", start=start, end=end).to_dict()["config"]["axisX"]["tickCount"]
             for start, end in spans]  # fmt: skip
    assert [tick["step"] for tick in ticks] == [1, 12, 1, 2]  # the sample's 2024; 120 months; 12; 13
    assert {tick["interval"] for tick in ticks} == {"month"}


def test_chart_renders_a_png_of_sensible_size(sample, tmp_path, cli):
    code, out, _ = cli("import", str(ROOT / "events"))
    path = tmp_path / "chart.png"
    assert cli("chart", "--topic", "ground-troops-to-ukraine", "--group", "france", "--as-of", "2024-03-10",
               "-o", str(path)) == (0, f"wrote {path}\n", "")  # fmt: skip
    header = path.read_bytes()[:24]
    width, height = struct.unpack(">II", header[16:24])
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and 1200 <= width <= 2400 and 400 <= height <= 1600


@POSIX_ONLY
def test_a_chart_the_system_cannot_write_says_so_and_leaves_the_earlier_one(tmp_path, cli):
    cli("import", str(ROOT / "events"))
    missing = tmp_path / "missing" / "chart.png"
    assert cli("chart", "--topic", "ground-troops-to-ukraine", "-o", str(missing)) == (
        1, "", f'Error: cannot write "{missing}": the directory "{missing.parent}" does not exist. Create it first.\n')
    (tmp_path / "chart.html").write_text("an earlier chart")
    done = run_timeline("--db", str(cli.db), "chart", "--topic", "ground-troops-to-ukraine", "-o", "chart.html",
                        cwd=tmp_path, preexec_fn=disk_full_at(2048))  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f'Error: cannot write "chart.html": {FULL_DISK}')
    assert (tmp_path / "chart.html").read_text() == "an earlier chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.html", "cli.duckdb"]


def test_chart_html_works_offline(sample, tmp_path):
    from timeline.chart import save

    path = tmp_path / "chart.html"
    save(chart(sample, "long-range-strikes-in-russia"), path)
    html = path.read_text()
    assert "vegaEmbed" in html and "<script src=\"http" not in html and "cdn.jsdelivr" not in html


def test_a_chart_describes_each_statement_to_a_screen_reader_and_hides_the_shading(sample, tmp_path):
    from timeline.chart import save

    path = tmp_path / "chart.svg"
    save(chart(sample, "ground-troops-to-ukraine", group="france"), path)
    svg = path.read_text()
    hidden = re.findall(r'<g class="mark-(\w+) role-mark child_layer_(\d)_marks" aria-hidden="true">', svg)
    assert sorted(set(hidden)) == [("rect", "0"), ("rule", "1")]  # shading and steps, in each of the five lanes
    assert "claimed by: russia-svr; date: 2024-07-01 to 2024-07-31 (\u201cIn July\u201d)" in svg  # a claim is described


def test_chart_refuses_an_unknown_file_type(cli):
    code, _, err = cli("chart", "--topic", "x", "-o", "chart.pdf")
    assert code == 2 and 'Error: Invalid value for --output: "chart.pdf" has an unknown type. Use .html, .png or .svg.' in err


def test_chart_refuses_a_topic_or_lane_the_store_does_not_hold(sample):
    with pytest.raises(UnknownId, match='^unknown topic "ground-troop". Did you mean "ground-troops-to-ukraine"[?]$'):
        chart(sample, "ground-troop")
    with pytest.raises(UnknownId, match='^unknown actor "olaf-sholz". Did you mean "olaf-scholz"[?]$'):
        chart(sample, "ground-troops-to-ukraine", actors=["olaf-scholz", "olaf-sholz"])


def test_chart_lanes_may_be_listed_with_spaces(tmp_path, cli):
    """ "emmanuel-macron, france", as people type a list, was refused: unknown actor " france"."""
    cli("import", str(ROOT / "events"))
    path = tmp_path / "chart.svg"
    args = ("chart", "--topic", "ground-troops-to-ukraine", "--actors", "emmanuel-macron, france,", "-o", str(path))
    assert cli(*args) == (0, f"wrote {path}\n", "")
    svg = path.read_text()
    assert "Emmanuel Macron" in svg and "France" in svg and "Olaf Scholz" not in svg


def test_chart_refuses_a_window_that_ends_before_it_starts(sample, tmp_path, cli):
    """--from after --to drew an empty chart without a word; so did --to before the topic's first event."""
    with pytest.raises(InputError) as refused:
        chart(sample, "ground-troops-to-ukraine", start=date(2024, 5, 1), end=date(2024, 3, 1))
    assert str(refused.value) == "the chart would start on 2024-05-01 and end on 2024-03-01. Give a start on or before its end."
    cli("import", str(ROOT / "events"))
    path = tmp_path / "chart.svg"
    assert cli("chart", "--topic", "ground-troops-to-ukraine", "--to", "2023-12-31", "-o", str(path)) == (
        1, "", "Error: the chart would start on 2024-02-01 and end on 2023-12-31. Give a start on or before its end.\n"
    )  # fmt: skip
    assert not path.exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "timelinejs"])
def test_an_export_of_an_unknown_topic_is_refused_and_writes_nothing(sample, tmp_path, fmt):
    from timeline.export import export

    with pytest.raises(UnknownId, match='^unknown topic "ground-trops". Did you mean "ground-troops-to-ukraine"[?]$'):
        export(sample, fmt, tmp_path / "out", topic="ground-trops")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet", "timelinejs"])
def test_an_export_read_a_slice_of_seqs_at_a_time_writes_what_one_read_writes(sample, tmp_path, monkeypatch, fmt):
    """Events reach csv, parquet and TimelineJS a few seqs at a time (reads.SLICE, 250k), csv and parquet a batch of
    rows at a time (reads.BATCH, 100k): slices of 7 in batches of 3 write the same files, byte for byte (as parquet's
    rows), with the same count, the title's included."""
    from timeline.export import export
    from timeline.store import reads

    def written(name: str) -> tuple[int, list]:
        count = export(sample, fmt, tmp_path / name, topic="ground-troops-to-ukraine", as_of=date(2024, 3, 10))
        if fmt == "parquet":
            return count, ds.dataset(tmp_path / name, partitioning="hive").to_table().sort_by("seq").to_pylist()
        return count, (tmp_path / name).read_text().splitlines()

    whole = written("whole")
    monkeypatch.setattr(reads, "SLICE", 7)
    monkeypatch.setattr(reads, "BATCH", 3)  # csv and parquet stream each slice to the writer in batches
    assert written("sliced") == whole and whole[0] == 26
    if fmt == "timelinejs":
        assert whole[1][1] == ' "title": {"text": {"headline": "Positions on ground-troops-to-ukraine", "text": "26 sourced events from stance-timeline."}},'
    assert sample.count_events(topic="ground-troops-to-ukraine", as_of="2024-03-10") == whole[0]


@pytest.mark.parametrize(("options", "topic"), [("format csv, header true", None),
                                                ("format csv, header true", "ground-troops-to-ukraine"),
                                                ("format csv, header false", None), ("format csv", None)])
def test_a_csv_export_under_a_memory_limit_written_a_part_at_a_time_writes_what_one_copy_writes(
        sample, tmp_path, monkeypatch, options, topic):  # fmt: skip
    """Under a memory limit a CSV export is written reads.PART seqs to a COPY (DuckDB's CSV writer holds its rows
    past the limit until a COPY ends), each part after the first appended less its header: parts of 14 seqs, read
    in slices of 7, write the same file byte for byte as one COPY, with and without a header, and leave no part."""
    from timeline.store import reads

    whole = sample.copy_events(tmp_path / "whole.csv", options, topic=topic)
    monkeypatch.setattr(reads, "SLICE", 7)
    monkeypatch.setattr(reads, "PART", 14)
    limited = Store(sample.path, memory_limit="64MB")
    assert limited.copy_events(tmp_path / "parts.csv", options, topic=topic) == whole == (34 if topic else 51)
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    lines = (tmp_path / "parts.csv").read_text().splitlines()
    assert len(lines) == whole + (options != "format csv, header false")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["parts.csv", "whole.csv"]


def test_a_parquet_export_under_a_memory_limit_written_a_part_at_a_time_holds_the_same_rows(sample, tmp_path, monkeypatch):
    """Under a memory limit a Parquet export is written reads.PART seqs to a COPY (DuckDB holds a row group for each
    topic's folder until a COPY ends), each later part as files of its own in the folders: data_1_0.parquet beside
    data_0.parquet. Parts of 14 seqs hold the rows one COPY holds."""
    from timeline.export import export
    from timeline.store import reads

    def rows(name: str) -> list[dict]:
        return ds.dataset(tmp_path / name, partitioning="hive").to_table().sort_by("seq").to_pylist()

    assert export(sample, "parquet", tmp_path / "whole") == 51
    monkeypatch.setattr(reads, "SLICE", 7)
    monkeypatch.setattr(reads, "PART", 14)
    assert export(Store(sample.path, memory_limit="64MB"), "parquet", tmp_path / "parts") == 51
    assert rows("parts") == rows("whole")
    assert sorted(p.name for p in (tmp_path / "whole" / "topic_id=ground-troops-to-ukraine").iterdir()) == ["data_0.parquet"]
    assert sorted(p.name for p in (tmp_path / "parts" / "topic_id=ground-troops-to-ukraine").iterdir()) == [
        "data_0.parquet", "data_1_0.parquet", "data_2_0.parquet", "data_3_0.parquet"]


@pytest.mark.parametrize(("fmt", "threads"), [("csv", {"threads": 1}), ("parquet", {})])
def test_the_writer_of_an_export_takes_the_stores_memory_limit_and_its_own_threads(sample, tmp_path, monkeypatch, fmt, threads):
    """DuckDB's writer is a DuckDB of its own, in memory: left to its default it could take 80% of the machine. A CSV
    is written on one thread, as its rows come in one stream; Parquet compresses on every thread."""
    from timeline.export import export

    limited = Store(sample.path, memory_limit="64MB")
    opened, connect = [], duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append((a, k.get("config"))) or connect(*a, **k))
    assert export(limited, fmt, tmp_path / "out") == 51
    [config] = [config for args, config in opened if not args]
    folder = config.pop("temp_directory")  # its own, as two DuckDBs in one overwrite each other's files
    assert re.fullmatch(rf"{re.escape(tempfile.gettempdir())}/timeline-{os.getpid()}-\d+\.tmp", folder)
    assert config == {"autoinstall_known_extensions": False, "memory_limit": "64MB", **threads}


def test_jsonl_export_round_trips_ids_head_and_answers(sample, tmp_path, clock):
    from timeline.export import export

    correction = sample.stance_as_of("2024-03-10", actor="france").first()
    copy = Store.open(tmp_path / "copy-source.duckdb", clock=clock)
    copy.import_paths([ROOT / "events"])
    clock.advance(days=1)
    copy.append(said("france", "open", "2024-02-27", source="macron-stands-up-2024-02-27", topic="ground-troops-to-ukraine",
                     supersedes=correction.event_id, correction_reason="reclassification"))  # fmt: skip
    path = tmp_path / "log.jsonl"
    assert export(copy, "jsonl", path) == 52
    restored = Store.open(tmp_path / "restored.duckdb")
    restored.import_paths([path])
    assert replace(restored.verify(), texts_head=None) == replace(copy.verify(), texts_head=None)  # texts rechained
    assert restored.sql("select event_id from events order by seq").tuples() == copy.sql("select event_id from events order by seq").tuples()
    for as_of in ("2024-03-10", "2024-10-04"):
        assert restored.stance_as_of(as_of).tuples() == copy.stance_as_of(as_of).tuples()
    restored.import_paths([path])
    assert restored.verify().count == 52


LINE_KEYS = {
    "actor": "actor_id", "subject": "subject_id", "kind": "kind", "topic": "topic_id", "stance": "stance",
    "date": "date_text", "date_basis": "date_basis", "source": "source_id", "summary": "summary", "quote": "quote",
    "conditions": "conditions", "confidence": "confidence", "locator": "locator", "supersedes": "supersedes",
    "correction_reason": "correction_reason",
}  # fmt: skip
"""An event line's keys, and the events' columns they are read from."""


def test_a_log_exports_event_lines_are_what_json_dumps_writes(store, tmp_path, clock):
    """DuckDB writes the event lines; each is the line Python's json.dumps writes of the same event, byte for byte:
    quotes, backslashes, control characters (\\u000b, not \\u000B), line separators, accents and emoji."""
    from timeline.export import export
    from timeline.models import GENESIS_HASH

    tricky = 'She said "no" \\ twice,\tthen\x0b\x1f\x7f\u2028 ça, 東京 😀 / done.'
    store.append(said("alice", "open", "2024-02-01", summary=tricky, quote="no", conditions="if\nasked",
                      locator="p. 2"))  # fmt: skip
    clock.advance(microseconds=250)
    store.append(said("bob", "opposes", "in the last month", date_basis="2024-03-01", summary="Plain."))
    path = tmp_path / "log.jsonl"
    assert export(store, "jsonl", path) == 2
    rows, prev, written = store.sql("select * from events order by seq").dicts(), GENESIS_HASH, []
    for row in rows:
        line = {key: row[column] for key, column in LINE_KEYS.items() if row[column] is not None}
        line |= {key: row[key] for key in ("occurred_from", "occurred_to", "date_precision", "event_id", "seq",
                                            "recorded_at", "hash") if row[key] is not None} | {"prev_hash": prev}  # fmt: skip
        written.append(json.dumps(line, ensure_ascii=False, default=lambda value: value.isoformat()))
        prev = row["hash"]
    assert path.read_text(encoding="utf-8").split("\n")[-3:-1] == written  # U+2028 is no line break in JSONL
    assert '\\u000b' in written[0] and '"recorded_at": "2024-05-01T12:00:00.000250"' in written[1]
    assert list(store.log_lines(size=1)) == written  # a slice of one seq at a time, chained across the slices
    restored = Store.open(tmp_path / "restored.duckdb")
    restored.import_paths([path])
    assert restored.verify().head_hash == store.verify().head_hash
    topic_only = tmp_path / "topic.jsonl"
    assert export(store, "jsonl", topic_only, topic="troops") == 2
    plain = [json.dumps({key: row[column] for key, column in LINE_KEYS.items() if row[column] is not None},
                        ensure_ascii=False, default=lambda value: value.isoformat()) for row in rows]  # fmt: skip
    sliced = list(store.log_lines(topic="troops", size=1))
    assert topic_only.read_text(encoding="utf-8").split("\n")[-3:-1] == plain == sliced


@pytest.fixture
def log_export(tmp_path, clock) -> tuple[Store, Path]:
    """The sample's log exported whole: recorded at whole seconds, and a correction recorded at a microsecond."""
    from timeline.export import export

    store = Store.open(tmp_path / "exported.duckdb", clock=clock)
    store.import_paths([ROOT / "events"])
    clock.advance(days=1, microseconds=250)
    correction = store.stance_as_of("2024-03-10", actor="france").first()
    store.append(said("france", "open", "2024-02-27", source="macron-stands-up-2024-02-27", topic="ground-troops-to-ukraine",
                      supersedes=correction.event_id, correction_reason="reclassification"))  # fmt: skip
    path = tmp_path / "log.jsonl"
    export(store, "jsonl", path)
    return store, path


def replay_by_columns(store: Store, path: Path):
    """Import through the columnar path alone: None where it declines."""
    from timeline.store import log

    with store.connections.writing() as con:
        return log.import_columns(con, [path], [], log.untold, store.clock)


def test_a_log_export_replays_by_columns_as_it_replays_line_by_line(log_export, tmp_path):
    """A backup of a million events restored line by line took 75 s; by columns it is logged as an import is."""
    from timeline import ingest

    exported, path = log_export
    columns, lines = (Store.open(tmp_path / f"{name}.duckdb") for name in ("columns", "lines"))
    assert (replay_by_columns(columns, path).added, lines.write(ingest.read([path])).added) == (52, 52)
    logged = "select seq, event_id, recorded_at, hash, occurred_from, occurred_to, date_precision, date_basis from events order by seq"
    assert columns.sql(logged).tuples() == lines.sql(logged).tuples() == exported.sql(logged).tuples()
    assert columns.sql("select microsecond(recorded_at) % 1000000 from events where seq in (1, 52) order by seq").tuples() == [
        (0,), (250,)]  # fmt: skip
    assert replace(columns.verify(), texts_head=None) == replace(exported.verify(), texts_head=None)
    assert columns.stance_as_of("2024-03-10").tuples() == exported.stance_as_of("2024-03-10").tuples()
    assert replay_by_columns(columns, path).present == 52  # a second replay finds every event logged


def edit_line(path: Path, at_seq: int, changes: dict) -> Path:
    """The log export with the event at `at_seq` changed: a value given, or a key dropped (None)."""
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for line in lines:
        if line.get("seq") == at_seq:
            line.update(changes)
            for key in [key for key, value in changes.items() if value is None]:
                del line[key]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path


@pytest.mark.parametrize("changes", [
    {"recorded_at": "2024-05-01T13:00:00+01:00"},  # the same moment, written with its zone
    {"recorded_at": "2024-05-01T12:00:00.000000"},  # the same moment, written as Python does not
    {"seq": 7},
    {"hash": "0" * 32},  # read at seq 2 as the next line's prev_hash too; see the last line's below
    {"prev_hash": "f" * 32},
    {"occurred_to": "2024-03-01"},  # the interval edited: the event_id no longer vouches for it
    {"occurred_to": None, "date_precision": None},  # an export older than the interval
    {"seq": None, "recorded_at": None, "hash": None, "event_id": None, "prev_hash": None},  # one line not replayed
], ids=["offset", "zero microseconds", "seq", "hash", "prev_hash", "interval", "no interval", "mixed"])  # fmt: skip
def test_a_log_export_the_columns_cannot_vouch_for_goes_line_by_line(log_export, tmp_path, changes):
    _, path = log_export
    edited = edit_line(path, 2, changes)
    store = Store.open(tmp_path / "restored.duckdb")
    assert replay_by_columns(store, edited) is None
    assert store.sql("select count(*) from events").tuples() == [(0,)]


def declined_then_refused(path: Path, tmp_path: Path) -> str:
    """The columns decline the export; the line-by-line path's refusal of it, with nothing written."""
    store = Store.open(tmp_path / "restored.duckdb")
    assert replay_by_columns(store, path) is None
    with pytest.raises(InputError) as refused:
        store.import_paths([path])
    assert store.sql("select count(*) from events").tuples() == [(0,)]
    return str(refused.value)


def forged(path: Path, at_seq: int, changes: dict) -> Path:
    """The log export with the event at `at_seq` changed (None: null) and the chain made anew from it, each link
    hashed over the recorded_at as written, as a forger who knows the chain's rule would."""
    from timeline.models import GENESIS_HASH

    lines, prev = [json.loads(line) for line in path.read_text().splitlines()], GENESIS_HASH
    for line in (line for line in lines if "seq" in line):
        if line["seq"] == at_seq:
            line.update(changes)  # None stays, as null
        text = f"{prev}|{line['seq']}|{line['event_id']}|{line['recorded_at']}"
        line["prev_hash"], line["hash"] = prev, hashlib.sha256(text.encode()).hexdigest()[:32]
        prev = line["hash"]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path


@pytest.mark.parametrize("recorded_at", ["2024-05-01T11:59:59", "2024-05-01T12:00:00.000000"],
                         ids=["back in time", "zero microseconds"])  # fmt: skip
def test_a_forged_log_export_whose_chain_holds_goes_line_by_line_and_is_refused(log_export, tmp_path, recorded_at):
    """Where the line-by-line path would refuse a line whose chain a forger made anew, the columns decline it: a time
    before the one logged before it, or one written otherwise than Python writes it, which the chain hashes."""
    from timeline.models import chain_hash

    _, path = log_export
    path = forged(path, 2, {"recorded_at": recorded_at})
    number, line = next((n, json.loads(text)) for n, text in enumerate(path.read_text().splitlines(), 1)
                        if '"seq": 2,' in text)  # fmt: skip
    moment = datetime.fromisoformat(recorded_at)
    link = chain_hash(line["prev_hash"], 2, line["event_id"], moment)
    refusals = {"2024-05-01T11:59:59": f"recorded_at {moment} goes back in time. Restore the exported line.",
                "2024-05-01T12:00:00.000000": f'hash "{line["hash"]}" does not match the replayed chain ({link}). '
                                              "Restore the exported line."}  # fmt: skip
    assert declined_then_refused(path, tmp_path) == f"{path} line {number}: {refusals[recorded_at]}"


def test_a_log_export_whose_last_link_is_edited_goes_line_by_line(log_export, tmp_path):
    _, path = log_export
    store = Store.open(tmp_path / "restored.duckdb")
    assert replay_by_columns(store, edit_line(path, 52, {"hash": "0" * 32})) is None
    assert store.sql("select count(*) from events").tuples() == [(0,)]


@pytest.mark.parametrize("changes", [
    {"occurred_to": None, "date_precision": None},  # the line-by-line path reads the phrase again
    {"occurred_to": None},  # the line-by-line path refuses an interval given in part
    {"date_precision": "decade"},  # and a precision it does not know
], ids=["no interval", "no end", "unknown precision"])  # fmt: skip
def test_a_forged_log_export_with_an_interval_the_log_cannot_hold_goes_line_by_line(log_export, tmp_path, changes):
    """The columns read no phrase and replay the interval as given: they decline one the line-by-line path would
    read again or refuse, even where a forger hashed the id over it."""
    from timeline.models import EventRecord, content_hash

    exported, path = log_export
    row = exported.sql("select * from events where seq = 52").dicts()[0]
    record = EventRecord(**{name: row[name] for name in EventRecord._fields})
    event_id = content_hash(record._replace(**changes))
    path = forged(path, 52, {**changes, "event_id": event_id})
    store = Store.open(tmp_path / "restored.duckdb")
    assert replay_by_columns(store, path) is None
    assert store.sql("select count(*) from events").tuples() == [(0,)]


@pytest.mark.parametrize("key", ["occurred_from", "occurred_to"])
def test_a_log_export_with_a_date_written_otherwise_than_iso_goes_line_by_line_and_is_refused(log_export, tmp_path, key):
    """DuckDB reads 2024/03/04 as the day ISO writes 2024-03-04, so the event_id and the chain still hold; the
    line-by-line path refuses it, and so the columns decline it. Seq 50's keys are those of seq 1, the line whose
    fields pydantic checks for all lines of that shape, so only the replay's own checks see it."""
    exported, path = log_export
    day = exported.sql(f"select {key} from events where seq = 50").tuples()[0][0]
    path = edit_line(path, 50, {key: day.strftime("%Y/%m/%d")})
    assert declined_then_refused(path, tmp_path) == (
        f'{path} line 112: field "{key}" has "{day:%Y/%m/%d}": input should be a valid date or datetime, invalid date '
        "separator, expected `-`. Correct the value.")  # fmt: skip


def test_a_forged_log_export_whose_interval_runs_backwards_goes_line_by_line_and_is_refused(log_export, tmp_path):
    """An interval that ends the day before it begins, with the id hashed over it and the chain made anew: the
    line-by-line path refuses it, and so the columns decline it."""
    from timeline.models import EventRecord, content_hash

    exported, path = log_export
    row = exported.sql("select * from events where seq = 50").dicts()[0]
    record = EventRecord(**{name: row[name] for name in EventRecord._fields})
    after = row["occurred_to"] + timedelta(days=1)
    path = forged(path, 50, {"occurred_from": after.isoformat(), "event_id": content_hash(record._replace(occurred_from=after))})
    assert declined_then_refused(path, tmp_path) == (
        f"{path} line 112: log position is not valid: occurred_from is after occurred_to: restore the exported line.")


def test_a_second_replay_holds_the_events_already_logged_to_their_ids(log_export, tmp_path):
    exported, path = log_export
    store = Store.open(tmp_path / "restored.duckdb")
    assert replay_by_columns(store, path).added == 52
    event_id = exported.sql("select event_id from events where seq = 2").tuples()[0][0]
    edited = edit_line(path, 2, {"event_id": "0" * 16})
    assert replay_by_columns(store, edited) is None
    with pytest.raises(InputError) as refused:
        store.import_paths([edited])
    assert str(refused.value) == (
        f'{edited} line 64: event_id "0000000000000000" does not match the event\'s content ({event_id}). The line was '
        "edited after export, or dates resolve differently here; restore the exported line.")  # fmt: skip


def test_a_log_export_replays_by_columns_only_onto_the_log_it_continues(log_export, store):
    _, path = log_export
    store.append(said("alice", "open", "2024-02-01"))
    assert replay_by_columns(store, path) is None
    assert store.sql("select count(*) from events").tuples() == [(1,)]


def test_a_log_export_whose_times_carry_an_offset_replays_the_same_chain(sample, tmp_path, store):
    """Tools that rewrite a log often add the zone: 11:31Z and 12:31+01:00 are the moment the export gave as 11:31."""
    from datetime import datetime, timedelta, timezone

    from timeline.export import export

    path = tmp_path / "log.jsonl"
    export(sample, "jsonl", path)
    paris = timezone(timedelta(hours=1))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for i, line in enumerate(lines):
        if "recorded_at" in line:
            at = datetime.fromisoformat(line["recorded_at"]).replace(tzinfo=timezone.utc)
            line["recorded_at"] = at.astimezone(paris).isoformat() if i % 2 else at.isoformat().replace("+00:00", "Z")
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    store.import_paths([path])
    assert replace(store.verify(), texts_head=None) == replace(sample.verify(), texts_head=None)  # texts rechained


def test_a_log_export_restores_each_date_as_logged_where_this_version_reads_its_phrase_otherwise(tmp_path, store):
    """A date rule that changes between versions must not leave an older backup unrestorable. A log export carries
    the interval each phrase was read as; replaying it keeps that interval, and the event_id vouches for it."""
    from timeline.export import export
    from timeline.models import GENESIS_HASH, EventRecord, chain_hash, content_hash

    store.append(said("alice", "open", "in the last month"))  # paper-a is of 2024-03-08
    path = tmp_path / "log.jsonl"
    export(store, "jsonl", path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert {k: lines[-1][k] for k in ("occurred_from", "occurred_to", "date_precision")} == {
        "occurred_from": "2024-02-01", "occurred_to": "2024-03-08", "date_precision": "range"}  # fmt: skip
    # as a version that read "in the last month" as the calendar month would have logged and exported it
    row = store.sql("select * from events").dicts()[0]
    record = EventRecord(**{name: row[name] for name in EventRecord._fields})
    older = record._replace(occurred_to=date(2024, 2, 29), date_precision="month")
    event_id = content_hash(older)
    link = chain_hash(GENESIS_HASH, 1, event_id, row["recorded_at"])
    lines[-1] |= {"occurred_to": "2024-02-29", "date_precision": "month", "event_id": event_id, "hash": link}
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    restored = Store.open(tmp_path / "restored.duckdb")
    restored.import_paths([path])
    assert restored.sql("select occurred_from, occurred_to, date_precision from events").tuples() == [
        (date(2024, 2, 1), date(2024, 2, 29), "month")]  # fmt: skip
    assert restored.verify().head_hash == link
    lines[-1]["occurred_to"] = "2024-02-28"  # an interval edited after export: the event_id no longer vouches for it
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(InputError, match=f'line {len(lines)}: event_id "{event_id}" does not match the event'):
        Store.open(tmp_path / "edited.duckdb").import_paths([path])


def test_log_export_must_continue_the_chain(sample, tmp_path, store):
    from timeline.export import export

    path = tmp_path / "log.jsonl"
    export(sample, "jsonl", path)
    store.append(said("alice", "open", "2024-02-01"))
    with pytest.raises(Exception) as caught:
        store.import_paths([path])
    assert str(caught.value).endswith(
        "seq 1 does not continue this store's log (next seq 2). Import a log export into an empty store, "
        "or drop seq, recorded_at and hash to append the events as new."
    )


def test_filtered_jsonl_export_appends_as_new_events(sample, tmp_path, store):
    from timeline.export import export

    path = tmp_path / "topic.jsonl"
    assert export(sample, "jsonl", path, topic="long-range-strikes-in-russia") == 2
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert all("seq" not in line for line in lines)
    store.import_paths([path])
    assert store.sql("select count(*) from events").tuples() == [(2,)]


def test_parquet_export_is_partitioned_by_topic_and_read_by_duckdb_and_pyarrow(sample, tmp_path, cli):
    cli("import", str(ROOT / "events"))
    out = tmp_path / "parquet"
    assert cli("export", "--format", "parquet", "-o", str(out)) == (0, f"wrote 51 events to {out}\n", "")
    assert sorted(p.name for p in out.iterdir()) == [
        "topic_id=ground-troops-to-ukraine", "topic_id=long-range-strikes-in-russia", "topic_id=non-combat-presence-in-ukraine"
    ]  # fmt: skip
    with duckdb.connect() as con:
        counts = con.sql(f"select topic_id, count(*) from read_parquet('{out}/*/*.parquet', hive_partitioning = true) group by all order by 1").fetchall()
    assert counts == sample.sql("select topic_id, count(*) from events group by all order by 1").tuples()
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 51 and {"event_id", "quote", "occurred_from", "topic_id"} <= set(table.column_names)


def test_a_parquet_export_replaces_an_earlier_one_whole(sample, tmp_path):
    from timeline.export import export

    out = tmp_path / "parquet"
    assert export(sample, "parquet", out) == 51
    assert export(sample, "parquet", out, topic="long-range-strikes-in-russia") == 2
    assert [p.name for p in out.iterdir()] == ["topic_id=long-range-strikes-in-russia"]
    assert ds.dataset(out, format="parquet", partitioning="hive").to_table().num_rows == 2
    assert [p.name for p in tmp_path.iterdir()] == ["parquet"]


def test_an_export_refuses_an_output_it_cannot_take_and_leaves_it_as_it_was(sample, tmp_path, cli):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "draft.txt").write_text("mine")
    (tmp_path / "events.csv").write_text("an earlier export")
    cli("import", str(ROOT / "events"))
    refusals = {
        ("csv", "notes"): f'"{tmp_path / "notes"}": it is a directory. Give a file path such as "{tmp_path / "notes" / "events.csv"}".',
        ("jsonl", "missing/log.jsonl"): f'"{tmp_path / "missing" / "log.jsonl"}": the directory "{tmp_path / "missing"}" does not exist. Create it first.',
        ("parquet", "events.csv"): f'"{tmp_path / "events.csv"}": it is a file, and a parquet export is a directory with a folder per topic. '
        "Give a new directory, or an earlier parquet export to replace.",
        ("parquet", "notes"): f'"{tmp_path / "notes"}": it holds draft.txt, which a parquet export would not have written. '
        "Give a new or empty directory, or an earlier parquet export to replace.",
    }  # fmt: skip
    for (fmt, output), problem in refusals.items():
        code, out, err = cli("export", "--format", fmt, "-o", str(tmp_path / output))
        assert (code, out, err) == (1, "", f"Error: cannot write {problem}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.duckdb", "events.csv", "notes"]
    assert (tmp_path / "events.csv").read_text() == "an earlier export"
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["draft.txt"]


def test_a_refused_export_leaves_the_earlier_file_in_place(sample, tmp_path):
    from timeline.export import export

    for fmt in ("jsonl", "csv", "timelinejs"):
        path = tmp_path / f"out.{fmt}"
        assert export(sample, fmt, path, topic="long-range-strikes-in-russia") == 2
        before = path.read_bytes()
        with pytest.raises(UnknownId):
            export(sample, fmt, path, topic="ground-trops")
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.jsonl", "out.timelinejs"]


@POSIX_ONLY
def test_an_export_the_disk_cannot_take_says_so_and_leaves_the_earlier_one(sample, tmp_path):
    """A full disk, a quota or a size limit fails the write midway: here a limit of 2 KiB on each file written."""
    from timeline.export import export

    earlier = {"out.jsonl": "an earlier log", "out.csv": "an earlier export", "out.json": "an earlier timeline"}
    for name, text in earlier.items():
        (tmp_path / name).write_text(text)
    export(sample, "parquet", tmp_path / "out", topic="long-range-strikes-in-russia")
    parquet = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in (tmp_path / "out").rglob("*.parquet"))

    for fmt, name in (("jsonl", "out.jsonl"), ("csv", "out.csv"), ("parquet", "out"), ("timelinejs", "out.json")):
        done = run_timeline("--db", str(sample.path), "export", "--format", fmt, "-o", name, cwd=tmp_path,
                            preexec_fn=disk_full_at(2048))  # fmt: skip
        assert (done.returncode, done.stdout, done.stderr) == (1, "", f'Error: cannot write "{name}": {FULL_DISK}')
    assert {name: (tmp_path / name).read_text() for name in earlier} == earlier
    assert sorted((p.relative_to(tmp_path), p.read_bytes()) for p in (tmp_path / "out").rglob("*.parquet")) == parquet
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.csv", "out.json", "out.jsonl"]


def test_an_export_takes_any_name_its_directory_can_hold(sample, tmp_path):
    from timeline.export import export

    for fmt, suffix in (("jsonl", ".jsonl"), ("csv", ".csv"), ("parquet", ""), ("timelinejs", ".json")):
        path = tmp_path / ("e" * (255 - len(suffix)) + suffix)  # the longest name most file systems allow
        assert export(sample, fmt, path, topic="long-range-strikes-in-russia") == 2
        assert export(sample, fmt, path, topic="long-range-strikes-in-russia") == 2  # and replaces it
    assert sorted(len(p.name) for p in tmp_path.iterdir()) == [255] * 4
    too_long = tmp_path / ("e" * 256 + ".csv")
    with pytest.raises(ExportError) as refused:
        export(sample, "csv", too_long)
    assert str(refused.value) == f'cannot write "{too_long}": File name too long. Nothing was written there; give another path.'
    assert len(list(tmp_path.iterdir())) == 4


def test_csv_export_has_a_header_and_iso_dates(sample, tmp_path):
    from timeline.export import export

    path = tmp_path / "events.csv"
    assert export(sample, "csv", path, topic="long-range-strikes-in-russia", as_of=date(2024, 10, 3)) == 2
    header, *rows = path.read_text().splitlines()
    assert header.startswith("seq,event_id,occurred_from,occurred_to,date_precision,date_text,date_basis,actor_id,")
    assert sorted(row.split(",")[3] for row in rows) == ["2024-10-02", "2024-10-03"]


def test_timelinejs_follows_knight_labs_structure(sample, tmp_path):
    from timeline.export import export

    path = tmp_path / "timeline.json"
    in_force = sample.events(topic="ground-troops-to-ukraine", effective=True)
    assert export(sample, "timelinejs", path, topic="ground-troops-to-ukraine") == len(in_force) > 30
    doc = json.loads(path.read_text())
    assert set(doc) == {"title", "events"} and set(doc["title"]) == {"text"}
    for slide in doc["events"]:
        assert set(slide) <= {"start_date", "end_date", "text", "group", "unique_id", "display_date"}
        assert set(slide["text"]) == {"headline", "text"} and slide["start_date"]["year"].isdigit()
    by_id = {s["unique_id"]: s for s in doc["events"]}
    macron_month = sample.sql("select event_id from events where date_text = 'last month'").tuples()[0][0]
    assert by_id[macron_month]["start_date"] == {"year": "2024", "month": "2"}
    assert by_id[macron_month]["display_date"] == "February 2024"
    monday = sample.sql("select event_id from events where date_text = 'on Monday' and date_basis = '2024-02-27'").tuples()[0][0]
    assert by_id[monday]["start_date"] == {"year": "2024", "month": "2", "day": "26"} and "end_date" not in by_id[monday]
    nato = sample.sql("select event_id from events where actor_id = 'nato'").tuples()[0][0]
    assert (by_id[nato]["start_date"], by_id[nato]["display_date"]) == ({"year": "2024", "month": "3", "day": "3"}, "on or before 2024-03-03")
    span = sample.sql("select event_id from events where actor_id = 'united-states' and source_id like 'nato-refused%'").tuples()[0][0]
    assert (by_id[span]["start_date"], by_id[span]["end_date"]) == (
        {"year": "2024", "month": "2", "day": "26"}, {"year": "2024", "month": "3", "day": "4"}
    )  # fmt: skip
    svr = [s for s in doc["events"] if "russia-svr" not in s["text"]["headline"] and "a claim about France" in s["text"]["headline"]]
    assert svr and all(s["group"] == "France" for s in svr)


def test_a_timelinejs_slide_shows_what_was_said_as_text_never_as_markup(store, tmp_path):
    from timeline.export import export

    store.append(said("alice", "open", "2024-03-04", quote='Troops <b>now</b> & "later"', summary="<script>x()</script>"))
    export(store, "timelinejs", tmp_path / "t.json")
    slide = json.loads((tmp_path / "t.json").read_text())["events"][0]
    assert slide["text"]["text"] == ("<p>&ldquo;Troops &lt;b&gt;now&lt;/b&gt; &amp; &quot;later&quot;&rdquo;</p>"
                                     "<p>&lt;script&gt;x()&lt;/script&gt;</p><p>Source: Paper A, paper-a. Date as "
                                     "written: &ldquo;2024-03-04&rdquo; (day).</p>")  # fmt: skip
    assert slide["text"]["headline"] == "Alice: open"


def test_timelinejs_slides_are_written_as_json_dumps_and_html_escape_write_them(store, tmp_path):
    """DuckDB writes each slide (timelinejs_slides.sql) byte for byte as Python's json.dumps writes it, with what was
    said escaped as html.escape escapes it: both kinds of quote, markup, a tab, a backslash, a control character
    that json.dumps writes in lower case, and non-ASCII; a claim (its group is its subject); a month, a week (with
    its end) and a day only bounded above."""
    from timeline import Actor
    from timeline.export import export

    store.append(Actor(actor_id="o-brien", name='O\'Brien & "Sons" <Ltd>', kind="person"))
    store.append(said("o-brien", "rules_out", "March 2024", quote="Tab\there,\x0bvertical, back\\slash, é — 😀",
                      summary='It\'s <b>bold</b> & "quoted".'))  # fmt: skip
    store.append(said("spy-agency", "open", "last week", date_basis="2024-03-07", subject="o-brien", kind="claim",
                      source="paper-b", quote=""))  # fmt: skip
    store.append(said("alice", "open", "before 2024-03-09", summary="Undated."))
    month, week, before = (row[0] for row in store.sql("select event_id from events order by seq").tuples())
    assert export(store, "timelinejs", tmp_path / "t.json") == 3
    slides = (tmp_path / "t.json").read_text(encoding="utf-8").splitlines()[3:6]
    assert slides == [
        r'''  {"start_date": {"year": "2024", "month": "3"}, "text": {"headline": "O&#x27;Brien &amp; &quot;Sons&quot; &lt;Ltd&gt;: rules out", "text": "<p>&ldquo;Tab\there,\u000bvertical, back\\slash, é — 😀&rdquo;</p><p>It&#x27;s &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;.</p><p>Source: Paper A, paper-a. Date as written: &ldquo;March 2024&rdquo; (month).</p>"}, "group": "O'Brien & \"Sons\" <Ltd>", "unique_id": "''' + month + '", "display_date": "March 2024"},',
        r'''  {"start_date": {"year": "2024", "month": "2", "day": "26"}, "text": {"headline": "Spy Agency: open (a claim about O&#x27;Brien &amp; &quot;Sons&quot; &lt;Ltd&gt;)", "text": "<p>spy-agency open on last week</p><p>Source: Paper B, paper-b. Date as written: &ldquo;last week&rdquo; (week).</p>"}, "group": "O'Brien & \"Sons\" <Ltd>", "unique_id": "''' + week + '", "display_date": "2024-02-26 to 2024-03-03", "end_date": {"year": "2024", "month": "3", "day": "3"}},',
        r'''  {"start_date": {"year": "2024", "month": "3", "day": "8"}, "text": {"headline": "Alice: open", "text": "<p>Undated.</p><p>Source: Paper A, paper-a. Date as written: &ldquo;before 2024-03-09&rdquo; (range).</p>"}, "group": "Alice", "unique_id": "''' + before + '", "display_date": "on or before 2024-03-08"}',
    ]  # fmt: skip
    assert json.loads(slides[0][2:-1])["text"]["text"].startswith("<p>&ldquo;Tab\there,\x0bvertical, back\\slash, é")


def many_voices(store: Store, actors: int, each: list[int]) -> None:
    """`actors` actors on one topic, actor n saying `each[n % len(each)]` things, alternating stances."""
    from timeline import Actor

    store.append_many([Actor(actor_id=f"a{n:02d}", name=f"A{n:02d}", kind="person") for n in range(actors)])
    store.append_many([said(f"a{n:02d}", ("open", "rules_out", "open", "open")[k % 4],
                            f"2024-01-{1 + k % 28:02d}" if k < 28 else f"2024-02-{1 + k % 28:02d}")
                       for n in range(actors) for k in range(each[n % len(each)])])  # fmt: skip


def test_a_chart_of_too_many_actors_keeps_the_busiest_lanes_and_says_so(store, tmp_path, cli):
    many_voices(store, 45, [1, 3])  # the odd ones speak three times
    spec = chart(store, "troops").to_dict()
    lanes = spec["facet"]["row"]["sort"]
    # the 22 busy ones and the first 8 others, in the order they first spoke
    assert lanes == [f"A{n:02d}" for n in range(45) if n % 2 or n < 16]
    note = "30 of 45 lanes, those with the most events (name others with --actors)"
    assert spec["title"]["subtitle"][-1] == note and spec["usermeta"] == {"left_out": note, "lanes": 30}
    out = tmp_path / "many.png"
    assert cli("chart", "--topic", "troops", "-o", str(out), db_path=store.path) == (
        0, f"wrote {out}\n", f"the chart shows {note}\n")  # fmt: skip
    width, height = struct.unpack(">II", out.read_bytes()[16:24])
    assert width < 1200 and height > 30 * 46  # drawn at its size: 30 lanes at twice it would be large
    with pytest.raises(InputError) as refused:
        chart(store, "troops", actors=[f"a{n:02d}" for n in range(31)])
    assert str(refused.value) == ("the chart is asked for 31 lanes; past 30 it can no longer be read. Name fewer "
                                  "actors, or draw several charts.")  # fmt: skip


def test_a_lane_with_more_spans_than_half_its_pixels_is_shaded_by_the_stance_held_longest_in_each(store):
    """Ten years over 760 pixels: a pixel holds 6 days. Alice says open, open, rules out, day after day, 401 spans in
    all: every pixel holds 4 days open and 2 ruled out, and her first, from its second day, 4 and 1. Her shading
    starts on her first day, not her first pixel's. Bob's two spans stay as they are."""
    first = date(2023, 1, 3)  # the second day of pixel 548 (3,288 days after 2014-01-01)
    stances = ["open", "open", "rules_out"] * 200 + ["open"]
    store.append_many([said("alice", stance, str(first + timedelta(days=n)), source="paper-c")
                       for n, stance in enumerate(stances)] + [said("bob", "open", "2024-01-05"),
                                                               said("bob", "opposes", "2024-02-05")])  # fmt: skip
    spec = chart(store, "troops", start=date(2014, 1, 1), end=date(2024, 12, 31)).to_dict()
    shading = [(v["lane"], v["stance"], v["start"], v["end"]) for v in rows_of(spec) if v["layer"] == "period"]
    assert shading == [("Alice", "open", "2023-01-03", "2025-01-01"), ("Bob", "open", "2024-01-05", "2024-02-05"),
                       ("Bob", "opposes", "2024-02-05", "2025-01-01")]  # fmt: skip
    assert spec["title"]["subtitle"][-1] == "1 lane shaded by the stance held longest in each pixel"
    assert spec["usermeta"]["left_out"] == "1 lane shaded by the stance held longest in each pixel"


def test_a_chart_shades_only_the_later_of_two_runs_whose_starts_are_not_known(store):
    """Neither run has a start or an end in stance_periods, and the log gives the later word: it alone is held on
    the chart's days, as stance_as_of answers. Both were drawn over the whole window, one over the other."""
    store.append_many([said("alice", "rules_out", "before 2024-02-10"), said("alice", "opposes", "before 2024-02-10"),
                       said("bob", "open", "2024-03-01")])  # fmt: skip
    periods = store.sql("select stance, valid_from, valid_to, period_no from stance_periods where actor_id = 'alice' "
                        "order by period_no").tuples()  # fmt: skip
    assert periods == [("rules_out", None, None, 1), ("opposes", None, None, 2)]
    spec = chart(store, "troops").to_dict()
    assert {v["stance"] for v in rows_of(spec) if v["layer"] == "period" and v["lane"] == "Alice"} == {"opposes"}
    assert [r.stance for r in store.stance_as_of("2024-03-01", actor="alice")] == ["opposes"]


def test_a_chart_of_a_group_that_said_nothing_on_the_topic_keeps_its_lane(store):
    store.append_many([said("alice", "open", "2024-03-04", topic="strikes"), said("bob", "supports", "2024-03-05")])
    spec = chart(store, "strikes", group="ruritania").to_dict()
    assert spec["facet"]["row"]["sort"] == ["Ruritania", "Alice"]  # members in office who spoke on it
    assert {v["lane"] for v in rows_of(spec)} == {"Alice"}


def test_a_chart_reads_the_events_of_its_lanes_alone(store, monkeypatch):
    many_voices(store, 45, [1, 3])
    asked = []
    markers = Store.chart_markers
    monkeypatch.setattr(Store, "chart_markers", lambda self, *args: asked.append(args) or markers(self, *args))
    spec = chart(store, "troops").to_dict()
    busy = [f"a{n:02d}" for n in range(45) if n % 2 or n < 16]
    assert asked == [("troops", busy, date(2024, 1, 1), date(2024, 1, 3), 1500)]
    assert sorted({v["lane"] for v in rows_of(spec)}) == [f"A{n:02d}" for n in range(45) if n % 2 or n < 16]


def test_a_chart_of_too_many_events_marks_where_stances_change(store):
    many_voices(store, 30, [56])  # 1,680 events: open, rules_out, open, open, … for each actor
    spec = chart(store, "troops").to_dict()
    marks = [v for v in rows_of(spec) if v["layer"] == "point"]
    assert len(marks) == 30 * 29  # each actor's first word, then its 14 turns to rules_out and 14 back
    assert [m["stance"] for m in marks if m["lane"] == "A00"][:4] == ["open", "rules_out", "open", "rules_out"]
    assert spec["title"]["subtitle"][-1] == ("870 of 1,680 events marked, where a stance changes (all are in "
                                             "timeline history)")  # fmt: skip


def test_a_chart_of_more_changes_than_markers_takes_them_evenly_in_each_lanes_order(store):
    """1,600 events, each a change of stance: every second one is marked, counted by lane and then by day (not in
    the order logged), so each of the 20 lanes keeps its first day and every second one after it, all "rules_out"."""
    from timeline import Actor

    store.append_many([Actor(actor_id=f"a{n:02d}", name=f"A{n:02d}", kind="person") for n in range(20)])
    first = date(2020, 1, 1)
    store.append_many([said(f"a{n:02d}", ("open", "rules_out")[k % 2], str(first + timedelta(days=79 - k)))
                       for k in range(80) for n in range(20)])  # fmt: skip  # logged last day first
    spec = chart(store, "troops").to_dict()
    marks = [(m["lane"], m["stance"], m["start"]) for m in rows_of(spec) if m["layer"] == "point"]
    assert marks == [(f"A{n:02d}", "rules_out", str(first + timedelta(days=day))) for n in range(20)
                     for day in range(0, 80, 2)]  # fmt: skip
    assert spec["title"]["subtitle"][-1] == ("800 of 1,600 events marked, where a stance changes (all are in "
                                             "timeline history)")  # fmt: skip
