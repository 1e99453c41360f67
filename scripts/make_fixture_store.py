"""Build tests/fixtures/store-v<N>.duckdb: the sample timeline plus a correction, as this version writes it.

Kept in the repository so that every later version must open it, migrate it forward
and still verify it. Run it only when adding a schema version:

    python scripts/make_fixture_store.py
"""

from __future__ import annotations

import json
from pathlib import Path

from timeline import Event, Store

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    version = Store.latest_schema_version()
    path = ROOT / "tests" / "fixtures" / f"store-v{version}.duckdb"
    if path.exists():
        path.unlink()
    store = Store.open(path)
    store.import_paths([ROOT / "events"])
    wrong = store.stance_as_of("2024-03-10", actor="sebastien-lecornu", topic="ground-troops-to-ukraine").first()
    store.append(Event(
        actor="sebastien-lecornu", topic="ground-troops-to-ukraine", stance="ambiguous",
        date="between 2024-02-26 and 2024-03-08", source="not-up-for-discussion-2024-03-08",
        summary="Fixture correction: recoded as ambiguous to exercise supersedes across versions.",
        supersedes=wrong.event_id, correction_reason="reclassification",
    ))  # fmt: skip
    store.compact()
    outcome = store.verify()
    expected = {
        "schema_version": version,
        "events": outcome.count,
        "head_hash": outcome.head_hash,
        "stance_2024_03_10": store.stance_as_of("2024-03-10").tuples(),
    }
    path.with_suffix(".json").write_text(json.dumps(expected, indent=1, default=str) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes): {outcome.count} events, head {outcome.head_hash}")


if __name__ == "__main__":
    main()
