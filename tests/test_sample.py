"""The sample timeline in events/: sourced, quoted verbatim, and answering as the articles say."""

from __future__ import annotations

import re
import warnings
from datetime import date

import pytest
from conftest import ROOT, SEEDS

from timeline import Store

D = date.fromisoformat


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        store.import_paths([ROOT / "events"])
    return store


def plain(text: str) -> str:
    """Text with quote marks and whitespace folded, for comparing quotes with articles."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def test_the_sample_imports_cleanly_and_verifies(sample):
    outcome = sample.verify()
    assert outcome.ok and outcome.count == sample.sql("select count(*) from events").tuples()[0][0] > 40


def test_every_event_cites_an_existing_source(sample):
    assert sample.sql("select count(*) from events anti join sources using (source_id)").tuples() == [(0,)]
    assert sample.sql("select count(distinct source_id) from events").tuples() == [(5,)]


def test_every_quote_is_located_verbatim_in_its_archived_text(sample):
    located = sample.sql("select quote, quote_start, quote_end, t.text from timeline join source_texts as t using"
                         " (source_id) where quote is not null and superseded_by is null").tuples()  # fmt: skip
    assert len(located) == sample.sql("select count(*) from effective_events where quote is not null").tuples()[0][0]
    assert all(plain(text[start:end]) == plain(quote).replace("…", "...") for quote, start, end, text in located)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the five seed articles ({SEEDS}/*.txt) are not beside this "
                    "checkout: they come with the team's shared folder, and events/texts/ holds copies of them")
def test_the_archived_texts_are_the_seed_articles_byte_for_byte():
    seeds = sorted(path.read_bytes() for path in SEEDS.glob("*.txt"))
    assert sorted(path.read_bytes() for path in (ROOT / "events" / "texts").glob("*.txt")) == seeds


def test_macrons_nothing_excluded_of_february_2024_is_there(sample):
    rows = sample.sql(
        "select occurred_from, occurred_to, stance, date_text from events where actor_id = 'emmanuel-macron'"
        " and topic_id = 'ground-troops-to-ukraine' and quote like '%nothing should be excluded%'"
    ).tuples()
    assert rows == [(D("2024-02-01"), D("2024-02-29"), "open", "last month")]


def test_the_svr_claim_of_2000_troops_is_second_hand_and_dated_as_written(sample):
    rows = sample.sql(
        "select subject_id, kind, stance, occurred_from, occurred_to, date_precision, date_text, confidence"
        " from events where actor_id = 'russia-svr'"
    ).tuples()
    assert rows == [("france", "claim", "supports", D("2024-07-01"), D("2024-07-31"), "month", "In July", "low")]
    france = sample.stance_as_of("2024-08-01", actor="france", topic="ground-troops-to-ukraine").first()
    assert (france.stance, france.source_id) == ("ambiguous", "macron-stands-up-2024-02-27")
    assert "2,000" in sample.sql("select summary from claims where claimant_id = 'russia-svr'").tuples()[0][0]


def test_stance_on_ground_troops_as_of_10_march_2024(sample):
    rows = sample.stance_as_of("2024-03-10", topic="ground-troops-to-ukraine")
    assert [(r.actor_id, r.stance, r.n_sources) for r in rows] == [
        ("antonio-tajani", "opposes", 1),
        ("emmanuel-macron", "open", 5),
        ("france", "ambiguous", 1),
        ("germany", "opposes", 2),
        ("italy", "opposes", 2),
        ("nato", "opposes", 1),
        ("olaf-scholz", "opposes", 1),
        ("russia", "opposes", 1),
        ("sebastien-lecornu", "opposes", 1),
        ("spain", "opposes", 1),
        ("stephane-sejourne", "open", 2),
        ("united-kingdom", "opposes", 2),
        ("united-states", "opposes", 2),
    ]


def test_france_is_divided_on_ground_troops_in_march_2024(sample):
    france = sample.group_stance_as_of("2024-03-10", group="france", topic="ground-troops-to-ukraine").dicts()[0]
    assert (france["own_stance"], france["divided"], [m["actor_id"] for m in france["members"]]) == (
        "ambiguous", True, ["emmanuel-macron", "sebastien-lecornu", "stephane-sejourne"]
    )  # fmt: skip


def test_former_president_sarkozy_is_not_counted_in_frances_roll_up(sample):
    france = sample.group_stance_as_of("2024-06-01", group="france", topic="ground-troops-to-ukraine").dicts()[0]
    assert "nicolas-sarkozy" not in [m["actor_id"] for m in france["members"]]
    assert sample.stance_as_of("2024-06-01", actor="nicolas-sarkozy").first().stance == "opposes"


def test_lecornu_moves_from_open_to_supporting_a_non_combat_presence(sample):
    assert sample.table("stance_changes", actor_id="sebastien-lecornu").tuples()[0][:11] == (
        "sebastien-lecornu", "non-combat-presence-in-ukraine", D("2024-05-01"), D("2024-05-31"), "month", "open", 1,
        "supports", 2, 1, "shift"
    )  # fmt: skip


def test_no_event_is_dated_after_its_source(sample):
    assert sample.sql(
        "select count(*) from events join sources using (source_id) where occurred_to > published_on"
    ).tuples() == [(0,)]


def test_every_date_text_is_kept_as_written(sample):
    texts = {t for (t,) in sample.sql("select distinct date_text from events").tuples()}
    assert {"on Monday", "last month", "In July", "last Friday", "some weeks ago", "in May"} <= texts
    assert all(re.search(r"[A-Za-z0-9]", t) for t in texts)


def test_a_lookup_of_one_pair_finds_the_row_the_whole_answer_holds(sample):
    """The API narrows a one-pair lookup by pair_key; each pair must come back exactly as in the full answer."""
    everyone = sample.stance_as_of("2024-03-10").tuples()
    assert len(everyone) == 18
    by_pair = [row for actor, _, topic, *_ in everyone
               for row in sample.stance_as_of("2024-03-10", actor=actor, topic=topic).tuples()]  # fmt: skip
    assert by_pair == everyone
    columns = sample.stance_as_of("2024-03-10", actor="olaf-scholz", topic="ground-troops-to-ukraine").columns
    assert "pair_key" not in columns
