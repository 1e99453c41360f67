"""Taking a timeline elsewhere: the log as JSONL, events as CSV or Parquet, and TimelineJS for newsrooms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .files import Folder, write_out
from .store import Store

FORMATS = ("jsonl", "csv", "parquet", "timelinejs")
REGISTRY = (("source", "Source"), ("actor", "Actor"), ("topic", "Topic"), ("membership", "Membership"))
"""Each kind of registry line, and its record in timeline.models."""
COPY_OPTIONS = {"csv": "format csv, header true", "parquet": "format parquet, partition_by (topic_id)"}  # COPY options
PARQUET = Folder("parquet export", "a directory with a folder per topic", lambda entry: _topic_folder(entry))
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "timelinejs": ".json"}


def export(store: Store, fmt: str, path: str | Path, *, topic: str | None = None, as_of: date | None = None) -> int:
    """Write the timeline to `path` in `fmt`; return how many events were written.

    The export is written beside `path` and put in its place once whole, so a refused or failed export leaves
    whatever was there before. A parquet export replaces an earlier one whole, with no topic folder left over.
    """

    def write(part: Path) -> int:
        if fmt in COPY_OPTIONS:
            return store.copy_events(part, COPY_OPTIONS[fmt], topic=topic, as_of=as_of)
        if fmt == "timelinejs":
            return _write_timelinejs(part, store, topic, as_of)
        return _write_log(part, store, topic, as_of)

    if fmt == "parquet":
        return write_out(Path(path), write, folder=PARQUET)
    return write_out(Path(path), write, example="events" + SUFFIXES[fmt])


def registry_lines(store: Store) -> Iterator[str]:
    """The import lines of the registry and the archived texts, which begin a log export."""
    from . import models  # the records, and pydantic with them: only this format needs them

    for kind, name in REGISTRY:
        for entry in store.registry(getattr(models, name)):
            yield _json({"type": kind, **entry.model_dump(mode="json", exclude_none=True)})
    for text in store.texts():  # archived anew where imported: the texts' own chain starts again there
        yield _json({"type": "text", **text.model_dump(mode="json")})


def _write_timelinejs(path: Path, store: Store, topic: str | None, as_of: date | None) -> int:
    """Write events in force (corrections applied) in Knight Lab's TimelineJS JSON format, one group per subject, as
    DuckDB writes the slides, a slice of events at a time (Store.timelinejs_slides): neither a document of them all
    nor their rows are held. Returns how many were written."""
    with store.reading():  # one connection: on a file, no write lands between the count and the slides
        count = store.count_events(topic=topic, as_of=as_of, effective=True)
        title = {"text": {"headline": f"Positions on {topic}" if topic else "Positions",
                          "text": f"{count} sourced events from stance-timeline."}}  # fmt: skip
        written = 0
        with path.open("w", encoding="utf-8") as out:
            out.write(f'{{\n "title": {_json(title)},\n "events": [')
            for slide in store.timelinejs_slides(topic=topic, as_of=as_of):
                out.write(("," if written else "") + "\n  " + slide)
                written += 1
            out.write("\n ]\n}\n")
    return written


def _write_log(path: Path, store: Store, topic: str | None, as_of: date | None) -> int:
    """Write the registry's lines, then the events' (Store.log_lines); return how many events were written.

    Imported into an empty store, an unfiltered export rebuilds the same log: the same event_ids, the same hash chain
    and so the same head. A filtered export is a selection, so its events carry no log position and append as new
    events wherever they are imported.
    """
    events = 0
    with store.reading(), path.open("w", encoding="utf-8") as out:  # one connection: on a file, no write lands between
        for line in registry_lines(store):
            out.write(line + "\n")
        for line in store.log_lines(topic=topic, as_of=as_of):
            out.write(line + "\n")
            events += 1
    return events


def _json(line: dict) -> str:
    return json.dumps(line, ensure_ascii=False, default=_iso)


def _iso(value: object) -> str:
    return value.isoformat()


def _topic_folder(entry: Path) -> bool:
    """Whether a directory entry is one topic's folder of a parquet export: topic_id=… holding only .parquet files."""
    return entry.is_dir() and entry.name.startswith("topic_id=") and all(
        file.is_file() and file.suffix == ".parquet" for file in entry.iterdir())  # fmt: skip
