"""The published site, read in a real headless Chromium: every stance row is the command's answer for that day."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT, said

from timeline import ExportError, Store, site
from timeline.site import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (Debian's package "
                                    "chromium; .ci/run installs it): the site is tested in a real browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ROW = re.compile(r'<details class="row" data-actor="([^"]+)" data-topic="([^"]+)" data-stance="([^"]+)">')


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Store, Path]:
    folder = tmp_path_factory.mktemp("site")
    store = Store.open(folder / "sample.duckdb")
    store.import_paths([ROOT / "events"])
    pages = build(store, folder / "site", now=datetime(2026, 12, 4, 12, 0))
    assert pages == (1 + len(store.table("actors")), {})  # the board and a page per actor; nothing left out
    return store, folder / "site"


def dom(page: Path, fragment: str, profile: Path) -> str:
    """The page as the browser rendered it, after its script ran."""
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                           f"{page.as_uri()}#{fragment}"], capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return done.stdout


@needs_chromium
@pytest.mark.parametrize(("topic", "day"), [
    ("ground-troops-to-ukraine", "2024-02-20"), ("ground-troops-to-ukraine", "2024-03-10"),
    ("ground-troops-to-ukraine", "2024-10-04"), ("non-combat-presence-in-ukraine", "2024-06-01"),
    ("long-range-strikes-in-russia", "2024-10-04"), ("ground-troops-to-ukraine", "1990-01-01"),
])  # fmt: skip
def test_the_board_shows_what_timeline_stance_answers_for_that_day(published, tmp_path, topic, day):
    store, site = published
    shown = ROW.findall(dom(site / "index.html", f"topic={topic}&as-of={day}", tmp_path))
    answer = [(r.actor_id, r.topic_id, r.stance) for r in store.stance_as_of(day, topic=topic)]
    assert shown == answer and (answer or day == "1990-01-01" or topic == "long-range-strikes-in-russia")


@needs_chromium
def test_each_stance_opens_its_evidence_and_claims_sit_beside_it(published, tmp_path):
    _, site = published
    page = dom(site / "index.html", "topic=ground-troops-to-ukraine&as-of=2024-10-04", tmp_path)
    france = page[page.index('data-actor="france"'):].split("</details>")[0]
    assert "second-hand</span> Foreign Intelligence Service of Russia (SVR) claims supports, July 2024" in france
    march = dom(site / "index.html", "topic=ground-troops-to-ukraine&as-of=2024-03-10", tmp_path)
    assert ("Divided. Members in office: Emmanuel Macron open, S\u00e9bastien Lecornu opposes, St\u00e9phane S\u00e9journ\u00e9 "
            "open") in march[march.index('data-actor="france"'):].split("</details>")[0]
    nato = page[page.index('data-actor="nato"'):].split("</details>")[0]
    assert "since undated" in nato and "undated (on or before 2024-03-03)" in nato
    assert "<blockquote>\u201cno troops on the ground in Ukraine\u201d</blockquote>" in nato
    macron = page[page.index('data-actor="emmanuel-macron"'):].split("</details>")[0]
    assert "Also reported by:" in macron


def test_a_span_names_the_other_sources_of_its_run_that_are_still_in_force(store, clock):
    """Alice's own words of the same stance from the run's start to the span's day, in other sources: not a
    retracted one, not a claim about her, not Bob's."""
    store.append_many([said("alice", "open", "2024-02-01"), said("alice", "open", "2024-02-05", source="paper-b"),
                       said("spy-agency", "open", "2024-02-03", subject="alice", kind="claim", source="paper-c"),
                       said("bob", "open", "2024-02-04", source="paper-c")])  # fmt: skip
    wrong = store.append(said("alice", "open", "2024-02-07", source="paper-c")).event_ids[0]
    clock.advance(days=1)
    store.append_many([said("alice", "open", "2024-02-07", source="paper-c", supersedes=wrong,
                            correction_reason="retraction", summary="Retracted."),
                       said("alice", "open", "2024-02-10")])  # fmt: skip
    spans = store.stance_spans([{"actor_id": "alice", "topic_id": "troops"}]).dicts()
    assert [(s["valid_from"], s["source_id"], s["other_sources"]) for s in spans] == [
        ("2024-02-01", "paper-a", []), ("2024-02-05", "paper-b", ["paper-a"]), ("2024-02-10", "paper-a", ["paper-b"])]


def test_the_site_stands_alone_and_says_how_to_check_it(published):
    store, site = published
    index = (site / "index.html").read_text()
    outcome = store.verify()
    assert f"timeline verify --head {outcome.head_hash}" in index
    assert f"{outcome.count} events, head hash <code>{outcome.head_hash}</code>" in index
    assert "Made 2026-12-04 12:00 UTC" in index
    assert re.findall(r'(?:src|href)="([^"]+)"', index) == ["site.css", "index.html", "charts/ground-troops-to-ukraine.svg",
                                                            "charts/long-range-strikes-in-russia.svg",
                                                            "charts/non-combat-presence-in-ukraine.svg", "site.js"]  # fmt: skip
    assert sorted(p.name for p in (site / "charts").iterdir()) == [
        "ground-troops-to-ukraine.svg", "long-range-strikes-in-russia.svg", "non-combat-presence-in-ukraine.svg"]
    assert len(list((site / "actors").iterdir())) == len(store.table("actors"))


