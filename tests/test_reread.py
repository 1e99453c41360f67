"""After an upgrade: the logged events whose date phrase this version reads otherwise, found without rewriting any."""

from __future__ import annotations

import json
from datetime import date

from conftest import said

from timeline import Store
from timeline.export import export
from timeline.models import GENESIS_HASH, EventRecord, chain_hash, content_hash

MARCH_9 = (
    'date "March 9" names no year, and in its basis\'s year (2024-03-09..2024-03-09) it falls after its basis '
    "2024-03-08. So close after the basis, reading it a year back (2023-03-09..2023-03-09) would be a guess: a basis "
    "a few days early, or a day still to come, reads the same. Write the year, or check the source or date_basis."
)


def logged_by_an_older_version(store: Store, tmp_path, readings: dict[int, tuple[str, str, str, str]]) -> Store:
    """A store restored from a log export of `store` in which the events at the given seqs carry (phrase, from, to,
    precision) as an older version's rules read them, each with the event_id and chain that reading makes."""
    path = tmp_path / "older.jsonl"
    export(store, "jsonl", path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    rows = {row["seq"]: row for row in store.sql("select * from events").dicts()}
    prev = GENESIS_HASH
    for line in lines:
        if "seq" not in line:
            continue
        row = rows[line["seq"]]
        if line["seq"] in readings:
            text, start, end, precision = readings[line["seq"]]
            record = EventRecord(**{name: row[name] for name in EventRecord._fields})._replace(
                date_text=text, occurred_from=date.fromisoformat(start), occurred_to=date.fromisoformat(end),
                date_precision=precision)  # fmt: skip
            line |= {"date": text, "occurred_from": start, "occurred_to": end, "date_precision": precision,
                     "event_id": content_hash(record)}  # fmt: skip
        link = chain_hash(prev, line["seq"], line["event_id"], row["recorded_at"])
        line |= {"prev_hash": prev, "hash": link}
        prev = link
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    older = Store.open(tmp_path / "older.duckdb")
    older.import_paths([path])
    return older


def test_reread_lists_events_in_force_whose_phrase_now_reads_otherwise_or_is_refused(tmp_path, store):
    store.append_many([
        said("alice", "open", "in the last month"),  # seq 1: read here as 2024-02-01 .. 2024-03-08
        said("bob", "opposes", "2023-03-09"),  # seq 2: to be logged as "March 9", as a version before its refusal
        said("carol", "open", "in the last month"),  # seq 3: as seq 1, but then retracted
        said("alice", "open", "last month"),  # seq 4: read alike by every version
    ])  # fmt: skip
    older = logged_by_an_older_version(store, tmp_path, {
        1: ("in the last month", "2024-02-01", "2024-02-29", "month"),
        2: ("March 9", "2023-03-09", "2023-03-09", "day"),
        3: ("in the last month", "2024-02-01", "2024-02-29", "month"),
    })  # fmt: skip
    retracted = older.sql("select event_id from events where seq = 3").tuples()[0][0]
    older.append(said("carol", "open", "in the last month", supersedes=retracted, correction_reason="retraction"))
    ids = dict(older.sql("select seq, event_id from events").tuples())
    assert older.reread_dates().tuples() == [
        (1, ids[1], "alice", "troops", "in the last month", date(2024, 3, 8), date(2024, 2, 1), date(2024, 2, 29),
         "month", date(2024, 2, 1), date(2024, 3, 8), "range", None),
        (2, ids[2], "bob", "troops", "March 9", date(2024, 3, 8), date(2023, 3, 9), date(2023, 3, 9), "day",
         None, None, None, MARCH_9),
    ]  # fmt: skip
    assert older.verify().ok
    assert older.sql("select count(*) from events").tuples() == [(5,)]  # nothing rewritten
    assert store.reread_dates().tuples() == []


def test_reread_on_the_command_line(tmp_path, store, cli):
    store.append(said("alice", "open", "in the last month"))
    older = logged_by_an_older_version(store, tmp_path, {1: ("in the last month", "2024-02-01", "2024-02-29", "month")})
    event_id = older.sql("select event_id from events").tuples()[0][0]
    code, out, _ = cli("--db", str(older.path), "reread", "--format", "csv")
    assert (code, out) == (0, (
        "seq,event_id,actor_id,topic_id,date_text,date_basis,occurred_from,occurred_to,date_precision,now_from,now_to,"
        f"now_precision,now_refused\n1,{event_id},alice,troops,in the last month,2024-03-08,2024-02-01,2024-02-29,month,"
        "2024-02-01,2024-03-08,range,\n"
    ))  # fmt: skip
    assert cli("--db", str(store.path), "reread")[:2] == (0, "no rows\n")
