"""The semantics of "stance as of": each rule pinned on a small hand-made timeline."""

from __future__ import annotations

import functools
from datetime import date, datetime

import pytest
from conftest import REGISTRY, said
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import InputError, Store, UnknownId
from timeline.store import projections

D = date.fromisoformat


def stances(store, as_of, **options):
    return [(r.actor_id, r.topic_id, r.stance, r.since, r.date_uncertain, r.n_sources)
            for r in store.stance_as_of(as_of, **options)]  # fmt: skip


def test_latest_first_hand_event_decides(store):
    store.append_many([said("alice", "opposes", "2024-02-01"), said("alice", "open", "2024-02-20")])
    assert stances(store, "2024-02-10") == [("alice", "troops", "opposes", D("2024-02-01"), False, 1)]
    assert stances(store, "2024-02-20") == [("alice", "troops", "open", D("2024-02-20"), False, 1)]
    assert stances(store, "2024-01-31") == []


def test_same_day_ties_break_by_seq(store):
    store.append_many([said("alice", "supports", "2024-02-26"), said("alice", "opposes", "2024-02-26")])
    assert stances(store, "2024-02-26") == [("alice", "troops", "opposes", D("2024-02-26"), False, 1)]


def test_same_day_tie_breaks_by_seq_whatever_the_insert_order_of_dates(store):
    store.append_many([said("alice", "opposes", "2024-02-27"), said("alice", "supports", "2024-02-26")])
    store.append(said("alice", "open", "2024-02-27", source="paper-b"))
    assert stances(store, "2024-03-01") == [("alice", "troops", "open", D("2024-02-27"), False, 1)]


def test_imprecise_date_straddling_the_day_is_uncertain(store):
    store.append(said("alice", "open", "last month"))  # basis 2024-03-08: all of February
    assert stances(store, "2024-02-10") == [("alice", "troops", "open", D("2024-02-01"), True, 1)]
    assert stances(store, "2024-02-29") == [("alice", "troops", "open", D("2024-02-01"), False, 1)]
    assert stances(store, "2024-01-31") == []


def test_open_start_counts_from_the_beginning_and_is_uncertain_until_its_end(store):
    store.append(said("alice", "opposes", "before 2024-02-26"))
    assert stances(store, "2000-01-01") == [("alice", "troops", "opposes", None, True, 1)]
    assert stances(store, "2024-02-25") == [("alice", "troops", "opposes", None, False, 1)]


def test_silence_is_not_a_change(store):
    store.append(said("alice", "open", "2024-02-26"))
    assert stances(store, "2030-01-01") == [("alice", "troops", "open", D("2024-02-26"), False, 1)]


def test_repeated_stance_is_one_position_backed_by_several_sources(store):
    store.append_many([
        said("alice", "open", "2024-02-26"),
        said("alice", "open", "last month", source="paper-b"),
        said("alice", "open", "2024-03-05", source="paper-a", summary="again"),
        said("alice", "opposes", "2024-06-01", source="paper-c"),
    ])  # fmt: skip
    assert stances(store, "2024-03-06") == [("alice", "troops", "open", D("2024-02-01"), False, 2)]
    assert store.table("stance_changes").tuples() == [
        ("alice", "troops", D("2024-06-01"), D("2024-06-01"), "day", "open", 1, "opposes", -1, -2, "reversal",
         store.history("alice").dicts()[-1]["event_id"])
    ]  # fmt: skip


def test_changes_are_shifts_or_reversals(store):
    store.append_many([
        said("alice", "ambiguous", "2024-01-01"),
        said("alice", "open", "2024-02-01"),
        said("alice", "supports", "2024-03-01"),
        said("alice", "opposes", "2024-03-05"),
        said("alice", "rules_out", "2024-03-06"),
    ])  # fmt: skip
    changes = [(r["changed_on"], r["from_stance"], r["to_stance"], r["delta"], r["change"])
               for r in store.table("stance_changes").dicts()]  # fmt: skip
    assert changes == [
        (D("2024-02-01"), "ambiguous", "open", 1, "reversal"),
        (D("2024-03-01"), "open", "supports", 1, "shift"),
        (D("2024-03-05"), "supports", "opposes", -3, "reversal"),
        (D("2024-03-06"), "opposes", "rules_out", -1, "shift"),
    ]


