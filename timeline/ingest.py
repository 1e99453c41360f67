"""From text to entries: JSONL lines and Python objects become a batch of validated registry entries and events,
every error located; the columnar checks vouch for whole columns at once."""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .errors import InputError, did_you_mean
from .files import read_utf8
from .models import Actor, Event, EventRecord, LogPosition, Membership, Source, SourceText, Topic

ENTRY_TYPES: dict[str, type[BaseModel]] = {
    "source": Source,
    "actor": Actor,
    "topic": Topic,
    "membership": Membership,
    "text": SourceText,
    "event": Event,
}
REGISTRY_KEYS = {Source: "source_id", Actor: "actor_id", Topic: "topic_id"}
_SLUG = "(lowercase ASCII words joined by hyphens)"
FIXES = {
    **dict.fromkeys(("actor", "actor_id"), f"Use an actor id such as emmanuel-macron {_SLUG}"),
    **dict.fromkeys(("subject", "group_id"), f"Use an actor id such as france {_SLUG}"),
    **dict.fromkeys(("topic", "topic_id"), "Use a topic id such as ground-troops-to-ukraine"),
    **dict.fromkeys(("source", "source_id"), "Use a source id such as rt-2024-03-04"),
    "stance": "Use a label of the topic's scale, such as open",
    "date": 'Write the date as the source gives it, such as "last month", "on Monday" or 2024-02-26',
    "summary": "Write in your own words what was said or done",
    "quote": "Quote only the words that carry the position; put the rest in summary",
    "supersedes": "Give the 16-character event_id of the event being corrected",
    **dict.fromkeys(("published_on", "valid_from", "valid_to", "date_basis"), "Write an ISO date such as 2024-02-26"),
    "wikidata": "Use a Wikidata item id, such as Q3052772 for Emmanuel Macron",
    "scale": 'Write the scale as labels (lowercase letters, digits and _) with whole-number scores, such as '
             '{"opposes": -1, "open": 1}',
}
"""How to fix a field, where its type does not say: a field with a fixed set of values names them instead."""


@dataclass(frozen=True)
class Resolved:
    """An event ready to append: where it came from, its id, its record, and its log position if replayed."""

    origin: Origin
    event_id: str
    record: EventRecord
    position: LogPosition | None = None


@dataclass(frozen=True)
class Origin:
    """Where an entry came from: a file and line, or a call of the Python API."""

    where: str
    line: int
    unit: str = "line"

    def __str__(self) -> str:
        return self.where if self.unit == "file" else f"{self.where} {self.unit} {self.line}"


class Refusals:
    """The entries one step of an import refuses, gathered so that one run names them all; nothing is written."""

    SHOWN = 20
    """How many refusals a message lists. Checking stops at the next one: every refusal costs a search for the name
    meant, and a file of a million bad lines would take hours to list."""

    def __init__(self) -> None:
        self.refused: list[InputError] = []
        self.units = "lines"

    def attempt(self, origin: Origin, step: Callable, *args: object) -> object:
        """What step(*args) gives for the entry at `origin`, or None when it refuses the entry, whose refusal is kept."""
        try:
            return step(*args)
        except InputError as e:
            self.keep(origin, e)
            return None

    def keep(self, origin: Origin, error: InputError) -> None:
        """Keep the refusal of the entry at `origin`, so that checking goes on to the next."""
        self.units = "entries" if origin.unit == "entry" else f"{origin.unit}s"
        if len(self.refused) == self.SHOWN:
            raise InputError(self._message(f"More than {self.SHOWN}", f"Checking stopped at {origin}.")) from None
        self.refused.append(error)

    def check(self) -> None:
        """Raise what was refused: one refusal as it is, several as one error that lists them."""
        if len(self.refused) == 1:
            raise self.refused[0]
        if self.refused:
            raise InputError(self._message(str(len(self.refused))))

    def _message(self, count: str, *end: str) -> str:
        head = f"{count} {self.units} are refused, and nothing was written:"
        return "\n".join([head, *map(str, self.refused), *end])


