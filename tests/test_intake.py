"""The way in: archived texts, quotes found in them, and verify covering both."""

from __future__ import annotations

import json
from contextlib import closing

import duckdb
import pytest
from conftest import REGISTRY, said, snapshot, write_jsonl

from timeline import InputError, SourceText, Store, quotes

ARTICLE = (
    "Paris, 8 March. Alice told reporters on Monday that \u201cnothing should be excluded\u2014not even troops.\u201d\n"
    "Bob said the idea was \u2018dangerous\u2019. \"We will not send anyone,\" he said, \"not now, not later.\"\n"
)


def registry_lines() -> list[dict]:
    return [{"type": type(entry).__name__.lower(), **entry.model_dump(mode="json", exclude_none=True)} for entry in REGISTRY]


def quoted(quote: str, actor: str = "alice") -> dict:
    return {"actor": actor, "topic": "troops", "stance": "open", "date": "on Monday", "source": "paper-a",
            "summary": f"{actor} spoke", "quote": quote}  # fmt: skip


@pytest.fixture
def folder(tmp_path):
    """A folder of events with the text of paper-a archived beside them, as events/ holds the sample's."""
    (tmp_path / "in" / "texts").mkdir(parents=True)
    (tmp_path / "in" / "texts" / "paper-a.txt").write_bytes(ARTICLE.encode())
    write_jsonl(tmp_path / "in" / "registry.jsonl", *registry_lines())
    return tmp_path / "in"


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("nothing should be excluded", "nothing should be excluded"),
        ('nothing should be excluded-not even troops.', "nothing should be excluded\u2014not even troops."),
        ("Bob said the idea was 'dangerous'", "Bob said the idea was \u2018dangerous\u2019"),
        ("We will not send anyone, ... not later.", 'We will not send anyone," he said, "not now, not later.'),
        ("We will not send anyone,\u2026not later.", 'We will not send anyone," he said, "not now, not later.'),
        ("reporters   on\nMonday", "reporters on Monday"),
    ],
)
def test_a_quote_is_found_as_a_reader_would_find_it(quote, found):
    start, end = quotes.locate(quote, ARTICLE)
    assert ARTICLE[start:end].replace("\n", " ") == found


def test_a_quote_not_in_the_text_names_the_closest_passage():
    with pytest.raises(quotes.QuoteNotFound) as caught:
        quotes.locate("nothing shoud be exclude", ARTICLE)
    assert caught.value.closest == "nothing should be excluded-not"


def test_an_import_archives_texts_and_locates_every_quote(folder, tmp_path):
    write_jsonl(folder / "events.jsonl", quoted("nothing should be excluded"), quoted("'dangerous'", "bob"))
    store = Store.open(tmp_path / "t.duckdb")
    outcome = store.import_paths([folder])
    assert (outcome.added, outcome.texts) == (2, 1)
    spans = store.sql("select actor_id, quote_start, quote_end from timeline order by seq").tuples()
    assert [(actor, ARTICLE[start:end]) for actor, start, end in spans] == [
        ("alice", "nothing should be excluded"), ("bob", "\u2018dangerous\u2019")]
    archived = store.sql("select source_id, sha256, text from source_texts").tuples()
    assert archived == [("paper-a", SourceText(source_id="paper-a", text=ARTICLE).sha256, ARTICLE)]
    assert store.import_paths([folder]).added == 0  # the same text and events again: nothing new
    assert store.sql("select count(*) from source_texts").tuples() == [(1,)]
    assert store.verify().ok