def test_changes_of_one_pair_on_one_day_come_in_the_order_they_happened(store):
    stances = ("open", "supports", "opposes", "rules_out", "ambiguous", "supports")
    store.append_many([said("alice", stance, "2024-03-01", summary=f"{n}: {stance}") for n, stance in enumerate(stances)])
    changes = [(r["from_stance"], r["to_stance"]) for r in store.changes()]
    assert changes == [("open", "supports"), ("supports", "opposes"), ("opposes", "rules_out"),
                       ("rules_out", "ambiguous"), ("ambiguous", "supports")]  # fmt: skip
    assert [r["event_id"] for r in store.changes()] == [e["event_id"] for e in store.history("alice").dicts()[1:]]


def test_changes_in_a_window_are_those_that_may_have_happened_in_it(store):
    """A change dated "last month" (February) is somewhere in February: a window that meets February holds it."""
    store.append_many([
        said("alice", "open", "2024-01-10"),
        said("alice", "opposes", "last month"),
        said("bob", "open", "2024-01-05"),
        said("bob", "supports", "2024-03-04"),
    ])  # fmt: skip
    rows = store.changes().tuples()
    assert [row[:5] for row in rows] == [
        ("alice", "troops", D("2024-02-01"), D("2024-02-29"), "month"),
        ("bob", "troops", D("2024-03-04"), D("2024-03-04"), "day"),
    ]
    window = {(since, until): [r["actor_id"] for r in store.changes(since=since, until=until)]
              for since, until in [("2024-02-15", None), ("2024-03-01", None), (None, "2024-02-10"), (None, "2024-01-31"),
                                   ("2024-02-20", "2024-03-04"), ("2024-03-05", "today")]}  # fmt: skip
    assert window == {
        ("2024-02-15", None): ["alice", "bob"], ("2024-03-01", None): ["bob"], (None, "2024-02-10"): ["alice"],
        (None, "2024-01-31"): [], ("2024-02-20", "2024-03-04"): ["alice", "bob"], ("2024-03-05", "today"): [],
    }  # fmt: skip
    assert store.changes(actor="bob", since="2024-02-15").tuples() == rows[1:]
    with pytest.raises(InputError) as refused:
        store.changes(since="2024-03-01", until="2024-02-01")
    assert str(refused.value) == "the window would start on 2024-03-01 and end on 2024-02-01. Give a since on or before its until."


def test_history_in_a_window_holds_what_may_have_been_said_in_it(store):
    store.append_many([
        said("alice", "open", "2024-01-10"),
        said("alice", "opposes", "last month"),
        said("bob", "supports", "2024-03-04", subject="alice", kind="claim"),
    ])  # fmt: skip
    window = {(since, until): [(r["date_text"], r["actor_id"]) for r in store.history("alice", since=since, until=until)]
              for since, until in [(None, None), ("2024-02-15", None), (None, "2024-01-31"), ("2024-02-01", "2024-03-03")]}  # fmt: skip
    assert window == {
        (None, None): [("2024-01-10", "alice"), ("last month", "alice"), ("2024-03-04", "bob")],
        ("2024-02-15", None): [("last month", "alice"), ("2024-03-04", "bob")],
        (None, "2024-01-31"): [("2024-01-10", "alice")],
        ("2024-02-01", "2024-03-03"): [("last month", "alice")],
    }


def test_stance_periods_are_half_open_and_current_ones_have_no_end(store):
    store.append_many([said("alice", "open", "2024-02-01"), said("alice", "open", "2024-02-10"),
                       said("alice", "opposes", "2024-03-01")])  # fmt: skip
    periods = [(r["stance"], r["valid_from"], r["valid_to"], r["n_events"]) for r in store.table("stance_periods").dicts()]
    assert periods == [("open", D("2024-02-01"), D("2024-03-01"), 2), ("opposes", D("2024-03-01"), None, 1)]