def test_an_actor_page_dates_each_statement_as_written(published):
    _, site = published
    page = (site / "actors" / "sebastien-lecornu.html").read_text()
    assert "<strong>shift</strong> on non-combat-presence-in-ukraine: open &rarr; supports, May 2024" in page
    assert "not named in the text, <cite>NATO deployment not up for discussion at the moment: French MoD</cite>" in page
    assert "<p class=\"when\">May 2024 <span class=\"written\">(as written: &ldquo;In May&rdquo;)</span></p>" in page


def test_actor_pages_list_the_latest_of_what_history_and_changes_answer(published, tmp_path, monkeypatch):
    """The pages read every actor's statements and changes at once; each list is the end of the actor's own answer."""
    store, _ = published
    ids = [a["actor_id"] for a in store.table("actors").dicts()]
    statements, changes = store.latest_statements(ids, 2).dicts(), store.latest_changes(ids, 2).dicts()
    titles = {s["source_id"]: (s["title"], s["url"]) for s in store.table("sources").dicts()}
    for actor in ids:
        history, mine = store.history(actor).dicts(), [e for e in statements if e["page_actor"] == actor]
        assert len(mine) == min(len(history), 2) and [{k: e[k] for k in history[0]} for e in mine] == history[-2:]
        assert [e["earlier"] for e in mine] == [max(len(history) - 2, 0)] * len(mine)
        assert [(e["title"], e["url"]) for e in mine] == [titles[e["source_id"]] for e in mine]
        assert [c for c in changes if c["actor_id"] == actor] == store.changes(actor=actor).dicts()[-2:]
    macron = store.history("emmanuel-macron").dicts()
    assert len(macron) == 8 and [c["actor_id"] for c in changes] == ["sebastien-lecornu"]
    monkeypatch.setattr(site, "MAX_STATEMENTS", 2)
    build(store, tmp_path / "site", now=datetime(2026, 12, 4, 12, 0))
    page = (tmp_path / "site" / "actors" / "emmanuel-macron.html").read_text()
    assert (f"The latest 2; {len(macron) - 2} earlier ones are in the store: <code>timeline history emmanuel-macron</code>"
            in page)
    assert [m.group(1) for m in re.finditer(r'data-event="([^"]+)"', page)] == [e["event_id"] for e in macron[-2:]]


def test_actor_pages_list_the_latest_changes_each_actor_made(store):
    store.append_many([said("alice", stance, f"2024-03-0{n + 1}") for n, stance in
                       enumerate(["open", "supports", "opposes", "rules_out", "ambiguous"])])  # fmt: skip
    store.append_many([said("bob", "open", "2024-01-05"), said("bob", "opposes", "2024-02-05")])
    latest = store.latest_changes(["alice", "bob", "carol"], 2).dicts()
    assert latest == store.changes(actor="alice").dicts()[-2:] + store.changes(actor="bob").dicts()
    assert [(c["actor_id"], c["to_stance"]) for c in latest] == [("alice", "rules_out"), ("alice", "ambiguous"),
                                                                 ("bob", "opposes")]  # fmt: skip


def test_a_topic_with_more_spans_than_a_page_carries_keeps_the_busiest_that_fit_and_says_so(store, tmp_path, monkeypatch,
                                                                                              cli):
    store.append_many([said("alice", "open", "2024-01-02"), said("alice", "opposes", "2024-01-03"),
                       said("alice", "supports", "2024-01-04"), said("bob", "open", "2024-01-05"),
                       said("bob", "opposes", "2024-01-06"), said("carol", "open", "2024-03-05")])  # fmt: skip
    shown = {}
    for budget in (4, 2):  # 3 spans of alice's, 2 of bob's, 1 of carol's
        monkeypatch.setattr(site, "MAX_SPANS", budget)
        assert build(store, tmp_path / "site", topics=["troops"]) == (6, {"troops": 1 if budget == 4 else 2})
        index = (tmp_path / "site" / "index.html").read_text()
        shown[budget] = [(s["actor_id"], s["stance"]) for s in json.loads(re.search(r'id="data">(.*?)</script>', index)
                                                                          .group(1))["spans"]]  # fmt: skip
    # alice fits in 4 and bob then would not, but carol does; alice alone is past 2, and so is bob with carol
    assert shown == {4: [("alice", "open"), ("alice", "opposes"), ("alice", "supports"), ("carol", "open")],
                     2: [("bob", "open"), ("bob", "opposes")]}  # fmt: skip
    assert ("On troops this page shows the busiest actors that fit in it; 2 others are left out, so that it opens "
            "quickly. Ask the store for them: <code>timeline stance --topic troops</code>") in index
    out = tmp_path / "again"
    assert cli("site", "--topic", "troops", "-o", str(out), db_path=store.path) == (
        0, f"wrote 6 pages to {out}/ (open {out}/index.html)\n", "troops: left out 2 actors to keep the page under 2 spans "
        "of stance, which opens in under 3 s: it shows the busiest actors that fit; publish fewer topics to keep more\n")


def test_a_site_is_not_written_over_a_folder_it_did_not_make(published, tmp_path):
    store, _ = published
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError) as caught:
        build(store, tmp_path)
    assert str(caught.value) == (f'cannot write "{tmp_path}": it holds notes.txt, which a site would not have written. '
                                 "Give a new or empty directory, or an earlier site to replace.")
    assert (tmp_path / "notes.txt").read_text() == "mine"
