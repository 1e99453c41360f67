"""Append a statement from a script, then ask where everyone stood: the Python API end to end.

    python scripts/append_example.py timeline.duckdb
"""

from __future__ import annotations

import sys

from timeline import Event, Source, Store, TimelineError


def main(path: str) -> int:
    with Store.open(path) as store:
        try:
            result = store.append_many([
                Source(source_id="example-wire-2024-03-12", outlet="Example Wire", title="Ministers on Ukraine",
                       published_on="2024-03-12", notes="An invented source for this example."),
                Event(actor="sebastien-lecornu", topic="non-combat-presence-in-ukraine", stance="open",
                      date="last Friday", source="example-wire-2024-03-12",
                      summary="Says training on Ukrainian soil remains an option (invented for the example)."),
            ])  # fmt: skip
        except TimelineError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"appended {result.added}, already present {result.present}")
        for row in store.stance_as_of("2024-03-12", topic="non-combat-presence-in-ukraine"):
            print(f"{row.actor_id:20} {row.stance:10} since {row.since or 'an unknown day'} ({row.n_sources} sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "timeline.duckdb"))