def test_second_hand_claim_leaves_the_subjects_stance_alone(store):
    store.append_many([
        said("alice", "opposes", "2024-02-20"),
        said("spy-agency", "supports", "2024-03-01", subject="alice", kind="claim"),
    ])  # fmt: skip
    assert stances(store, "2024-03-05") == [("alice", "troops", "opposes", D("2024-02-20"), False, 1)]
    claims = store.claims_as_of("2024-03-05").dicts()
    assert [(c["claimant_id"], c["subject_id"], c["claimed_stance"], c["own_stance"], c["contradicts"]) for c in claims] == [
        ("spy-agency", "alice", "supports", "opposes", True)
    ]


def test_claims_view_sets_each_claim_beside_the_subjects_stance_on_its_day(store):
    store.append_many([
        said("alice", "opposes", "2024-02-01"),
        said("alice", "supports", "2024-04-01", source="paper-c"),
        said("spy-agency", "supports", "2024-03-01", subject="alice", kind="claim"),
        said("spy-agency", "supports", "2024-05-01", subject="alice", kind="report", source="paper-c"),
        said("spy-agency", "supports", "2024-03-01", subject="bob", kind="claim"),
    ])  # fmt: skip
    rows = [(c["subject_id"], c["occurred_from"], c["own_stance"], c["contradicts"]) for c in store.table("claims").dicts()]
    assert rows == [
        ("alice", D("2024-03-01"), "opposes", True),
        ("bob", D("2024-03-01"), None, None),
        ("alice", D("2024-05-01"), "supports", False),
    ]


def test_include_reported_sets_claims_beside_own_stance(store):
    store.append_many([
        said("alice", "opposes", "2024-02-20"),
        said("spy-agency", "supports", "2024-03-01", subject="alice", kind="claim"),
    ])  # fmt: skip
    rows = store.stance_as_of("2024-03-05", include_reported=True).dicts()
    assert [(r["actor_id"], r["stance"], r["reported_by"], r["contradicts"]) for r in rows] == [
        ("alice", "opposes", None, None),
        ("alice", "supports", "spy-agency", True),
    ]


def test_correction_recorded_after_known_at_is_not_seen(store, clock):
    original = store.append(said("alice", "supports", "2024-02-26")).event_ids[0]
    before_correction = clock.advance(hours=1)
    clock.advance(hours=1)
    store.append(said("alice", "open", "2024-02-26", supersedes=original, correction_reason="reclassification"))
    assert stances(store, "2024-03-01", known_at=before_correction) == [
        ("alice", "troops", "supports", D("2024-02-26"), False, 1)
    ]
    assert stances(store, "2024-03-01") == [("alice", "troops", "open", D("2024-02-26"), False, 1)]
    assert stances(store, "2024-03-01", known_at=datetime(2024, 5, 1, 11, 59)) == []
    assert [(r["event_id"] == original, r["stance"], r["superseded_by"] is not None)
            for r in store.history("alice").dicts()] == [(True, "supports", True), (False, "open", False)]  # fmt: skip


def test_retraction_withdraws_the_event_and_asserts_nothing(store, clock):
    store.append(said("alice", "opposes", "2024-01-10"))
    wrong = store.append(said("alice", "supports", "2024-02-26")).event_ids[0]
    clock.advance(days=1)
    store.append(said("alice", "supports", "2024-02-26", supersedes=wrong, correction_reason="retraction",
                      summary="Retracted: the quote was misattributed."))  # fmt: skip
    assert stances(store, "2024-03-01") == [("alice", "troops", "opposes", D("2024-01-10"), False, 1)]
    assert store.sql("select count(*) from events").tuples() == [(3,)]


def test_group_roll_up_counts_only_members_in_office_that_day(store):
    store.append_many([
        said("alice", "open", "2024-02-01"),
        said("bob", "opposes", "2024-02-01"),
        said("carol", "supports", "2024-03-02"),
        said("ruritania", "ambiguous", "2024-02-02"),
    ])  # fmt: skip
    def groups(as_of):
        return [(g["group_id"], g["own_stance"], g["n_members"], g["min_score"], g["max_score"], g["mean_score"],
                 [m["actor_id"] for m in g["members"]], g["divided"]) for g in store.group_stance_as_of(as_of).dicts()]  # fmt: skip

    assert groups("2024-02-20") == [("ruritania", "ambiguous", 2, -1, 1, 0.0, ["alice", "bob"], True)]
    assert groups("2024-03-05") == [("ruritania", "ambiguous", 2, 1, 2, 1.5, ["alice", "carol"], False)]


