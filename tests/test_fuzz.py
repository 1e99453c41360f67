"""Random input through the import path: only the project's own errors escape, and a refusal writes nothing."""

from __future__ import annotations

import json
import os

from conftest import REGISTRY, fingerprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import Store, TimelineError

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