@dataclass
class Batch:
    """Everything one import brings: registry entries first, then events, each with its origin."""

    sources: list[tuple[Origin, Source]] = field(default_factory=list)
    actors: list[tuple[Origin, Actor]] = field(default_factory=list)
    topics: list[tuple[Origin, Topic]] = field(default_factory=list)
    memberships: list[tuple[Origin, Membership]] = field(default_factory=list)
    texts: list[tuple[Origin, SourceText]] = field(default_factory=list)
    corrections: set[Origin] = field(default_factory=set)
    """Registry entries given with a correction_reason: they may change what their id names."""
    events: list[tuple[Origin, Event]] = field(default_factory=list)
    positions: dict[Origin, LogPosition] = field(default_factory=dict)

    def entries(self, model: type[BaseModel]) -> list:
        """The batch's list for one kind of entry."""
        return {Source: self.sources, Actor: self.actors, Topic: self.topics, Membership: self.memberships,
                SourceText: self.texts, Event: self.events}[model]  # fmt: skip

    def references(self) -> dict[type[BaseModel], set[str]]:
        """The registry ids the batch names, by kind: what must be looked up in the store."""
        wanted: dict[type[BaseModel], set[str]] = {Actor: set(), Topic: set(), Source: set()}
        for _, m in self.memberships:
            wanted[Actor].update((m.actor_id, m.group_id))
        wanted[Source].update(t.source_id for _, t in self.texts)
        for model, entries in ((Source, self.sources), (Actor, self.actors), (Topic, self.topics)):
            wanted[model].update(getattr(e, REGISTRY_KEYS[model]) for _, e in entries)
        for _, e in self.events:
            wanted[Actor].update((e.actor, e.subject or e.actor))
            wanted[Topic].add(e.topic)
            wanted[Source].add(e.source)
        return wanted

    def registry(self) -> Iterator[tuple[Origin, BaseModel]]:
        """Registry entries in the order they must apply: things before the memberships that join them, sources
        before their texts."""
        yield from (*self.sources, *self.actors, *self.topics, *self.memberships, *self.texts)


class Declined(Exception):
    """The columnar path cannot vouch for an import; the line-by-line path reads it and has the last word."""


def text_files(paths: Iterable[str | Path]) -> list[Path]:
    """The archived texts an import reads: each .txt file named, and every .txt under each directory, sorted. Each
    is named after its source: texts/macron-2024-02-27.txt is the text of source macron-2024-02-27."""
    found: list[Path] = []
    for path in map(Path, paths):
        found.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path] if path.suffix == ".txt" else [])
    return found


def read_texts(files: Iterable[Path], batch: Batch) -> Batch:
    """Add the archived texts to the batch, each as its bytes decoded from UTF-8 and nothing else."""
    refusals = Refusals()
    for path in files:
        origin = Origin(str(path), 0, unit="file")
        refusals.attempt(origin, _add_text, batch, origin, path)
    refusals.check()
    return batch


def _add_text(batch: Batch, origin: Origin, path: Path) -> None:
    text = read_utf8(path, str(origin))
    batch.texts.append((origin, validate(SourceText, {"source_id": path.stem, "text": text}, origin)))


def jsonl_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files an import reads: each file named, and every .jsonl under each directory, sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(path.rglob("*.jsonl"))
            if not inside and not any(path.rglob("*.txt")):
                raise InputError(f'directory "{path}" holds no .jsonl files. Give a .jsonl file or a directory of them.')
            found.extend(inside)
        elif path.is_file():
            found.extend([] if path.suffix == ".txt" else [path])  # a .txt is an archived text: text_files reads it
        else:
            raise InputError(f'path "{path}" does not exist. Give a .jsonl file or a directory of them.')
    return found


def read(paths: Iterable[str | Path], progress: Callable[[int, int], None] | None = None) -> Batch:
    """Parse and validate every line of the files under `paths` into one batch; `progress` is told the bytes read
    and the files' size, every 5000 lines."""

    def lines() -> Iterator[tuple[Origin, object]]:
        files = jsonl_files(paths)
        count, done, size = 0, 0, sum(path.stat().st_size for path in files)
        for path in files:
            for origin, obj, length in _lines(path):
                yield origin, obj
                count, done = count + 1, done + length
                if progress and count % 5000 == 0:
                    progress(done, size)
        if progress:
            progress(done, size)

    return _batch(lines())


def given(entries: Iterable[BaseModel | dict]) -> Batch:
    """Validate entries passed from Python into one batch, each named by its place ("append entry 2")."""
    return _batch((Origin("append", number, unit="entry"), entry) for number, entry in enumerate(entries, 1))


def _batch(entries: Iterable[tuple[Origin, object]]) -> Batch:
    """File each entry in one batch, naming every one refused; an entry may be the InputError that says why its
    line could not be decoded."""
    batch, refusals = Batch(), Refusals()
    for origin, obj in entries:
        if isinstance(obj, InputError):
            refusals.keep(origin, obj)
        else:
            refusals.attempt(origin, add, batch, origin, obj)
    refusals.check()
    return batch


