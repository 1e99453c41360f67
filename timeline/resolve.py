"""From batch to records: registry ids checked, stances scored, dates read against their basis, corrections checked,
every refusal located. The store supplies a Lookup; nothing here touches it directly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple, Protocol

from pydantic import BaseModel

from . import dates
from .errors import DateError, InputError, did_you_mean
from .ingest import BULK, EVENT_DEFAULTS, REGISTRY_KEYS, Batch, Origin, Refusals, Resolved
from .models import SourceText, Actor, Event, EventRecord, LogPosition, Membership, Source, Topic, content_hash


class Correction(NamedTuple):
    """An event that supersedes another: where it came from, its id, its target, and whether it replays a log."""

    origin: Origin
    event_id: str
    supersedes: str
    replayed: bool = False


class Lookup(Protocol):
    """What resolving needs from the store: registry entries by id, which event ids exist, which are corrected."""

    def find(self, model: type[BaseModel], key: str) -> BaseModel | None: ...

    def ids(self, model: type[BaseModel]) -> list[str]: ...

    def existing_event_ids(self, ids: Iterable[str]) -> set[str]: ...

    def corrections_of(self, ids: Iterable[str]) -> dict[str, str]: ...

    def has_membership(self, membership: Membership) -> bool: ...

    def text_sha256(self, source_id: str) -> str | None: ...


class Resolver:
    """Resolves events against the registry: ids checked, stances scored, dates made explicit."""

    def __init__(self, lookup: Lookup):
        self._lookup = lookup
        self._known: dict[type[BaseModel], dict[str, BaseModel]] = {Source: {}, Actor: {}, Topic: {}}
        self._texts: dict[str, str] = {}

    def register(self, origin: Origin, entry: BaseModel, correcting: bool = False) -> bool:
        """Accept a registry entry; False if the store already holds the same one. A correction may change what its
        id names; the entry it replaces stays readable in registry_history."""
        if isinstance(entry, SourceText):
            return self._archive(origin, entry)
        if isinstance(entry, Membership):
            for key in (entry.actor_id, entry.group_id):
                self._require(Actor, key, origin, "actor")
            return not self._lookup.has_membership(entry)
        model, key = type(entry), getattr(entry, REGISTRY_KEYS[type(entry)])
        held = self._find(model, key)
        if held is not None and not correcting:
            _refuse_conflict(held, entry, origin)
        self._known[model][key] = entry
        return held != entry

    def _archive(self, origin: Origin, entry: SourceText) -> bool:
        """Accept a source's text: its source must exist, and a text once archived is never rewritten."""
        self._require(Source, entry.source_id, origin, "source")
        held = self._texts.get(entry.source_id) or self._lookup.text_sha256(entry.source_id)
        if held is not None and held != entry.sha256:
            raise InputError(f'{origin}: source "{entry.source_id}" already has an archived text (sha256 {held[:12]}…) '
                             "and an archived text is never rewritten. Archive this one under a new source id.")  # fmt: skip
        self._texts[entry.source_id] = entry.sha256
        return held is None

    def register_all(self, batch: Batch) -> list[BaseModel]:
        """The batch's registry entries that the store does not hold yet, in the order they must apply."""
        refusals = Refusals()
        fresh = [entry for origin, entry in batch.registry()
                 if refusals.attempt(origin, self.register, origin, entry, origin in batch.corrections)]
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
        anchor = self.basis(origin, basis, source_id)
        if logged is not None and logged.date_precision is not None:
            return dates.DateSpan(logged.occurred_from, logged.occurred_to, logged.date_precision, text, anchor)
        try:
            return dates.resolve(text, anchor, anchored=basis is not None)
        except DateError as e:
            raise InputError(f"{origin}: {e}") from None

    def basis(self, origin: Origin, basis: date | None, source_id: str) -> date:
        """The day a date phrase is read against: its own basis, or else its source's publication day."""
        return basis or self._require(Source, source_id, origin, "source").published_on

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
        corrections = [Correction(r.origin, r.event_id, r.record.supersedes, r.position is not None)
                       for r in resolved if r.record.supersedes]  # fmt: skip
        self.check_corrections(corrections, {c.supersedes for c in corrections} & {r.event_id for r in resolved})
        return resolved

    def check_corrections(self, corrections: list[Correction], in_import: set[str]) -> None:
        """Every correction names an event that exists (`in_import`: the targets the import itself holds), and an
        event is corrected once: a later correction supersedes the correction, so one version stays in force. A
        correction already logged is not refused again, nor is a replayed log, which keeps what it holds."""
        if not corrections:
            return
        targets = {c.supersedes for c in corrections}
        missing, refusals = targets - in_import - self._lookup.existing_event_ids(targets), Refusals()
        for c in corrections:
            if c.supersedes in missing:
                refusals.keep(c.origin, InputError(
                    f'{c.origin}: supersedes "{c.supersedes}" names no event in the store or this import. '
                    "Copy the event_id from timeline history or timeline sql."
                ))  # fmt: skip
        refusals.check()
        fresh = [c for c in corrections if not c.replayed]
        logged = self._lookup.existing_event_ids({c.event_id for c in fresh})
        corrected_by = self._lookup.corrections_of({c.supersedes for c in fresh})
        for c in fresh:
            if c.event_id in logged:
                continue
            by = corrected_by.setdefault(c.supersedes, c.event_id)
            if by != c.event_id:
                refusals.keep(c.origin, InputError(
                    f'{c.origin}: supersedes "{c.supersedes}", which "{by}" already corrects. '
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
                f"not {json.dumps(new, default=str)}. Use a new id, or keep the {name}; to correct a mistake, add "
                '"correction_reason": "entry_error" (the entry it replaces stays in registry_history).'
            )


def resolve_columns(resolver: Resolver, distinct: Callable[..., list[tuple]],
                    replayed: bool = False) -> dict[str, list[tuple]]:  # fmt: skip
    """Resolve an import's events by their distinct values, with the same checks as Resolver.resolve.

    `distinct(*fields)` gives the distinct tuples of those event fields. Returns the rows of two lookup tables:
    scores (topic, stance, score) and spans (date, date_basis, source, occurred_from, occurred_to, date_precision,
    basis). Raises InputError, without a line to name, where resolving one line would. `replayed`: the events
    replay a log export, whose lines carry the intervals their phrases were read as; their spans give the basis only.
    """
    for actor, subject, kind in distinct("actor", "subject", "kind"):
        resolver.parties(BULK, actor, subject, kind or EVENT_DEFAULTS["kind"])
    scores = [(topic, stance, resolver.score(BULK, topic, stance)) for topic, stance in distinct("topic", "stance")]
    spans = []
    for text, basis, source in distinct("date", "date_basis", "source"):
        day = date.fromisoformat(basis) if basis else None
        if replayed:
            spans.append((text, basis, source, None, None, None, resolver.basis(BULK, day, source)))
            continue
        span = resolver.span(BULK, text, day, source)
        spans.append((text, basis, source, span.start, span.end, span.precision, span.basis))
    return {"scores": scores, "spans": spans}