def test_a_group_with_no_member_in_office_has_no_figures_of_its_members(store):
    """The group's own word is its own_stance; min, max, mean and divided count members only (here, none)."""
    store.append_many([said("ruritania", "opposes", "2024-02-03", topic="strikes"), said("alice", "open", "2024-02-01")])
    rows = [(g["topic_id"], g["own_stance"], g["own_score"], g["n_members"], g["min_score"], g["max_score"],
             g["mean_score"], g["members"], g["divided"]) for g in store.group_stance_as_of("2024-02-20").dicts()]  # fmt: skip
    assert rows == [
        ("strikes", "opposes", -1, 0, None, None, None, [], None),
        ("troops", None, None, 1, 1, 1, 1.0, [{"actor_id": "alice", "stance": "open", "score": 1}], False),
    ]


def test_topics_are_separate(store):
    store.append_many([said("alice", "open", "2024-02-01"), said("alice", "opposes", "2024-02-05", topic="strikes")])
    assert stances(store, "2024-03-01") == [
        ("alice", "strikes", "opposes", D("2024-02-05"), False, 1),
        ("alice", "troops", "open", D("2024-02-01"), False, 1),
    ]


def test_filters_by_actor_and_topic(store):
    store.append_many([said("alice", "open", "2024-02-01"), said("bob", "opposes", "2024-02-05"),
                       said("bob", "open", "2024-02-05", topic="strikes")])  # fmt: skip
    assert stances(store, "2024-03-01", actor="bob", topic="troops") == [
        ("bob", "troops", "opposes", D("2024-02-05"), False, 1)
    ]


def test_tables_and_events_filter_by_a_list_of_ids(store):
    store.append_many([said("alice", "open", "2024-02-01"), said("bob", "opposes", "2024-02-05"),
                       said("carol", "open", "2024-02-06"), said("spy-agency", "supports", "2024-02-07", subject="bob", kind="claim")])  # fmt: skip
    assert [r["actor_id"] for r in store.table("stance_periods", actor_id=["carol", "alice"])] == ["alice", "carol"]
    assert [(r["actor_id"], r["subject_id"]) for r in store.events(subjects=["bob", "carol"])] == [
        ("bob", "bob"), ("carol", "carol"), ("spy-agency", "bob")]  # fmt: skip
    assert store.events(subjects=[]).tuples() == [] and store.table("actors", actor_id=[]).tuples() == []
    with pytest.raises(UnknownId) as refused:
        store.events(subjects=["alice", "bobb"], topic="strikes")
    assert str(refused.value) == 'unknown actor "bobb". Did you mean "bob"?'


def test_pairs_that_share_a_pair_key_keep_their_own_positions(store):
    from timeline import Actor, Topic

    store.append_many([Actor(actor_id="a164733", name="A", kind="person"), Actor(actor_id="a76423", name="B", kind="person"),
                       Topic(topic_id="tp", proposition="A proposition.")])  # fmt: skip
    keys = store.sql("select timeline_internal.pair_key('a164733', 'tp'), timeline_internal.pair_key('a76423', 'tp')").tuples()
    assert keys == [(210445694, 210445694)]
    store.append(said("a164733", "open", "2024-02-01", topic="tp"))
    store.append(said("a76423", "opposes", "2024-02-02", topic="tp"))
    store.append(said("a164733", "supports", "2024-02-10", topic="tp"))  # live: extends its own pair only
    store.append(said("a76423", "rules_out", "2024-01-15", topic="tp"))  # late: recomputes its own pair only
    for rebuilt in (False, True):  # the whole rebuild, as an import makes, sees both pairs in one window partition
        if rebuilt:
            store.rebuild()
        assert [(r.actor_id, r.stance, r.since) for r in store.stance_as_of("2024-03-01", topic="tp")] == [
            ("a164733", "supports", D("2024-02-10")), ("a76423", "opposes", D("2024-02-02")),
        ]  # fmt: skip
        assert [r.stance for r in store.stance_as_of("2024-01-20", actor="a76423", topic="tp")] == ["rules_out"]
        assert store.verify().ok