def add(batch: Batch, origin: Origin, obj: object) -> None:
    """Validate one decoded line and file it in the batch by its type."""
    if isinstance(obj, BaseModel):
        model, entry = type(obj), obj
    else:
        if not isinstance(obj, dict):
            if origin.unit == "line":
                raise InputError(f"{origin}: line is a JSON {type(obj).__name__}, not an object. "
                                 "Write one object per line.")  # fmt: skip
            raise InputError(f"{origin}: a {type(obj).__name__} is not an entry. Pass an Event, Source, Actor, Topic or "
                             "Membership, or a dict of one.")  # fmt: skip
        obj = dict(obj)
        if "review" in obj:
            _refuse_unreviewed(origin, obj)
        kind = obj.pop("type", "event")
        model = ENTRY_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            shown = json.dumps(kind, ensure_ascii=False, default=str)
            raise InputError(f'{origin}: type {shown} is unknown. Use one of: {", ".join(ENTRY_TYPES)}.')
        logged = {key: obj.pop(key) for key in LogPosition.model_fields if key in obj} if model is Event else {}
        if model in REGISTRY_KEYS and "correction_reason" in obj:
            _correction(batch, origin, obj.pop("correction_reason"))
        entry = validate(model, obj, origin)
        if logged:
            batch.positions[origin] = validate(LogPosition, logged, origin)
    batch.entries(model).append((origin, entry))


REGISTRY_CORRECTIONS = ("entry_error", "reclassification")


def _correction(batch: Batch, origin: Origin, reason: object) -> None:
    if reason not in REGISTRY_CORRECTIONS:
        shown = json.dumps(reason, ensure_ascii=False, default=str)
        raise InputError(f'{origin}: field "correction_reason" has {shown}. Use one of: '
                         f"{', '.join(REGISTRY_CORRECTIONS)}.")  # fmt: skip
    batch.corrections.add(origin)


def _refuse_unreviewed(origin: Origin, obj: dict) -> None:
    """A candidate from `timeline extract` becomes an event only once a person has decided what it says."""
    empty = [name for name in ("actor", "topic", "stance", "date", "source") if obj.get(name) in (None, "")]
    todo = f"fill in {', '.join(empty)}, " if empty else ""
    raise InputError(f'{origin}: candidate not reviewed yet. {todo[0].upper() + todo[1:] if todo else ""}'
                     f'{"check" if todo else "Check"} actor, kind and subject against the sentence, then delete '
                     '"review".')  # fmt: skip


def validate(model: type[BaseModel], obj: dict, origin: Origin) -> BaseModel:
    """Build a record from a dict, turning pydantic's complaint into one located sentence."""
    try:
        return model.model_validate(obj)
    except ValidationError as e:
        raise InputError(f"{origin}: {_explain(model, e.errors()[0])}") from None


def _explain(model: type[BaseModel], error: dict) -> str:
    name = ".".join(str(part) for part in error["loc"])
    label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", model.__name__).lower()  # LogPosition: "log position"
    if not name:
        return f"{label} is not valid: {error['msg'].removeprefix('Value error, ')}."
    if error["type"] == "missing":
        required = [n for n, f in model.model_fields.items() if f.is_required()]
        return f'missing field "{name}". Every {label} needs {", ".join(required)}.'
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(name, model.model_fields) or f"Known fields: {', '.join(model.model_fields)}."
        return f'field "{name}" is not a field of type "{label}". {hint}'
    if error["type"] == "string_too_long":
        limit = error["ctx"]["max_length"]
        return f'field "{name}" is {len(error["input"])} characters long; the limit is {limit}. {FIXES.get(name, "Shorten it")}.'
    value = json.dumps(error.get("input"), ensure_ascii=False, default=str)
    if len(value) > 60:
        value = value[:57] + "..."
    choices = _choices(model.model_fields[name].annotation) if name in model.model_fields else []
    fix = FIXES.get(name.partition(".")[0]) or (f"Use one of: {', '.join(choices)}" if choices else "Correct the value")
    return f'field "{name}" has {value}: {error["msg"][0].lower()}{error["msg"][1:]}. {fix}.'


def _choices(annotation: object) -> list[str]:
    """The values a Literal field (or an optional one) allows, in the order the model lists them."""
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return [value for arg in get_args(annotation) for value in _choices(arg)]


