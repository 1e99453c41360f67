"""Random input through the import path: only the project's own errors escape, and a refusal writes nothing."""

from __future__ import annotations

import json
import os
from datetime import datetime

from conftest import REGISTRY, fingerprint, registry_lines
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from timeline import Store, TimelineError, ingest
from timeline.store import log

# FUZZ_EXAMPLES=600 pytest tests/test_fuzz.py for a longer run than CI's.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["type", "actor", "topic", "stance", "date", "source", "summary", "subject", "kind", "quote", "conditions",
        "confidence", "locator", "supersedes", "correction_reason", "date_basis", "actor_id", "name", "published_on"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["alice", "bob", "troops", "open", "paper-a", "claim", "event", "actor", "2024-02-26",
                     "last month", "In July", "0123456789abcdef", "retraction", "high", ""]),  # fmt: skip
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
GOOD = {"actor": "alice", "topic": "troops", "stance": "open", "date": "2024-02-26", "source": "paper-a", "summary": "s"}


def attempt(store: Store, tmp_path, content: bytes) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(content)
    before = fingerprint(store)
    try:
        store.import_paths([path])
    except TimelineError:
        assert fingerprint(store) == before


@FUZZ
@given(entry=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=10).map(lambda d: {**GOOD, **d}))
def test_random_event_dicts(store, tmp_path, entry):
    attempt(store, tmp_path, (json.dumps(entry, default=str) + "\n").encode())


@FUZZ
@given(lines=st.lists(st.one_of(st.text(max_size=60), st.binary(max_size=40).map(lambda b: b.decode("latin-1"))), max_size=4))
def test_random_jsonl_lines(store, tmp_path, lines):
    attempt(store, tmp_path, "\n".join(lines).encode("utf-8", "surrogatepass") if lines else b"")


@FUZZ
@given(raw=st.binary(max_size=80))
def test_random_bytes(store, tmp_path, raw):
    attempt(store, tmp_path, raw)


@FUZZ
@given(phrase=st.one_of(st.text(max_size=30), st.sampled_from(["last month", "In July", "on Monday", "some weeks ago",
                                                                "before 2024-02-26", "02/03/2024", "next week"])))  # fmt: skip
def test_random_date_phrases(store, tmp_path, phrase):
    attempt(store, tmp_path, (json.dumps({**GOOD, "date": phrase}) + "\n").encode())


def test_registry_is_what_the_fuzzers_reference():
    assert {getattr(e, "actor_id", None) for e in REGISTRY} >= {"alice", "bob"}


TEXT = st.text(st.one_of(st.sampled_from('"\\:/ 0n{}[],\t\u2028é'), st.characters(exclude_categories=["Cs", "Cc"])), max_size=40)
"""Text weighted towards what JSON escapes or a colon may be followed by; control characters, which always send a
line down the line-by-line path, are left to test_import."""
OPTIONAL_TEXT = {"quote": TEXT, "conditions": TEXT, "locator": TEXT}
LOGGED = "select seq, event_id, hash, summary, quote, conditions, locator from events order by seq"


@settings(FUZZ, max_examples=FUZZ.max_examples // 3)  # two stores an example
@given(
    events=st.lists(st.fixed_dictionaries({"summary": TEXT.filter(str.strip)}, optional=OPTIONAL_TEXT), min_size=1,
                    max_size=4),
    ascii_only=st.booleans(),
)  # fmt: skip
def test_both_import_paths_write_the_same_log(tmp_path_factory, events, ascii_only):
    """Whatever the text (colons, quotes, escapes, any script), the columnar path and the line-by-line one agree."""
    folder = tmp_path_factory.mktemp("paths")
    path = folder / "in.jsonl"
    lines = registry_lines() + [{**GOOD, **{k: text.strip() or None for k, text in entry.items()}} for entry in events]
    path.write_text("".join(json.dumps(line, ensure_ascii=ascii_only) + "\n" for line in lines), encoding="utf-8")
    columnar, by_line = (Store.open(folder / f"{name}.duckdb", clock=lambda: datetime(2024, 5, 1)) for name in "ab")
    with columnar.connections.writing() as con:
        taken = log.import_columns(con, [path], [], log.untold, columnar.clock)
    event("columnar path taken" if taken else "columnar path declined")
    outcomes = []
    for store, load in ((columnar, lambda: taken or columnar.import_paths([path])),
                        (by_line, lambda: by_line.write(ingest.read([path])))):  # fmt: skip
        try:
            load()
            outcomes.append(store.sql(LOGGED).tuples())
        except TimelineError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]