def test_a_late_event_that_splits_a_run_dates_the_new_run_by_its_own_first_event(store):
    store.append(said("alice", "open", "last month"))  # February, to the month
    store.append(said("alice", "open", "2024-03-05"))
    assert [(r.stance, r.since, r.date_precision) for r in store.stance_as_of("2024-03-06")] == [
        ("open", D("2024-02-01"), "month")]  # fmt: skip
    store.append(said("alice", "opposes", "2024-03-01"))  # late: the pair is recomputed from its rows in positions
    assert [(r.stance, r.since, r.date_precision) for r in store.stance_as_of("2024-03-06")] == [
        ("open", D("2024-03-05"), "day")]  # fmt: skip
    assert [(r.stance, r.since, r.date_precision) for r in store.stance_as_of("2024-03-02")] == [
        ("opposes", D("2024-03-01"), "day")]  # fmt: skip
    assert store.verify().ok


def test_a_late_event_joining_an_undated_run_leaves_its_start_unknown(store):
    store.append(said("alice", "opposes", "before 2024-02-10"))  # no lower bound: no start is known
    store.append(said("alice", "open", "2024-02-20"))
    store.append(said("alice", "opposes", "2024-02-15"))  # late: the pair is recomputed from its rows in positions
    assert [(r.stance, r.since, r.date_precision, r.n_sources) for r in store.stance_as_of("2024-02-16")] == [
        ("opposes", None, "range", 1)]  # fmt: skip
    assert [(r.stance, r.since) for r in store.stance_as_of("2024-02-21")] == [("open", D("2024-02-20"))]
    assert store.verify().ok


def test_typed_rows_arrow_and_pandas_agree(store):
    store.append(said("alice", "open", "2024-02-01", quote="nothing excluded"))
    result = store.stance_as_of("2024-03-01")
    row = result.first()
    assert (row.actor_name, row.stance, row.score, row.quote) == ("Alice", "open", 1, "nothing excluded")
    assert result.arrow().column("stance").to_pylist() == ["open"]
    assert result.df()["actor_id"].tolist() == ["alice"]
    assert result.columns[:13] == ["actor_id", "actor_name", "topic_id", "stance", "score", "since", "date_precision",
                                   "date_uncertain", "n_sources", "event_id", "quote", "summary", "source_id"]  # fmt: skip


def test_answers_fetched_as_python_tuples_equal_those_held_as_arrow(store, clock):
    """Store(arrow=False), as the command line opens it, fetches tuples; every answer is the same rows either way,
    typed records and pandas included, and an empty one keeps its columns."""
    store.append_many([said("alice", "open", "2024-02-01", quote="nothing excluded"),
                       said("bob", "supports", "2024-02-10", subject="alice", kind="claim")])  # fmt: skip
    as_tuples = Store(store.path, clock=clock, arrow=False)
    for ask in (lambda s: s.stance_as_of("2024-03-01"), lambda s: s.stance_as_of("2024-03-01", include_reported=True),
                lambda s: s.group_stance_as_of("2024-03-01"), lambda s: s.claims_as_of("2024-03-01"),
                lambda s: s.history("alice"), lambda s: s.changes(), lambda s: s.events(), lambda s: s.table("actors"),
                lambda s: s.sql("select * from stance_periods"), lambda s: s.stance_as_of("2023-01-01")):  # fmt: skip
        arrow, tuples = ask(store), ask(as_tuples)
        assert (tuples.columns, tuples.dicts(), tuples.tuples()) == (arrow.columns, arrow.dicts(), arrow.tuples())
        assert tuples.arrow().column_names == arrow.columns
        assert tuples.arrow().to_pylist() == arrow.dicts()
    answer = as_tuples.stance_as_of("2024-03-01")
    assert answer.first() == store.stance_as_of("2024-03-01").first()
    assert answer.first().quote == "nothing excluded"
    assert answer.df()["actor_id"].tolist() == ["alice"]
    empty = as_tuples.stance_as_of("2023-01-01")
    assert (len(empty), empty.first(), empty.arrow().num_rows, empty.arrow().column_names) == (
        0, None, 0, store.stance_as_of("2023-01-01").columns)  # fmt: skip


