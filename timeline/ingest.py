"""From text to events: JSONL lines become registry entries and resolved events, every error located."""

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
from typing import Annotated, Literal, Protocol, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from . import dates
from .errors import DateError, InputError, did_you_mean
from .models import Actor, Event, EventRecord, LogPosition, Membership, Source, Topic, content_hash

ENTRY_TYPES: dict[str, type[BaseModel]] = {
    "source": Source,
    "actor": Actor,
    "topic": Topic,
    "membership": Membership,
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
        return f"{self.where} {self.unit} {self.line}"


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
    events: list[tuple[Origin, Event]] = field(default_factory=list)
    positions: dict[Origin, LogPosition] = field(default_factory=dict)

    def entries(self, model: type[BaseModel]) -> list:
        """The batch's list for one kind of entry."""
        return {Source: self.sources, Actor: self.actors, Topic: self.topics, Membership: self.memberships,
                Event: self.events}[model]  # fmt: skip

    def references(self) -> dict[type[BaseModel], set[str]]:
        """The registry ids the batch names, by kind: what must be looked up in the store."""
        wanted: dict[type[BaseModel], set[str]] = {Actor: set(), Topic: set(), Source: set()}
        for _, m in self.memberships:
            wanted[Actor].update((m.actor_id, m.group_id))
        for model, entries in ((Source, self.sources), (Actor, self.actors), (Topic, self.topics)):
            wanted[model].update(getattr(e, REGISTRY_KEYS[model]) for _, e in entries)
        for _, e in self.events:
            wanted[Actor].update((e.actor, e.subject or e.actor))
            wanted[Topic].add(e.topic)
            wanted[Source].add(e.source)
        return wanted

    def registry(self) -> Iterator[tuple[Origin, BaseModel]]:
        """Registry entries in the order they must apply: things before the memberships that join them."""
        yield from (*self.sources, *self.actors, *self.topics, *self.memberships)


class Declined(Exception):
    """The columnar path cannot vouch for an import; the line-by-line path reads it and has the last word."""


class Lookup(Protocol):
    """What resolving needs from the store: registry entries by id, which event ids exist, which are corrected."""

    def find(self, model: type[BaseModel], key: str) -> BaseModel | None: ...

    def ids(self, model: type[BaseModel]) -> list[str]: ...

    def existing_event_ids(self, ids: Iterable[str]) -> set[str]: ...

    def corrections_of(self, ids: Iterable[str]) -> dict[str, str]: ...

    def has_membership(self, membership: Membership) -> bool: ...


def jsonl_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files an import reads: each file named, and every .jsonl under each directory, sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(path.rglob("*.jsonl"))
            if not inside:
                raise InputError(f'directory "{path}" holds no .jsonl files. Give a .jsonl file or a directory of them.')
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f'path "{path}" does not exist. Give a .jsonl file or a directory of them.')
    return found


def read(paths: Iterable[str | Path], progress: Callable[[int], None] | None = None) -> Batch:
    """Parse and validate every line of the files under `paths` into one batch; `progress` gets bytes read."""

    def lines() -> Iterator[tuple[Origin, object]]:
        count, done = 0, 0
        for path in jsonl_files(paths):
            for origin, obj, size in _lines(path):
                yield origin, obj
                count, done = count + 1, done + size
                if progress and count % 5000 == 0:
                    progress(done)
        if progress:
            progress(done)

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
        kind = obj.pop("type", "event")
        model = ENTRY_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            shown = json.dumps(kind, ensure_ascii=False, default=str)
            raise InputError(f'{origin}: type {shown} is unknown. Use one of: {", ".join(ENTRY_TYPES)}.')
        logged = {key: obj.pop(key) for key in LogPosition.model_fields if key in obj} if model is Event else {}
        entry = validate(model, obj, origin)
        if logged:
            batch.positions[origin] = validate(LogPosition, logged, origin)
    batch.entries(model).append((origin, entry))


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
                obj = InputError(f"{origin}: malformed JSON ({e.msg} at {where}). Write one JSON object per line.")
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