@pytest.mark.parametrize("columnar", [True, False], ids=["as columns", "line by line"])
def test_a_quote_not_in_its_text_is_refused_by_line_and_nothing_is_written(folder, tmp_path, cli, columnar):
    lines = [quoted("nothing should be excluded"), quoted("We will never send anyone", "bob")]
    if not columnar:
        lines.append('{"actor": "carol", "topic": "troops", "stance": "open", "date": "on Monday", "source": '
                     '"paper-a", "summary": "\\u0001"}')  # an escape the columnar path leaves to the other
    path = write_jsonl(folder / "events.jsonl", *lines)
    code, out, err = cli("import", str(folder))
    assert (code, out) == (1, "")
    assert err == (
        f'Error: {path} line 2: quote "We will never send anyone" is not in the archived text of source "paper-a". '
        'The closest passage is "We will not send anyone,". Quote the text as it is written (an ellipsis may stand '
        "for words left out), or supersede the event with the quote mended.\n"
    )
    store = Store(cli.db)
    assert store.sql("select count(*) from events").tuples() == [(0,)]
    assert store.sql("select count(*) from source_texts").tuples() == [(0,)]


def test_an_archived_text_is_never_rewritten(folder, tmp_path):
    store = Store.open(tmp_path / "t.duckdb")
    store.import_paths([folder])
    before = snapshot(store)
    (folder / "texts" / "paper-a.txt").write_text(ARTICLE + "A later paragraph.\n")
    with pytest.raises(InputError) as caught:
        store.import_paths([folder])
    sha = SourceText(source_id="paper-a", text=ARTICLE).sha256
    assert str(caught.value) == (
        f'{folder / "texts" / "paper-a.txt"}: source "paper-a" already has an archived text (sha256 {sha[:12]}…) and '
        "an archived text is never rewritten. Archive this one under a new source id."
    )
    assert snapshot(store) == before


def test_a_text_for_an_unknown_source_is_refused(tmp_path):
    path = tmp_path / "texts" / "paper-z.txt"
    path.parent.mkdir()
    path.write_text("Some text.")
    store = Store.open(tmp_path / "t.duckdb")
    store.append_many(REGISTRY)
    with pytest.raises(InputError) as caught:
        store.import_paths([path])
    assert str(caught.value) == (f'{path}: unknown source "paper-z". Did you mean "paper-c"?')


def test_archiving_a_text_after_the_events_locates_their_quotes_or_refuses_it(store, folder):
    store.append_many([said("alice", "open", "on Monday", quote="nothing should be excluded"),
                       said("bob", "opposes", "on Monday", quote="not ever")])  # fmt: skip
    text = folder / "texts" / "paper-a.txt"
    with pytest.raises(InputError) as caught:
        store.import_paths([text])
    bob = store.sql("select event_id from events where actor_id = 'bob'").tuples()[0][0]
    assert str(caught.value).startswith(f'event {bob}: quote "not ever" is not in the archived text of source "paper-a".')
    assert store.sql("select count(*) from source_texts").tuples() == [(0,)]
    store.append(said("bob", "opposes", "on Monday", quote="not now, not later", supersedes=bob,
                      correction_reason="entry_error"))  # fmt: skip
    assert store.import_paths([text]).texts == 1
    assert store.sql("select count(quote_start) from timeline").tuples() == [(2,)]  # the superseded one is not checked


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("update source_texts set text = replace(text, 'Monday', 'Sunday')",
         'archived text 1 (source "paper-a"): its text does not match its sha256: the text was changed'),
        ("update source_texts set text = replace(text, 'Monday', 'Sunday'), sha256 = sha256(replace(text, 'Monday', "
         "'Sunday'))", 'archived text 1 (source "paper-a"): hash does not match: the row was changed or inserted out '
         "of band"),
        ("update timeline_internal.quote_spans set quote_start = quote_start + 1",
         'the quote of event {id} (seq 1) is no longer at [{start}, {end}) in the archived text of source "paper-a"'),
        ("delete from timeline_internal.quote_spans",
         'the quote of event {id} (seq 1) was never located in the archived text of source "paper-a"'),
    ],
    ids=["text", "text and its sha256", "quote moved", "quote unlocated"],
)
def test_verify_checks_every_text_and_every_located_quote(folder, tmp_path, cli, tamper, problem):
    write_jsonl(folder / "events.jsonl", quoted("nothing should be excluded"))
    assert cli("import", str(folder))[0] == 0
    event_id = Store(cli.db).sql("select event_id from events").tuples()[0][0]
    with closing(duckdb.connect(str(cli.db))) as con:
        con.execute(tamper)
        start, end = con.execute("select quote_start, quote_end from timeline_internal.quote_spans").fetchone() or (0, 0)
    message = problem.format(id=event_id, start=start, end=end)
    assert cli("verify") == (1, "", f"Error: verify failed: {message}; restore the store from a copy or an export.\n")