def test_plain_string_date_works_like_a_date_in_sql(store):
    store.append(said("alice", "open", "2024-02-01"))
    as_string = store.sql("select actor_id, stance from stance_as_of('2024-03-01')").tuples()
    as_date = store.sql("select actor_id, stance from stance_as_of(DATE '2024-03-01')").tuples()
    assert as_string == as_date == [("alice", "open")]


STANCES = ["rules_out", "opposes", "ambiguous", "open", "supports"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(
    st.sampled_from(["alice", "bob"]), st.sampled_from(["troops", "strikes"]), st.sampled_from(STANCES),
    st.sampled_from(["2024-02-01", "2024-02-15", "2024-03-01", "last month", "before 2024-02-10", "2024"]),
    st.sampled_from(["paper-a", "paper-b"]), st.integers(0, 3), st.booleans(),
), min_size=1, max_size=12))  # fmt: skip
def test_maintained_positions_answer_like_the_log(tmp_path_factory, steps):
    """Whatever order events and corrections arrive in, the fast path and the log agree."""
    store = Store.open(tmp_path_factory.mktemp("p") / "p.duckdb")
    store.append_many(REGISTRY)
    appended: list[str] = []
    corrected: dict[str, str] = {}
    for actor, topic, stance, date_, source, correct, batch in steps:
        event = said(actor, stance, date_, topic=topic, source=source)
        if correct and appended:
            target = appended[correct % len(appended)]
            while target in corrected:  # an event is corrected once; a later correction supersedes the correction
                target = corrected[target]
            reason = "retraction" if correct == 3 else "reclassification"
            event = said(actor, stance, date_, topic=topic, source=source, supersedes=target, correction_reason=reason)
        result = store.append_many([event] * (2 if batch else 1))
        appended.extend(result.event_ids[:1])
        if event.supersedes:
            corrected.setdefault(event.supersedes, result.event_ids[0])
    for as_of in ("2024-01-31", "2024-02-10", "2024-02-20", "2024-03-08"):
        fast = store.sql(f"from stance_as_of('{as_of}') order by topic_id, actor_id").tuples()
        from_log = store.sql(f"from timeline_internal.stance_from_log('{as_of}', '9999-01-01'::timestamp, null) order by topic_id, actor_id").tuples()
        assert fast == from_log


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(
    st.sampled_from(["alice", "bob"]), st.sampled_from(STANCES),
    st.sampled_from(["2024-02-01", "2024-02-15", "2024-03-01", "before 2024-02-10", "2024"]), st.booleans(),
), min_size=1, max_size=12))  # fmt: skip
def test_each_claim_is_set_beside_the_stance_its_subject_held_on_its_day(tmp_path_factory, steps):
    """The claims view reads the subject's own stance from `positions`: it is the stance the log gives the subject
    as of the claim's day, with undated words, several words on one day, and claims dated only by their end. Each
    claim is one row: joined to stance_periods, a claim about a subject with two undated runs came out twice, as
    both runs have neither start nor end."""
    store = Store.open(tmp_path_factory.mktemp("c") / "c.duckdb")
    store.append_many(REGISTRY)
    for actor, stance, day, claim in steps:
        store.append(said("spy-agency", stance, day, subject=actor, kind="claim") if claim else said(actor, stance, day))
    claims = store.sql("select event_id, subject_id, coalesce(occurred_from, occurred_to), own_stance, own_score "
                       "from claims order by event_id").tuples()  # fmt: skip
    assert len(claims) == len({step for step in steps if step[3]})  # the same claim twice is logged once
    for event_id, subject, day, own_stance, own_score in claims:
        held = store.sql("select stance, score from timeline_internal.stance_from_log(?::date, 'infinity'::timestamp, "
                         "null) where actor_id = ? and topic_id = 'troops'", [day, subject]).tuples()  # fmt: skip
        assert [(own_stance, own_score)] == (held or [(None, None)]), event_id