class Resolver:
    """Resolves events against the registry: ids checked, stances scored, dates made explicit."""

    def __init__(self, lookup: Lookup):
        self._lookup = lookup
        self._known: dict[type[BaseModel], dict[str, BaseModel]] = {Source: {}, Actor: {}, Topic: {}}

    def register(self, origin: Origin, entry: BaseModel) -> bool:
        """Accept a registry entry; False if the store already holds the same one."""
        if isinstance(entry, Membership):
            for key in (entry.actor_id, entry.group_id):
                self._require(Actor, key, origin, "actor")
            return not self._lookup.has_membership(entry)
        model, key = type(entry), getattr(entry, REGISTRY_KEYS[type(entry)])
        held = self._find(model, key)
        if held is not None:
            _refuse_conflict(held, entry, origin)
        self._known[model][key] = entry
        return held != entry

    def register_all(self, batch: Batch) -> list[BaseModel]:
        """The batch's registry entries that the store does not hold yet, in the order they must apply."""
        refusals = Refusals()
        fresh = [entry for origin, entry in batch.registry() if refusals.attempt(origin, self.register, origin, entry)]
        refusals.check()
        return fresh

    def resolve(self, origin: Origin, event: Event, logged: LogPosition | None = None) -> EventRecord:
        """Turn an analyst's event into a record with explicit ids, score and dates; a replayed one keeps the
        interval its log position gives."""
        subject = self.parties(origin, event.actor, event.subject, event.kind)
        score = self.score(origin, event.topic, event.stance)
        span = self.span(origin, event.date, event.date_basis, event.source, logged)
        return EventRecord(
            actor_id=event.actor, subject_id=subject, kind=event.kind, topic_id=event.topic,
            stance=event.stance, score=score, quote=event.quote, summary=event.summary,
            conditions=event.conditions, occurred_from=span.start, occurred_to=span.end,
            date_precision=span.precision, date_text=event.date, date_basis=span.basis,
            source_id=event.source, locator=event.locator, confidence=event.confidence,
            supersedes=event.supersedes, correction_reason=event.correction_reason,
        )  # fmt: skip

    def parties(self, origin: Origin, actor: str, subject: str | None, kind: str) -> str:
        """Check the actor and subject exist, that first-hand kinds speak of the actor and second-hand ones of another;
        return the subject. A claim left without a subject would otherwise count as the claimant's own stance."""
        self._require(Actor, actor, origin, "actor")
        subject = subject or actor
        if subject == actor and kind in ("claim", "report"):
            raise InputError(
                f'{origin}: kind "{kind}" is second-hand, but its subject is actor "{actor}" itself. '
                'Give subject, whose position it reports, or use kind "statement" for the actor\'s own.'
            )
        if subject != actor:
            self._require(Actor, subject, origin, "subject")
            if kind in ("statement", "action"):
                raise InputError(
                    f'{origin}: kind "{kind}" is first-hand, but subject "{subject}" is not actor "{actor}". '
                    'Use kind "claim" or "report" for what one actor says of another, or drop subject.'
                )
        return subject

    def score(self, origin: Origin, topic_id: str, stance: str) -> int:
        """The score of a stance on its topic's scale."""
        topic = self._require(Topic, topic_id, origin, "topic")
        if stance not in topic.scale:
            raise InputError(
                f'{origin}: stance "{stance}" is not on the scale of topic "{topic.topic_id}". '
                f'Use one of: {", ".join(topic.scale)}.'
            )
        return topic.scale[stance]

    def span(self, origin: Origin, text: str, basis: date | None, source_id: str,
             logged: LogPosition | None = None) -> dates.DateSpan:  # fmt: skip
        """The days a date phrase covers, read against its basis or else its source's publication day; or, for a
        replayed event, the interval its log position gives."""
        source = self._require(Source, source_id, origin, "source")
        if logged is not None and logged.date_precision is not None:
            return dates.DateSpan(logged.occurred_from, logged.occurred_to, logged.date_precision, text,
                                  basis or source.published_on)  # fmt: skip
        try:
            return dates.resolve(text, basis or source.published_on)
        except DateError as e:
            raise InputError(f"{origin}: {e}") from None

    def resolve_all(self, batch: Batch) -> list[Resolved]:
        """Resolve a batch's events and check that every correction names an event that exists."""
        resolved, refusals = [], Refusals()
        for origin, event in batch.events:
            position = batch.positions.get(origin)
            record = refusals.attempt(origin, self.resolve, origin, event, position)
            if record is None:
                continue
            event_id = content_hash(record)
            if position and position.event_id != event_id:
                refusals.keep(origin, InputError(
                    f'{origin}: event_id "{position.event_id}" does not match the event\'s content ({event_id}). '
                    "The line was edited after export, or dates resolve differently here; restore the exported line."
                ))  # fmt: skip
                continue
            resolved.append(Resolved(origin, event_id, record, position))
        refusals.check()
        if batch.positions and len(batch.positions) != len(resolved):
            raise InputError(
                f"{resolved[0].origin}: some events carry a log position (seq, recorded_at, hash) and some do not. "
                "Import a log export on its own, or drop those fields to append the events as new."
            )
        known = {r.event_id for r in resolved}
        targets = {r.record.supersedes for r in resolved if r.record.supersedes}
        missing, refusals = targets - known - self._lookup.existing_event_ids(targets), Refusals()
        for r in resolved:
            if r.record.supersedes in missing:
                refusals.keep(r.origin, InputError(
                    f'{r.origin}: supersedes "{r.record.supersedes}" names no event in the store or this import. '
                    "Copy the event_id from timeline history or timeline sql."
                ))  # fmt: skip
        refusals.check()
        self._refuse_second_corrections([r for r in resolved if r.record.supersedes and not r.position])
        return resolved

    def _refuse_second_corrections(self, corrections: list[Resolved]) -> None:
        """An event is corrected once: a later correction supersedes the correction, so one version stays in force.
        A correction already logged is not refused again, nor is a replayed log, which keeps what it holds."""
        if not corrections:
            return
        logged = self._lookup.existing_event_ids({r.event_id for r in corrections})
        corrected_by = self._lookup.corrections_of({r.record.supersedes for r in corrections})
        refusals = Refusals()
        for r in corrections:
            if r.event_id in logged:
                continue
            by = corrected_by.setdefault(r.record.supersedes, r.event_id)
            if by != r.event_id:
                refusals.keep(r.origin, InputError(
                    f'{r.origin}: supersedes "{r.record.supersedes}", which "{by}" already corrects. '
                    f'Supersede "{by}" instead, to correct the correction.'
                ))  # fmt: skip
        refusals.check()

    def _find(self, model: type[BaseModel], key: str) -> BaseModel | None:
        known = self._known[model]
        if key not in known:
            found = self._lookup.find(model, key)
            if found is None:
                return None
            known[key] = found
        return known[key]

    def _require(self, model: type[BaseModel], key: str, origin: Origin, role: str) -> BaseModel:
        found = self._find(model, key)
        if found is None:
            label, article = model.__name__.lower(), "an" if model.__name__[0] in "AEIOU" else "a"
            choices = set(self._lookup.ids(model)) | set(self._known[model])
            hint = did_you_mean(key, choices) or (
                f'Add a line with "type": "{label}" for it first.' if origin.unit == "line" else
                f'Add it first: import a line with "type": "{label}", or append {article} {model.__name__} from Python.')  # fmt: skip
            field_note = "" if role == label else f' in field "{role}"'
            raise InputError(f'{origin}: unknown {label} "{key}"{field_note}. {hint}')
        return found