def test_verify_names_the_texts_head_and_accepts_it_as_a_published_head(folder, cli):
    write_jsonl(folder / "events.jsonl", quoted("nothing should be excluded"))
    cli("import", str(folder))
    outcome = Store(cli.db).verify()
    assert (outcome.texts, len(outcome.texts_head)) == (1, 32)
    code, out, _ = cli("verify", "--head", outcome.texts_head)
    assert (code, out) == (0, f"OK 1 event, head seq 1 hash {outcome.head_hash}; the published head "
                              f"{outcome.texts_head} is an archived text's; 1 archived text, head hash "
                              f"{outcome.texts_head}\n")  # fmt: skip


def test_a_text_keeps_its_bytes_as_archived(tmp_path, store):
    raw = "Line one.\r\nLine two, with caf\u00e9.\r\n"
    path = tmp_path / "texts" / "paper-b.txt"
    path.parent.mkdir()
    path.write_bytes(raw.encode())
    store.import_paths([path])
    assert store.sql("select text from source_texts").tuples() == [(raw,)]
    assert json.loads(json.dumps(raw)) == raw


HTML = """<html><head><title>Haddad: nothing ruled out</title>
<meta property="og:site_name" content="Example Wire"><meta name="date" content="2024-10-02"></head>
<body><nav>Home | World</nav><article><h1>Haddad: nothing ruled out</h1>
<p>French minister Benjamin Haddad said on Tuesday that "nothing should be ruled out" in Ukraine.</p>
<p>"We will support Ukraine as long as it takes," he told reporters in Paris, adding that allies agreed.</p>
</article><footer>Copyright Example Wire</footer></body></html>"""


@pytest.fixture
def sample_cli(cli):
    from conftest import ROOT

    assert cli("import", str(ROOT / "events"))[0] == 0
    return cli


def test_source_add_archives_html_through_trafilatura_with_its_metadata(tmp_path, sample_cli):
    page = tmp_path / "haddad.html"
    page.write_text(HTML)
    code, out, err = sample_cli("source", "add", str(page))
    store = Store(sample_cli.db)
    text = store.texts()[-1].text
    assert (code, err) == (0, "")
    assert out == (f'archived source "haddad-nothing-ruled-out-2024-10-02": {len(text):,} characters, sha256 '
                   f"{SourceText(source_id='x', text=text).sha256}; 0 quotes found in it\n")
    assert "Copyright" not in text and "Benjamin Haddad said on Tuesday" in text
    assert store.table("sources", source_id="haddad-nothing-ruled-out-2024-10-02").dicts()[0] | {"notes": ""} == {
        "source_id": "haddad-nothing-ruled-out-2024-10-02", "outlet": "Example Wire", "title": "Haddad: nothing ruled out",
        "url": None, "published_on": __import__("datetime").date(2024, 10, 2), "language": "en", "notes": ""}
    assert sample_cli("source", "add", str(page)) == (
        0, 'source "haddad-nothing-ruled-out-2024-10-02" already has this text: nothing written\n', "")


def test_source_add_of_a_text_without_a_date_names_the_option_to_give(tmp_path, sample_cli):
    before = snapshot(Store(sample_cli.db))
    page = tmp_path / "note.txt"
    page.write_text("An undated note. Alice said nothing.")
    code, out, err = sample_cli("source", "add", str(page), "--title", "A note", "--outlet", "Memo")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (f'Error: "{page}" gives no publication date, which its relative dates ("last '
                                    'month") are read against. Give --published-on.')
    assert snapshot(Store(sample_cli.db)) == before