def test_a_large_append_rebuilds_positions_whole_only_past_its_share_of_the_log(store, monkeypatch):
    """Past FULL_REFRESH events, an append rebuilds `positions` whole only where it adds more than
    FULL_REFRESH_SHARE of the log: a day's feed into a large log recomputes just the pairs it touches."""
    monkeypatch.setattr(projections, "FULL_REFRESH", 3)
    whole, refresh = [], projections._refresh_positions
    monkeypatch.setattr(projections, "_refresh_positions",
                        lambda con, after_seq, pairs=None: (whole.append(after_seq is None), refresh(con, after_seq, pairs)))

    def statements(count: int, first: int) -> list:
        days = ("2024-02-01", "2024-02-15", "2024-03-01", "before 2024-02-10")
        return [said(("alice", "bob", "carol")[n % 3], STANCES[n % 5], days[n % 4], topic=("troops", "strikes")[n % 2],
                     summary=f"Statement {n}.") for n in range(first, first + count)]  # fmt: skip

    def stored() -> list[tuple]:  # as written: a pair's rows together, so that they are found in a row group or two
        return store.sql("select pair_key, valid_from, seq from timeline_internal.positions order by rowid").tuples()

    store.append_many(statements(400, 0))
    assert stored() == sorted(stored())
    store.append_many(statements(6, 400))  # more than FULL_REFRESH, no more than 2% of the 406 events then logged
    assert stored() == sorted(stored())  # the six touch every pair, so every row is worked out again
    store.append_many(statements(10, 406))  # more than 2% of 416
    assert whole == [True, False, True]
    assert stored() == sorted(stored()) and len(stored()) == 416
    for as_of in ("2024-02-10", "2024-03-08"):
        fast = store.sql(f"from stance_as_of('{as_of}') order by topic_id, actor_id").tuples()
        from_log = store.sql(f"from timeline_internal.stance_from_log('{as_of}', '9999-01-01'::timestamp, null) order by topic_id, actor_id").tuples()
        assert len(fast) == 6 and fast == from_log


def test_reading_holds_one_connection_for_many_queries(store):
    store.append(said("alice", "open", "2024-02-01"))
    with store.reading() as held:
        answers = [held.stance_as_of(day).tuples() for day in ("2024-01-01", "2024-03-01")]
        assert held.sql("select count(*) from events").tuples() == [(1,)]
    assert [len(a) for a in answers] == [0, 1]
    assert store.size_bytes() > 0


def assert_each_is_part_of_the_whole(ask, asked_about, columns=(0, 2)):
    """Each answer about one (actor or group, topic) is the whole answer's rows for them, in the same order."""
    whole = ask(None, None).tuples()
    for who, topic in asked_about:
        expected = [row for row in whole if who in (None, row[columns[0]]) and topic in (None, row[columns[1]])]
        assert ask(who, topic).tuples() == expected, (who, topic)


def test_claims_and_reports_at_a_past_known_at_for_one_subject_or_topic_are_the_rows_of_the_whole_answer(store, clock):
    """Asked about one subject or topic at a past known_at, claims and the stances beside them are worked out from
    the log for that subject's pairs only."""
    misattributed = store.append_many([
        said("alice", "supports", "2024-02-20"),
        said("bob", "opposes", "2024-02-21"),
        said("carol", "open", "2024-02-22", subject="alice", kind="claim"),
        said("alice", "open", "2024-02-23", subject="bob", kind="claim"),
        said("bob", "supports", "2024-02-24", subject="alice", kind="report", topic="strikes"),
        said("bob", "rules_out", "2024-02-25", subject="carol", kind="claim"),
    ]).event_ids[5]  # fmt: skip
    before = clock.advance(hours=1)
    clock.advance(hours=1)
    store.append_many([
        said("carol", "opposes", "2024-02-26", subject="alice", kind="claim"),
        said("bob", "rules_out", "2024-02-25", subject="alice", kind="claim", supersedes=misattributed,
             correction_reason="entry_error"),
        said("alice", "open", "2024-02-27"),
    ])  # fmt: skip
    after = clock.advance(hours=1)
    asked_about = (("alice", None), ("bob", None), ("carol", None), (None, "troops"), ("alice", "strikes"))
    for known_at in (before, after):
        claims = functools.partial(store.claims_as_of, "2024-03-01", known_at=known_at)
        assert_each_is_part_of_the_whole(lambda s, t: claims(subject=s, topic=t), asked_about, columns=(2, 4))
        reported = functools.partial(store.stance_as_of, "2024-03-01", known_at=known_at, include_reported=True)
        assert_each_is_part_of_the_whole(lambda a, t: reported(actor=a, topic=t), asked_about, columns=(0, 2))
    alice = store.claims_as_of("2024-03-01", known_at=after, subject="alice").tuples()
    assert [(r[0], r[2], r[4], r[6], r[12]) for r in alice] == [
        ("bob", "alice", "strikes", "supports", None),
        ("bob", "alice", "troops", "rules_out", "open"),
        ("carol", "alice", "troops", "opposes", "open"),
    ]  # fmt: skip
    assert store.claims_as_of("2024-03-01", known_at=after, subject="carol").tuples() == []


