"""Bad input gets a located error with a fix, a non-zero exit, and the store exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import registry_lines, run_python, run_timeline, snapshot, write_jsonl

from timeline import Actor, Event, InputError, Store, ingest
from timeline.models import CONTENT_FIELDS, QUOTE_LIMIT, SUMMARY_LIMIT, content_hash
from timeline.store import log
from timeline.store.connection import FEW

GOOD = {"actor": "alice", "topic": "troops", "stance": "open", "date": "last month", "source": "paper-a",
        "summary": "Says nothing is excluded."}  # fmt: skip


@pytest.fixture
def seeded(tmp_path, cli):
    """A CLI store holding the registry and one event, ready to refuse bad input."""
    write_jsonl(tmp_path / "seed" / "registry.jsonl", *registry_lines(), GOOD)
    assert cli("import", str(tmp_path / "seed"))[0] == 0
    return Store.open(cli.db)


def event(**changes):
    return json.dumps({**GOOD, **changes})


SUPERSEDES = "0123456789abcdef"
BAD = [
    ("malformed", ['{"actor": "alice" "topic": "troops"}'], 'malformed JSON (Expecting \',\' delimiter at column 19). Write one JSON object per line.'),
    ("unclosed", ['{"actor": "alice", "topic": "troops"'], "malformed JSON (Expecting ',' delimiter at the end of the line). Write one JSON object per line."),
    ("not an object", ['["alice"]'], "line is a JSON list, not an object. Write one object per line."),
    ("key twice", [event()[:-1] + ', "summary": "said again"}'], 'field "summary" appears twice. Keep the one you mean.'),
    ("missing field", [json.dumps({k: v for k, v in GOOD.items() if k != "summary"})], 'missing field "summary". Every event needs actor, topic, stance, date, source, summary.'),
    ("unknown field", [event(qoute="x")], 'field "qoute" is not a field of type "event". Did you mean "quote"?'),
    ("unknown type", ['{"type": "person", "actor_id": "x"}'], 'type "person" is unknown. Use one of: source, actor, topic, membership, text, event.'),
    ("unknown actor", [event(actor="alicia")], 'unknown actor "alicia". Did you mean "alice"?'),
    ("unknown subject", [event(subject="bobby", kind="claim")], 'unknown actor "bobby" in field "subject". Did you mean "bob"?'),
    ("bad actor id", [event(actor="Alice Smith")], "field \"actor\" has \"Alice Smith\": string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'. Use an actor id such as emmanuel-macron (lowercase ASCII words joined by hyphens)."),
    ("bad registry actor id", ['{"type": "actor", "actor_id": "Alice Smith", "name": "Alice", "kind": "person"}'], "field \"actor_id\" has \"Alice Smith\": string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'. Use an actor id such as emmanuel-macron (lowercase ASCII words joined by hyphens)."),
    ("bad group id", ['{"type": "membership", "actor_id": "alice", "group_id": "EU", "role": "member"}'], "field \"group_id\" has \"EU\": string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'. Use an actor id such as france (lowercase ASCII words joined by hyphens)."),
    ("bad topic id", ['{"type": "topic", "topic_id": "Ground troops", "proposition": "Send troops."}'], "field \"topic_id\" has \"Ground troops\": string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'. Use a topic id such as ground-troops-to-ukraine."),
    ("bad wikidata id", ['{"type": "actor", "actor_id": "dave", "name": "Dave", "kind": "person", "wikidata": "3052772"}'], "field \"wikidata\" has \"3052772\": string should match pattern '^Q[0-9]+$'. Use a Wikidata item id, such as Q3052772 for Emmanuel Macron."),
    ("bad scale label", ['{"type": "topic", "topic_id": "strikes-2", "proposition": "P.", "scale": {"Yes": 1}}'], "field \"scale.Yes.[key]\" has \"Yes\": string should match pattern '^[a-z][a-z0-9_]*$'. Write the scale as labels (lowercase letters, digits and _) with whole-number scores, such as {\"opposes\": -1, \"open\": 1}."),
    ("bad date basis", [event(date_basis="March")], "field \"date_basis\" has \"March\": input should be a valid date or datetime, input is too short. Write an ISO date such as 2024-02-26."),
    ("bad source id", ['{"type": "source", "source_id": "le_monde", "outlet": "Le Monde", "title": "T"}'], "field \"source_id\" has \"le_monde\": string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'. Use a source id such as rt-2024-03-04."),
    ("unknown topic", [event(topic="trops")], 'unknown topic "trops". Did you mean "troops"?'),
    ("stance off scale", [event(stance="maybe")], 'stance "maybe" is not on the scale of topic "troops". Use one of: rules_out, opposes, ambiguous, open, supports.'),
    ("unknown source", [event(source="papr-a")], 'unknown source "papr-a". Did you mean "paper-a"?'),
    ("unknown source far off", [event(source="wire")], 'unknown source "wire". Add a line with "type": "source" for it first.'),
    ("unparseable date", [event(date="the second anniversary of the invasion")], 'date "the second anniversary of the invasion" is not a date this tool can read. Write it as an ISO date (2024-02-26, 2024-02 or 2024) or a phrase such as "last month", "on Monday" or "early March 2024".'),
    ("null date", [event(date=None)], 'field "date" has null: input should be a valid string. Write the date as the source gives it, such as "last month", "on Monday" or 2024-02-26.'),
    ("empty summary", [event(summary=" ")], 'field "summary" has " ": string should have at least 1 character. Write in your own words what was said or done.'),
    ("relative date without basis", ['{"type": "source", "source_id": "memo", "outlet": "Leak", "title": "Undated memo"}', event(source="memo")], 'date "last month" is relative and has no basis. Give a source with published_on, or date_basis, or an absolute date.'),
    ("after its source", [event(date="2024-03-09")], 'date "2024-03-09" (2024-03-09..2024-03-09) falls after its basis 2024-03-08: a statement cannot postdate the source that reports it. Check the phrase, the source or date_basis.'),
    ("unknown supersedes", [event(supersedes=SUPERSEDES, correction_reason="entry_error")], f'supersedes "{SUPERSEDES}" names no event in the store or this import. Copy the event_id from timeline history or timeline sql.'),
    ("half a correction", [event(supersedes=SUPERSEDES)], "event is not valid: supersedes and correction_reason go together: give both or neither."),
    ("half a logged interval", [event(event_id=SUPERSEDES, seq=2, recorded_at="2024-03-08T10:00:00", hash="0" * 32, date_precision="month")], "log position is not valid: occurred_to and date_precision go together: give both, as exported, or neither."),
    ("actor renamed", ['{"type": "actor", "actor_id": "alice", "name": "Alicia", "kind": "person"}'], 'actor id "alice" already has name "Alice", not "Alicia". Use a new id, or keep the name; to correct a mistake, add "correction_reason": "entry_error" (the entry it replaces stays in registry_history).'),
    ("source redated", ['{"type": "source", "source_id": "paper-a", "outlet": "Paper A", "title": "A", "published_on": "2024-03-09"}'], 'source id "paper-a" already has published_on "2024-03-08", not "2024-03-09". Use a new id, or keep the published_on; to correct a mistake, add "correction_reason": "entry_error" (the entry it replaces stays in registry_history).'),
    ("bad registry correction", ['{"type": "actor", "actor_id": "alice", "name": "Alicia", "kind": "person", "correction_reason": "typo"}'], 'field "correction_reason" has "typo". Use one of: entry_error, reclassification.'),
    ("unterminated string", ['{"actor": "alice'], "malformed JSON (Unterminated string starting at column 11). Write one JSON object per line."),
    ("summary too long", [event(summary="x" * (SUMMARY_LIMIT + 1))], f'field "summary" is {SUMMARY_LIMIT + 1} characters long; the limit is {SUMMARY_LIMIT}. Write in your own words what was said or done.'),
    ("quote too long", [event(quote="x" * (QUOTE_LIMIT + 1))], f'field "quote" is {QUOTE_LIMIT + 1} characters long; the limit is {QUOTE_LIMIT}. Quote only the words that carry the position; put the rest in summary.'),
    ("first-hand kind about another", [event(subject="bob")], 'kind "statement" is first-hand, but subject "bob" is not actor "alice". Use kind "claim" or "report" for what one actor says of another, or drop subject.'),
    ("second-hand kind about the actor itself", [event(kind="claim")], 'kind "claim" is second-hand, but its subject is actor "alice" itself. Give subject, whose position it reports, or use kind "statement" for the actor\'s own.'),
    ("second-hand kind naming the actor as subject", [event(kind="report", subject="alice")], 'kind "report" is second-hand, but its subject is actor "alice" itself. Give subject, whose position it reports, or use kind "statement" for the actor\'s own.'),
    ("bad actor kind", ['{"type": "actor", "actor_id": "dave", "name": "Dave", "kind": "robot"}'], "field \"kind\" has \"robot\": input should be 'person', 'government', 'organization', 'agency' or 'media'. Use one of: person, government, organization, agency, media."),
    ("bad membership date", ['{"type": "membership", "actor_id": "alice", "group_id": "bob", "role": "aide", "valid_from": "someday"}'], 'field "valid_from" has "someday": input should be a valid date or datetime, input is too short. Write an ISO date such as 2024-02-26.'),
    ("bad kind", [event(kind="speech")], "field \"kind\" has \"speech\": input should be 'statement', 'action', 'claim' or 'report'. Use one of: statement, action, claim, report."),
]  # fmt: skip


@pytest.mark.parametrize(("case", "lines", "message"), BAD, ids=[case for case, _, _ in BAD])
def test_bad_line_is_refused_and_nothing_is_written(tmp_path, cli, seeded, case, lines, message):
    before = snapshot(seeded)
    path = write_jsonl(tmp_path / "bad.jsonl", GOOD | {"summary": "a new good line first"}, *lines)
    code, out, err = cli("import", str(path))
    assert (code, out, err) == (1, "", f"Error: {path} line {len(lines) + 1}: {message}\n")
    assert snapshot(seeded) == before


def test_every_refused_line_is_named_in_one_run(tmp_path, cli, seeded):
    """A file with many mistakes is fixed in one pass, not one run per line."""
    before = snapshot(seeded)
    path = write_jsonl(tmp_path / "bad.jsonl", GOOD | {"summary": "fine"}, event(actor="alicia"), event(stance="maybe"),
                       event(date="someday"), GOOD | {"summary": "fine too"})  # fmt: skip
    assert cli("import", str(path)) == (1, "", (
        "Error: 3 lines are refused, and nothing was written:\n"
        f'{path} line 2: unknown actor "alicia". Did you mean "alice"?\n'
        f'{path} line 3: stance "maybe" is not on the scale of topic "troops". Use one of: rules_out, opposes, ambiguous, open, supports.\n'
        f'{path} line 4: date "someday" is not a date this tool can read. Write it as an ISO date (2024-02-26, 2024-02 or 2024) or a phrase such as "last month", "on Monday" or "early March 2024".\n'
    ))  # fmt: skip
    assert snapshot(seeded) == before


def test_lines_that_cannot_be_read_are_named_before_any_is_resolved(tmp_path, cli, seeded):
    """An actor line that is malformed would make every event naming it an unknown actor: what cannot be read is
    fixed first, and the next run checks the rest against the registry."""
    before = snapshot(seeded)
    path = write_jsonl(tmp_path / "bad.jsonl", event(actor="alicia"), '{"actor": "alice" "topic": "troops"}',
                       json.dumps({k: v for k, v in GOOD.items() if k != "summary"}))  # fmt: skip
    assert cli("import", str(path)) == (1, "", (
        "Error: 2 lines are refused, and nothing was written:\n"
        f"{path} line 2: malformed JSON (Expecting ',' delimiter at column 19). Write one JSON object per line.\n"
        f'{path} line 3: missing field "summary". Every event needs actor, topic, stance, date, source, summary.\n'
    ))  # fmt: skip
    assert snapshot(seeded) == before


def test_a_long_list_of_refusals_shows_the_first_twenty_and_where_checking_stopped(tmp_path, cli, seeded):
    """Each refusal searches for the name meant: a million bad lines would take hours to list."""
    before = snapshot(seeded)
    path = write_jsonl(tmp_path / "bad.jsonl", *[event(actor="alicia", summary=f"said {n}") for n in range(25)])
    code, out, err = cli("import", str(path))
    refusal = 'unknown actor "alicia". Did you mean "alice"?'
    assert (code, out, err) == (1, "", "Error: More than 20 lines are refused, and nothing was written:\n"
                                + "".join(f"{path} line {n}: {refusal}\n" for n in range(1, 21))
                                + f"Checking stopped at {path} line 21.\n")  # fmt: skip
    assert snapshot(seeded) == before


def test_an_event_is_corrected_once_and_a_correction_in_turn(tmp_path, cli, seeded):
    original = seeded.sql("select event_id from events").tuples()[0][0]
    fix = GOOD | {"stance": "opposes", "summary": "read again", "supersedes": original, "correction_reason": "reclassification"}
    other = fix | {"summary": "read a third way"}
    before = snapshot(seeded)
    both = write_jsonl(tmp_path / "both.jsonl", fix, other)
    refused_in_one_file = cli("import", str(both))
    assert snapshot(seeded) == before
    assert cli("import", str(write_jsonl(tmp_path / "fix.jsonl", fix)))[0] == 0
    fix_id = seeded.sql("select event_id from events where supersedes = ?", [original]).tuples()[0][0]
    refusal = f'supersedes "{original}", which "{fix_id}" already corrects. Supersede "{fix_id}" instead, to correct the correction.'
    assert refused_in_one_file == (1, "", f"Error: {both} line 2: {refusal}\n")
    assert cli("import", str(tmp_path / "fix.jsonl"))[1].startswith("imported 0 new events (1 already present)")
    before = snapshot(seeded)
    later = write_jsonl(tmp_path / "later.jsonl", other)
    assert cli("import", str(later)) == (1, "", f"Error: {later} line 1: {refusal}\n")
    assert snapshot(seeded) == before
    with seeded.connections.writing() as con:  # the columnar path leaves a second correction to the line-by-line one
        assert store_declines(seeded, con, both) and store_declines(seeded, con, later)
        assert not store_declines(seeded, con, tmp_path / "fix.jsonl")  # a correction already logged passes
    assert cli("import", str(write_jsonl(tmp_path / "again.jsonl", other | {"supersedes": fix_id})))[0] == 0
    assert [(r.stance, r.summary) for r in seeded.stance_as_of("2024-03-31")] == [("opposes", "read a third way")]


def test_the_columnar_path_leaves_a_key_given_twice_to_the_line_by_line_path(tmp_path, seeded):
    """DuckDB's reader keeps the first of two values and Python's json the last: only a refusal is the same in both."""
    path = write_jsonl(tmp_path / "twice.jsonl", event(summary="once")[:-1] + ', "summary": "twice"}')
    with seeded.connections.writing() as con:
        assert store_declines(seeded, con, path)


def test_the_columnar_path_keeps_no_staged_table_whether_it_imports_declines_or_is_refused(tmp_path, seeded):
    """A file's import stages and resolves its files before its transaction, so that what it drops is freed at once;
    whatever comes of the import, the connection is left holding none of its tables."""
    typed = write_jsonl(tmp_path / "typed.jsonl", GOOD | {"quote": 3})  # declined while staging
    unknown = write_jsonl(tmp_path / "unknown.jsonl", GOOD | {"actor": "davey"})  # refused while resolving
    lost = GOOD | {"supersedes": SUPERSEDES, "correction_reason": "reclassification"}
    correction = write_jsonl(tmp_path / "lost.jsonl", lost)  # refused once its records are staged
    good = write_jsonl(tmp_path / "good.jsonl", GOOD | {"summary": "Says it again."})
    with seeded.connections.writing() as con:
        staged = "select table_name from duckdb_tables() where temporary"
        for path, added in ((typed, None), (unknown, None), (correction, None), (good, 1)):
            outcome = log.import_columns(con, [path], [], log.untold, seeded.clock)
            assert (outcome and outcome.added, con.execute(staged).fetchall()) == (added, [])
    assert seeded.sql("select count(*) from events").tuples() == [(2,)]


def test_an_import_tells_its_progress_step_by_step(tmp_path, seeded):
    """Each step is told as it begins, the bytes read and the events logged counted; where the columnar path
    declines the lines once read, the line-by-line path reads the files again and says so."""
    plain = write_jsonl(tmp_path / "plain.jsonl", *(GOOD | {"summary": f"Says it {n} times."} for n in range(3)))
    odd = write_jsonl(tmp_path / "odd.jsonl", GOOD | {"summary": "A control character \u0001 inside."})
    size = {path: path.stat().st_size for path in (plain, odd)}
    read = [("reading files", 0, size[plain]), ("reading files", size[plain], size[plain]), ("checking lines", 0, None),
            ("logging events", 0, None), ("logging events", 3, 3)]  # fmt: skip
    read_again = [("reading files", 0, size[odd]), ("reading files", size[odd], size[odd]), ("checking lines", 0, None),
                  ("reading files", size[odd], size[odd]), ("checking lines", 0, None), ("logging events", 0, None)]  # fmt: skip
    end = [("updating positions", 0, None), ("committing", 0, None)]
    for path, steps in ((plain, read + end), (odd, read_again + end)):
        told = []
        seeded.import_paths([path], progress=lambda *step: told.append(step))
        assert told == steps
    assert seeded.sql("select count(*) from events").tuples() == [(5,)]


def store_declines(store: Store, con, path) -> bool:
    return log.import_columns(con, [path], [], log.untold, store.clock) is None


def test_non_utf8_bytes_are_refused(tmp_path, cli, seeded):
    before = snapshot(seeded)
    path = tmp_path / "latin1.jsonl"
    latin1 = event(summary="cafe").replace("cafe", "caf\u00e9").encode("latin-1")
    path.write_bytes(event().encode() + b"\n" + latin1 + b"\n")
    column = latin1.index(b"\xe9") + 1
    code, _, err = cli("import", str(path))
    assert (code, err) == (1, f"Error: {path} line 2: bytes are not UTF-8 (0xe9 at column {column}). Save the file as UTF-8.\n")
    assert snapshot(seeded) == before


def test_error_in_a_later_file_writes_nothing_from_earlier_files(tmp_path, cli, seeded):
    before = snapshot(seeded)
    write_jsonl(tmp_path / "batch" / "a.jsonl", GOOD | {"summary": "fine"}, {"type": "actor", "actor_id": "dave", "name": "Dave", "kind": "person"})
    write_jsonl(tmp_path / "batch" / "b.jsonl", event(actor="davey"))
    code, _, err = cli("import", str(tmp_path / "batch"))
    assert (code, err) == (1, f'Error: {tmp_path / "batch" / "b.jsonl"} line 1: unknown actor "davey". Did you mean "dave"?\n')
    assert snapshot(seeded) == before


def test_empty_file_is_a_no_op_that_says_so(tmp_path, cli, seeded):
    before = snapshot(seeded)
    path = tmp_path / "empty.jsonl"
    path.write_text("\n  \n")
    assert cli("import", str(path)) == (0, "nothing to import: the files hold no lines\n", "")
    assert snapshot(seeded) == before


def test_missing_path_is_refused(tmp_path, cli, seeded):
    code, _, err = cli("import", str(tmp_path / "nope.jsonl"))
    assert (code, err) == (1, f'Error: path "{tmp_path / "nope.jsonl"}" does not exist. Give a .jsonl file or a directory of them.\n')


def test_a_directory_without_jsonl_files_is_refused(tmp_path, cli, seeded):
    before = snapshot(seeded)
    write_jsonl(tmp_path / "typo" / "events.json", GOOD | {"summary": "in a .json file, which a directory import skips"})
    code, _, err = cli("import", str(tmp_path / "typo"))
    assert (code, err) == (1, f'Error: directory "{tmp_path / "typo"}" holds no .jsonl files. Give a .jsonl file or a directory of them.\n')
    assert snapshot(seeded) == before


def test_a_registry_file_imported_again_says_its_entries_are_already_present(tmp_path, cli, seeded):
    path = write_jsonl(tmp_path / "registry.jsonl", *registry_lines())
    code, out, _ = cli("import", str(path))
    assert (code, out.rsplit(" ", 1)[0]) == (0, "imported 0 new events (0 already present), 0 registry entries (13 already present); head seq 1 hash")


def test_a_file_saved_with_a_byte_order_mark_imports(tmp_path, cli, seeded):
    path = tmp_path / "windows.jsonl"
    path.write_text(event(summary="saved by a Windows editor") + "\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, _ = cli("import", str(path))
    assert (code, out.rsplit(" ", 1)[0]) == (0, "imported 1 new event (0 already present), 0 registry entries (0 already present); head seq 2 hash")
    assert [e["summary"] for e in seeded.history("alice").dicts()][-1] == "saved by a Windows editor"


def test_registry_lines_apply_before_events_whatever_the_file_order(tmp_path, cli):
    write_jsonl(tmp_path / "in" / "a-events.jsonl", event(actor="dave"))
    write_jsonl(tmp_path / "in" / "b-registry.jsonl", *registry_lines(), {"type": "actor", "actor_id": "dave", "name": "Dave", "kind": "person"})
    code, out, _ = cli("import", str(tmp_path / "in"))
    assert code == 0
    assert out.startswith("imported 1 new event (0 already present), 14 registry entries (0 already present); head seq 1 hash ")
    assert cli("verify")[1].startswith("OK 1 event, head seq 1 hash ")


def test_importing_the_same_file_twice_appends_nothing(tmp_path, cli):
    path = write_jsonl(tmp_path / "x.jsonl", *registry_lines(), GOOD, event(stance="opposes", date="2024-03-01"))
    first, second = cli("import", str(path)), cli("import", str(path))
    head = first[1].rsplit(" ", 1)[1]
    assert first[1] == f"imported 2 new events (0 already present), 13 registry entries (0 already present); head seq 2 hash {head}"
    assert second[1] == f"imported 0 new events (2 already present), 0 registry entries (13 already present); head seq 2 hash {head}"


def test_a_line_repeated_within_a_file_is_logged_once_and_seqs_stay_contiguous(tmp_path, cli):
    later = {**GOOD, "stance": "opposes", "date": "2024-03-01"}
    path = write_jsonl(tmp_path / "x.jsonl", *registry_lines(), GOOD, GOOD, later)
    code, out, _ = cli("import", str(path))
    assert (code, out.rsplit(" ", 1)[0]) == (0, "imported 2 new events (1 already present), 13 registry entries (0 already present); head seq 2 hash")
    store = Store.open(cli.db)
    assert store.sql("select seq, stance from events order by seq").tuples() == [(1, "open"), (2, "opposes")]
    assert store.verify().ok


def test_a_registry_entry_is_corrected_and_the_one_it_replaces_stays_readable(tmp_path, cli, seeded, clock):
    path = write_jsonl(tmp_path / "fix.jsonl", {"type": "actor", "actor_id": "alice", "name": "Alice Liddell",
                                                "kind": "person", "correction_reason": "entry_error"})  # fmt: skip
    assert cli("import", str(path))[0] == 0
    assert seeded.table("actors", actor_id="alice").tuples() == [("alice", "Alice Liddell", "person", [], None)]
    history = seeded.sql("select table_name, entry_id, entry->>'name', replaced_at is not null from registry_history")
    assert history.tuples() == [("actors", "alice", "Alice", True)]
    assert cli("import", str(path))[1].startswith("imported 0 new events (0 already present), 0 registry entries (1 ")
    assert seeded.sql("select count(*) from registry_history").tuples() == [(1,)]  # the same again changes nothing


def test_append_twice_is_one_event(store):
    from conftest import said

    first, second = store.append(said("alice", "open", "2024-02-01")), store.append(said("alice", "open", "2024-02-01"))
    assert (first.added, first.present, second.added, second.present) == (1, 0, 0, 1)
    assert first.event_ids == second.event_ids
    assert store.sql("select count(*) from events").tuples() == [(1,)]


def test_an_id_that_only_shares_its_key_with_a_logged_one_is_not_logged(store):
    from conftest import said

    logged = store.append(said("alice", "open", "2024-02-01")).event_ids[0]
    twin = logged[:8] + "0" * 8  # the same event_key, another id
    assert twin != logged
    assert store.sql("select count(*) from timeline_internal.event_keys where key = timeline_internal.event_key(?)", [twin]).tuples() == [(1,)]
    assert store.sql("select event_id from timeline_internal.logged_event_ids([?, ?])", [logged, twin]).tuples() == [(logged,)]


def test_an_append_of_many_events_writes_what_appends_of_a_few_write(tmp_path, clock):
    """More than FEW events, or pairs, go to DuckDB as Arrow tables, a few as Python values: the log and its
    positions are the same."""
    from conftest import REGISTRY, said

    actors = [Actor(actor_id=f"a{n}", name=f"A{n}", kind="person") for n in range(FEW + 10)]
    events = [said(f"a{n % len(actors)}", ("open", "opposes", "supports", "ambiguous")[n % 4],
                   f"2024-02-{1 + n % 28:02d}", summary=f"Says it for the {n}th time.",
                   quote="nothing should be excluded" if n % 2 else None) for n in range(3 * FEW)]  # fmt: skip
    events[7] = said("spy-agency", "supports", "last month", subject="alice", kind="claim")
    many, few = (Store.open(tmp_path / f"{name}.duckdb", clock=clock) for name in ("many", "few"))
    for store in (many, few):
        store.append_many([*REGISTRY, *actors])
    assert many.append_many(events[:FEW]).added == FEW  # these go as values, and are then found by the table's ids
    result = many.append_many(events)
    assert (result.added, result.present) == (2 * FEW, FEW)
    for start in range(0, len(events), FEW):
        few.append_many(events[start:start + FEW])
    for query in ("select * from events order by seq",  # the days of positions as text: one is 'infinity'
                  "select * replace (valid_to::varchar as valid_to) from timeline_internal.positions order by all"):
        assert many.sql(query).tuples() == few.sql(query).tuples()
    assert many.verify().ok


def test_an_append_of_many_events_binds_no_value_at_a_time(tmp_path):
    """DuckDB's client tries to import pandas twice for each Python value it binds, and where pandas is not installed
    each try searches sys.path again, which took most of a large append's time. An append of more than FEW events
    hands it tables, for the events, the ids it looks up, the entries they cite and the pairs whose positions they
    move: its tries at pandas, counted here where pandas is refused, do not grow with any of these."""
    code = (
        "import importlib.abc, sys\n"
        "tries = []\n"
        "class Absent(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'pandas':\n"
        "            tries.append(name)\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Absent())\n"
        "from conftest import REGISTRY, said\n"
        "from timeline import Actor, Source, Store\n"
        "store = Store.open(sys.argv[1])\n"
        "store.append_many(REGISTRY)\n"
        "for n in (int(sys.argv[2]), 10 * int(sys.argv[2])):\n"
        "    store.append_many([entry for k in range(n) for entry in (\n"
        "        Source(source_id=f's{n}-{k}', outlet='O', title='T', published_on='2024-03-08'),\n"
        "        Actor(actor_id=f'a{n}-{k}', name=f'A {k}', kind='person'))])\n"
        "    before = len(tries)\n"
        "    store.append_many([said(f'a{n}-{k}', 'open', '2024-02-01', source=f's{n}-{k}') for k in range(n)])\n"
        "    print(len(tries) - before)\n"
    )
    process = run_python(code, str(tmp_path / "t.duckdb"), str(FEW + 1), cwd=Path(__file__).parent)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    small, large = map(int, out.split())
    assert small == large


def test_api_errors_name_the_entry(store):
    from conftest import said

    with pytest.raises(InputError, match=r'^append entry 2: unknown actor "alicia". Did you mean "alice"\?$'):
        store.append_many([said("alice", "open", "2024-02-01"), said("alicia", "open", "2024-02-01")])
    with pytest.raises(InputError) as refused:
        store.append_many([said("alice", "open", "2024-02-01"), "alice is open"])
    assert str(refused.value) == ("append entry 2: a str is not an entry. Pass an Event, Source, Actor, Topic or "
                                  "Membership, or a dict of one.")  # fmt: skip
    with pytest.raises(InputError) as refused:
        store.append(said("alice", "open", "2024-02-01", source="the-wire"))
    assert str(refused.value) == ('append entry 1: unknown source "the-wire". Add it first: import a line with "type": '
                                  '"source", or append a Source from Python.')  # fmt: skip
    with pytest.raises(InputError) as refused:
        store.append(said("giorgia-meloni", "opposes", "2024-02-01"))
    assert str(refused.value) == ('append entry 1: unknown actor "giorgia-meloni". Add it first: import a line with '
                                  '"type": "actor", or append an Actor from Python.')  # fmt: skip
    with pytest.raises(InputError) as refused:
        store.append_many([said("alicia", "open", "2024-02-01"), said("alice", "maybe", "2024-02-01")])
    assert str(refused.value) == ('2 entries are refused, and nothing was written:\n'
                                  'append entry 1: unknown actor "alicia". Did you mean "alice"?\n'
                                  'append entry 2: stance "maybe" is not on the scale of topic "troops". Use one of: '
                                  'rules_out, opposes, ambiguous, open, supports.')  # fmt: skip
    assert store.sql("select count(*) from events").tuples() == [(0,)]


def test_cli_append_prints_the_event_id_and_refuses_duplicates_quietly(tmp_path, cli, seeded):
    args = ["append", "--actor", "bob", "--topic", "troops", "--stance", "opposes", "--date", "last week",
            "--source", "paper-a", "--summary", "No troops."]  # fmt: skip
    code, out, err = cli(*args)
    event_id = out.strip()
    assert (code, len(event_id), err) == (0, 16, "")
    assert seeded.history("bob").dicts()[0]["event_id"] == event_id
    assert cli(*args) == (0, f"{event_id}\n", "already present: nothing appended\n")


TRICKY = [
    {**GOOD, "summary": 'Quotes "nothing", a back\\slash, a tab\tand a line\nbreak.', "quote": "Rien n'est exclu — « rien ». 🇫🇷"},
    {**GOOD, "date": "2024-03-01", "kind": "claim", "subject": "bob", "conditions": "if asked", "locator": "para 3"},
    {**GOOD, "date": "March 2024", "date_basis": "2024-04-02", "confidence": "high", "stance": "supports"},
    {**GOOD, "summary": "A control character \u0001 inside."},
    {"type": "event", **GOOD, "stance": "opposes", "source": "paper-c"},
    GOOD,
]


@pytest.mark.parametrize("import_slice", [log.IMPORT_SLICE, 2])
def test_columnar_import_writes_the_log_the_line_by_line_path_writes(tmp_path, clock, monkeypatch, import_slice):
    """The columnar path hashes in SQL, and chains and logs its records a slice at a time; the same lines through
    both paths give the same ids, order and chain."""
    monkeypatch.setattr(log, "IMPORT_SLICE", import_slice)
    plain = [line for line in TRICKY if "\u0001" not in line["summary"]]
    path = write_jsonl(tmp_path / "in.jsonl", *registry_lines(), *plain, plain[1])
    columnar, lines = (Store.open(tmp_path / f"{name}.duckdb", clock=clock) for name in ("columnar", "lines"))
    result = columnar.import_paths([path])
    by_line = lines.write(ingest.read([path]))
    columns = "seq, event_id, recorded_at, hash, occurred_from, occurred_to, date_precision, date_basis"
    assert columnar.sql(f"select {columns} from events order by seq").tuples() == \
        lines.sql(f"select {columns} from events order by seq").tuples()  # fmt: skip
    assert (result.added, result.present, len(result.event_ids)) == (5, 1, 6)
    assert (result.event_ids, result.head_hash) == (by_line.event_ids, by_line.head_hash)
    # written in seq order, slice after slice: a read of a range of seqs finds it in a row group or two
    assert columnar.sql("select seq from events order by rowid").tuples() == [(n,) for n in range(1, 6)]
    with columnar.connections.writing() as con:
        assert log.import_columns(con, [path], [], log.untold, columnar.clock).present == 6
    assert columnar.verify().ok


def test_the_columnar_path_takes_plain_lines_and_leaves_control_escapes_to_the_line_by_line_path(tmp_path):
    plain = write_jsonl(tmp_path / "plain.jsonl", *registry_lines(), *TRICKY[:3])
    escaped = write_jsonl(tmp_path / "escaped.jsonl", TRICKY[3])
    store = Store.open(tmp_path / "t.duckdb")
    with store.connections.writing() as con:
        assert log.import_columns(con, [plain], [], log.untold, store.clock).added == 3
        assert log.import_columns(con, [escaped], [], log.untold, store.clock) is None
    assert store.import_paths([escaped]).added == 1
    summary = store.sql("select summary from events order by seq desc limit 1").tuples()
    assert summary == [("A control character \u0001 inside.",)]


@pytest.mark.parametrize("value", [3, -1.5, True, False, ["x"], {"text": "x"}])
def test_the_columnar_path_leaves_values_that_are_not_strings_to_the_line_by_line_path(tmp_path, value):
    """Lines are typed cheaply by their text; a colon followed by a digit inside a string does not fool it."""
    colons = write_jsonl(tmp_path / "colons.jsonl", *registry_lines(), GOOD | {"summary": "At 10:30: 2 ministers"})
    typed = write_jsonl(tmp_path / "typed.jsonl", GOOD | {"quote": "A string."}, GOOD | {"quote": value})
    store = Store.open(tmp_path / "t.duckdb")
    with store.connections.writing() as con:
        assert log.import_columns(con, [colons], [], log.untold, store.clock).added == 1
        assert log.import_columns(con, [typed], [], log.untold, store.clock) is None
    with pytest.raises(InputError, match=f'^{typed} line 2: field "quote" has .*: input should be a valid string. '):
        store.import_paths([typed])


def test_the_free_text_fields_are_those_pydantic_only_strips_and_bounds():
    """Only these may have their values vouched for in SQL; a field given a pattern or a validator drops out."""
    assert ingest.free_text_limits() == {"summary": SUMMARY_LIMIT, "quote": QUOTE_LIMIT, "conditions": None,
                                         "locator": None}  # fmt: skip


def test_sql_vouches_for_a_free_text_value_only_where_pydantic_takes_it_unchanged(store):
    """plain_text is a shortcut, never a second judge: what it vouches for, check_values passes as it stands."""
    values = ["Said no.", "x", "x" * SUMMARY_LIMIT, "a" + "é" * 999 + "a", "x" * (SUMMARY_LIMIT + 1),
              "a" + "é" * 1000 + "a", " padded", "padded ", "\u00a0nbsp", "tab\t", "\x1fseparator", "ends in é",
              "em space\u2003", "combining e\u0301", "🇫🇷 first", ""]  # fmt: skip
    vouched = store.sql("select v from (select unnest(?) as v) where timeline_internal.plain_text(v, ?)",
                        [values, SUMMARY_LIMIT]).tuples()  # fmt: skip
    assert [v for (v,) in vouched] == ["Said no.", "x", "x" * SUMMARY_LIMIT, "a" + "é" * 999 + "a"]
    for (value,) in vouched:
        ingest.check_values("summary", [value])
    assert store.sql("select timeline_internal.plain_text('A summary of any length.', null)").tuples() == [(True,)]


@pytest.mark.parametrize("field, value", [("summary", "Padded. "), ("quote", " spaced"), ("conditions", "if\u00a0"),
                                          ("summary", "x" * (SUMMARY_LIMIT + 1))])  # fmt: skip
def test_the_columnar_path_leaves_free_text_that_validation_would_change_or_refuse_to_pydantic(tmp_path, field, value):
    plain = write_jsonl(tmp_path / "plain.jsonl", *registry_lines(), TRICKY[0], GOOD | {"quote": "Plain.", "locator": "p 2"})
    odd = write_jsonl(tmp_path / "odd.jsonl", GOOD | {field: value})
    store = Store.open(tmp_path / "t.duckdb")
    with store.connections.writing() as con:
        assert log.import_columns(con, [plain], [], log.untold, store.clock).added == 2
        assert log.import_columns(con, [odd], [], log.untold, store.clock) is None


def test_content_hash_in_sql_matches_the_python_definition(store):
    """The macro the columnar import hashes with gives every event the id models.content_hash gives it."""
    first = store.append_many([Event.model_validate(e) for e in TRICKY[:3]]).event_ids[0]
    fix = GOOD | {"date": "before 2024-03-01", "supersedes": first, "correction_reason": "reclassification"}
    store.append(Event.model_validate(fix))
    columns = ", ".join(CONTENT_FIELDS)
    rows = store.sql(f"select timeline_internal.content_hash({columns}), {columns} from events").tuples()
    assert [row[1 + CONTENT_FIELDS.index("occurred_from")] for row in rows][-1] is None
    assert len(rows) == 4
    assert [row[0] for row in rows] == [content_hash(row[1:]) for row in rows]


def test_import_reads_standard_input_and_names_it_in_a_refusal(tmp_path):
    """`jq -c … | timeline import -`: the lines come through a pipe, and a bad one is named as stdin's, not a temp file's."""
    lines = "".join(json.dumps(line) + "\n" for line in [*registry_lines(), GOOD])
    done = run_timeline("import", "-", cwd=tmp_path, input=lines)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("imported 1 new event (0 already present), 13 registry entries (0 already present); ")
    refused = run_timeline("import", "-", cwd=tmp_path, input=event(stance="opposes") + "\n" + event(actor="alicia") + "\n")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == 'Error: stdin line 2: unknown actor "alicia". Did you mean "alice"?\n'
    assert Store.open(tmp_path / "timeline.duckdb").sql("select count(*) from events").tuples() == [(1,)]