def _refuse_conflict(held: BaseModel, entry: BaseModel, origin: Origin) -> None:
    """An id keeps the thing it names: an actor its name, a source its date, a topic its scale."""
    for name in ("name", "published_on", "scale", "proposition"):
        old, new = getattr(held, name, None), getattr(entry, name, None)
        if old != new:
            label, key = type(entry).__name__.lower(), getattr(entry, REGISTRY_KEYS[type(entry)])
            raise InputError(
                f'{origin}: {label} id "{key}" already has {name} {json.dumps(old, default=str)}, '
                f"not {json.dumps(new, default=str)}. Use a new id, or keep the {name}."
            )


# -- the columnar path: whole columns checked once per distinct value ---------------------------------------------

EVENT_KEYS = ("type", *Event.model_fields)
"""The keys an event line may carry."""
EVENT_DEFAULTS = {name: f.default for name, f in Event.model_fields.items() if f.default is not None}
"""What an event takes for a field its line leaves out."""
_BULK = Origin("columns", 0)
"""Stands for every line in the columnar checks: any refusal there sends the import down the line-by-line path."""


def check_shape(keys: list[str], types: list[str | None], sample: str) -> None:
    """Vouch for every event line with these keys and JSON types (in EVENT_KEYS order; none where the lines are
    known to hold only strings and nulls), or decline.

    Each key must be an event field holding a JSON string or null, and one such line must validate as an event:
    the checks pydantic makes across fields (required fields, corrections given whole) depend only on which fields
    are present. Each field's own value is checked by check_values.
    """
    if len(set(keys)) != len(keys) or not set(keys) <= set(EVENT_KEYS):
        raise Declined("keys")
    if any(kind not in (None, "VARCHAR", "NULL") for kind in types):
        raise Declined("types")
    add(Batch(), _BULK, json.loads(sample))


def check_values(name: str, values: list[str]) -> None:
    """Vouch for the distinct non-null values of one event field: each passes the field's validation unchanged."""
    try:
        checked = _adapter(name).validate_python(values)
    except ValidationError:
        raise Declined(name) from None
    if [v.isoformat() if isinstance(v, date) else v for v in checked] != values:
        raise Declined(name)


@cache
def _adapter(name: str) -> TypeAdapter:
    field = Event.model_fields[name]
    strip = ConfigDict(str_strip_whitespace=Event.model_config["str_strip_whitespace"])
    kind = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(list[kind], config=strip)


def resolve_columns(resolver: Resolver, distinct: Callable[..., list[tuple]]) -> dict[str, list[tuple]]:
    """Resolve an import's events by their distinct values, with the same checks as Resolver.resolve.

    `distinct(*fields)` gives the distinct tuples of those event fields. Returns the rows of two lookup tables:
    scores (topic, stance, score) and spans (date, date_basis, source, occurred_from, occurred_to, date_precision,
    basis). Raises InputError, without a line to name, where resolving one line would.
    """
    for actor, subject, kind in distinct("actor", "subject", "kind"):
        resolver.parties(_BULK, actor, subject, kind or EVENT_DEFAULTS["kind"])
    scores = [(topic, stance, resolver.score(_BULK, topic, stance)) for topic, stance in distinct("topic", "stance")]
    spans = []
    for text, basis, source in distinct("date", "date_basis", "source"):
        span = resolver.span(_BULK, text, date.fromisoformat(basis) if basis else None, source)
        spans.append((text, basis, source, span.start, span.end, span.precision, span.basis))
    return {"scores": scores, "spans": spans}