def test_groups_at_a_past_known_at_for_one_group_or_topic_are_the_rows_of_the_whole_answer(store, clock):
    """Asked about one group or topic at a past known_at, the log is read for the pairs of the group and its members
    only. A correction that moves an event from a member to an outsider must still withdraw it."""
    misattributed = store.append_many([
        said("alice", "supports", "2024-02-20"),
        said("carol", "open", "2024-03-02"),
        said("ruritania", "ambiguous", "2024-02-21"),
        said("bob", "opposes", "2024-02-22", topic="strikes"),
        said("spy-agency", "rules_out", "2024-02-23"),
    ]).event_ids[1]  # fmt: skip
    before = clock.advance(hours=1)
    clock.advance(hours=1)
    store.append(said("spy-agency", "open", "2024-03-02", supersedes=misattributed, correction_reason="entry_error"))
    after = clock.advance(hours=1)
    for known_at in (before, after):
        for as_of in ("2024-02-28", "2024-03-05"):
            groups = functools.partial(store.group_stance_as_of, as_of, known_at=known_at)
            assert_each_is_part_of_the_whole(lambda g, t: groups(group=g, topic=t),
                                             (("ruritania", None), (None, "troops"), ("ruritania", "strikes")))  # fmt: skip
    for known_at, members in ((before, 2), (after, 1)):  # carol's word, then no one's: the correction moved it
        rows = store.group_stance_as_of("2024-03-05", known_at=known_at, group="ruritania").tuples()
        assert [(r[2], r[3], r[5], r[10]) for r in rows] == [("troops", "ambiguous", members, False)]


def test_a_past_known_at_for_one_actor_or_topic_gives_the_rows_of_the_whole_answer(store, clock):
    """Asked about one actor or topic at a past known_at, the log is read for their pairs only. A correction that
    moves an event to another actor must still withdraw it from the first actor's pair."""
    misattributed = store.append_many([
        said("alice", "supports", "2024-02-20"),
        said("bob", "opposes", "2024-02-21"),
        said("bob", "open", "2024-02-22", topic="strikes"),
    ]).event_ids[1]  # fmt: skip
    before = clock.advance(hours=1)
    clock.advance(hours=1)
    store.append(said("alice", "opposes", "2024-02-21", supersedes=misattributed, correction_reason="entry_error"))
    after = clock.advance(hours=1)
    for known_at in (before, after):
        stances = functools.partial(store.stance_as_of, "2024-03-01", known_at=known_at)
        assert_each_is_part_of_the_whole(lambda a, t: stances(actor=a, topic=t),
                                         (("alice", None), ("bob", None), (None, "troops"), ("bob", "troops"), ("bob", "strikes")))  # fmt: skip
    assert [(r.actor_id, r.topic_id, r.stance) for r in store.stance_as_of("2024-03-01", known_at=after)] == [
        ("bob", "strikes", "open"), ("alice", "troops", "opposes")
    ]  # fmt: skip
    assert [(r.actor_id, r.stance) for r in store.stance_as_of("2024-03-01", known_at=before, topic="troops")] == [
        ("alice", "supports"), ("bob", "opposes")
    ]  # fmt: skip