def test_source_add_of_a_sample_text_finds_the_quotes_logged_from_it(tmp_path):
    """The sample's events without its texts, then each text archived: every quote already logged is found."""
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "events", tmp_path / "events", ignore=shutil.ignore_patterns("texts"))
    store = Store.open(tmp_path / "t.duckdb")
    store.import_paths([tmp_path / "events"])
    from click.testing import CliRunner

    from timeline.cli import main

    text = ROOT / "events" / "texts" / "not-up-for-discussion-2024-03-08.txt"
    done = CliRunner().invoke(main, ["--db", str(store.path), "source", "add", str(text), "--source-id",
                                     "not-up-for-discussion-2024-03-08"])  # fmt: skip
    assert done.exit_code == 0, done.output
    quoted_there = store.sql("select count(*) from effective_events where source_id = 'not-up-for-discussion-2024-03-08'"
                             " and quote is not null").tuples()[0][0]  # fmt: skip
    assert quoted_there == 5 and done.stdout.endswith("; 5 quotes found in it\n")


def test_extract_reads_a_text_file_without_a_store(tmp_path, cli):
    page = tmp_path / "a.txt"
    page.write_text(ARTICLE)
    code, out, _ = cli("extract", str(page), "--published-on", "2024-03-08", "--format", "json")
    assert code == 0 and not cli.db.exists()
    found = [(c["speaker"], c["actor"], c["cue"], c["direct"], c["content"], c["date_text"], c["occurred_from"])
             for c in json.loads(out)]  # fmt: skip
    assert found == [
        ("Alice", None, "told reporters on Monday", True, "\u201cnothing should be excluded\u2014not even troops.\u201d",
         "on Monday", "2024-03-04"),
        ("Bob", None, "said", False, "the idea was \u2018dangerous\u2019", None, None),
        ("he", None, "said", True, '"We will not send anyone," he said, "not now, not later."', None, None),
    ]  # fmt: skip
    for c in json.loads(out):
        assert ARTICLE[c["content_start"]:c["content_end"]] == c["content"]
        assert ARTICLE[c["speaker_start"]:c["speaker_end"]] == c["speaker"]


def test_extract_resolves_speakers_through_the_registry_and_the_person_last_named(sample_cli):
    out = sample_cli("extract", "not-up-for-discussion-2024-03-08", "--format", "json")[1]
    found = [(c["speaker"], c["actor"], c["direct"]) for c in json.loads(out)][:5]
    assert found == [
        ("France's Minister of Defense", None, False),  # the subheading: no one the registry names
        ("French Defense Minister Sebastien Lecornu", "sebastien-lecornu", False),
        ("he", "sebastien-lecornu", True),
        ("Lecornu", "sebastien-lecornu", True),
        ("French President Emmanuel Macron", "emmanuel-macron", True),
    ]
    macron = json.loads(out)[4]
    assert (macron["cue"], macron["date_text"], macron["occurred_from"], macron["date_precision"]) == (
        "declared last month", "last month", "2024-02-01", "month")


def test_review_lines_are_refused_until_a_person_finishes_them(sample_cli, tmp_path):
    out = sample_cli("extract", "not-up-for-discussion-2024-03-08", "--format", "jsonl")[1]
    lines = [json.loads(line) for line in out.splitlines()]
    path = tmp_path / "review.jsonl"
    path.write_text(out)
    code, _, err = sample_cli("import", str(path))
    assert code == 1
    assert err.splitlines()[1] == (f'{path} line 1: candidate not reviewed yet. Fill in actor, topic, stance, date, '
                                   'check actor, kind and subject against the sentence, then delete "review".')
    macron = lines[4]
    assert macron["quote"].startswith("there is no consensus today to send ground troops... but nothing")
    del macron["review"]
    macron |= {"topic": "ground-troops-to-ukraine", "stance": "open", "summary": "Says nothing is excluded."}
    path.write_text(json.dumps(macron) + "\n")
    assert sample_cli("import", str(path))[0] == 0  # the same event as the curated one, quote found, nothing new