def _lines(path: Path) -> Iterator[tuple[Origin, object, int]]:
    """Each non-blank line's decoded JSON, or the InputError that says why it cannot be decoded."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            origin = Origin(str(path), number)
            try:
                text = (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as e:
                where = f"0x{raw[e.start]:02x} at column {e.start + 1}"
                yield origin, InputError(f"{origin}: bytes are not UTF-8 ({where}). Save the file as UTF-8."), len(raw)
                continue
            if not text.strip():
                continue
            try:
                obj = json.loads(text, object_pairs_hook=_unique_keys)
            except json.JSONDecodeError as e:
                where = "the end of the line" if e.pos >= len(text) else f"column {e.colno}"
                said = f"{e.msg.removesuffix(' at')} at {where}"  # "Unterminated string starting at" names its place
                obj = InputError(f"{origin}: malformed JSON ({said}). Write one JSON object per line.")
            except _KeyTwice as e:
                obj = InputError(f'{origin}: field "{e.key}" appears twice. Keep the one you mean.')
            yield origin, obj, len(raw)


class _KeyTwice(ValueError):
    """A key that a line's JSON object gives twice."""

    def __init__(self, key: str):
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys are unique: given twice, a key would silently keep only its last value."""
    obj = dict(pairs)
    if len(obj) < len(pairs):
        raise _KeyTwice(next(key for key, count in Counter(key for key, _ in pairs).items() if count > 1))
    return obj


# -- the columnar path: whole columns checked once per distinct value ---------------------------------------------

EVENT_KEYS = ("type", *Event.model_fields)
"""The keys an event line may carry."""
LOG_KEYS = tuple(LogPosition.model_fields)
"""The keys a line of a log export adds: its place in the log and the interval its date was read as."""
REPLAYED_KEYS = {"event_id", "seq", "recorded_at", "hash", "occurred_to", "date_precision"}
"""What a line must carry for the columnar path to replay it; one of an older export, without the interval, goes
line by line and has its phrase read again."""
EVENT_DEFAULTS = {name: f.default for name, f in Event.model_fields.items() if f.default is not None}
"""What an event takes for a field its line leaves out."""
BULK = Origin("columns", 0)
"""Stands for every line in the columnar checks: any refusal there sends the import down the line-by-line path."""


def check_shape(keys: list[str], types: list[str | None], sample: str) -> bool:
    """Vouch for every event line with these keys and JSON types (in EVENT_KEYS then LOG_KEYS order; none where the
    lines are known to hold only strings and nulls), or decline; return whether the lines replay a log export.

    Each key must be an event field holding a JSON string or null, or a log position's (seq may be a number), and
    one such line must validate: the checks pydantic makes across fields (required fields, corrections given whole)
    depend only on which fields are present. Each event field's own value is checked by check_values, and each log
    position's as the replay is logged (queries/statements/replay_faults.sql).
    """
    if len(set(keys)) != len(keys) or not set(keys) <= {*EVENT_KEYS, *LOG_KEYS}:
        raise Declined("keys")
    numbers = {"seq": ("UBIGINT", "BIGINT")}
    staged = zip((*EVENT_KEYS, *LOG_KEYS), types)
    if any(kind not in (None, "VARCHAR", "NULL", *numbers.get(name, ())) for name, kind in staged):
        raise Declined("types")
    add(Batch(), BULK, json.loads(sample))
    logged = set(keys) & set(LOG_KEYS)
    if logged and not REPLAYED_KEYS <= logged:
        raise Declined("log position")
    return bool(logged)


def check_values(name: str, values: list[str]) -> None:
    """Vouch for the distinct non-null values of one event field: each passes the field's validation unchanged."""
    try:
        checked = _adapter(name).validate_python(values)
    except ValidationError:
        raise Declined(name) from None
    if [v.isoformat() if isinstance(v, date) else v for v in checked] != values:
        raise Declined(name)


@cache
def free_text_limits() -> dict[str, int | None]:
    """The event fields whose whole validation is stripping whitespace and bounding the length, each with its
    longest length in characters (None: no limit). A value of one that starts and ends with printable ASCII other
    than a space and is no longer in UTF-8 bytes than that passes it unchanged, so the columnar path lets SQL vouch
    for such values (queries/internal/plain_text.sql) and gives only the rest to check_values."""
    validated = {name for v in Event.__pydantic_decorators__.field_validators.values() for name in v.info.fields}
    limits = {}
    for name, field in Event.model_fields.items():
        bounds = {type(m): m for m in field.metadata}
        plain = field.annotation in (str, str | None) and name not in validated and set(bounds) <= {MinLen, MaxLen}
        if plain and getattr(bounds.get(MinLen), "min_length", 0) <= 1:
            limits[name] = getattr(bounds.get(MaxLen), "max_length", None)
    return limits


@cache
def _adapter(name: str) -> TypeAdapter:
    field = Event.model_fields[name]
    strip = ConfigDict(str_strip_whitespace=Event.model_config["str_strip_whitespace"])
    kind = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(list[kind], config=strip)
