"""The records of a timeline: sources, actors, memberships, topics and events. Pure data, no I/O."""

from __future__ import annotations

import hashlib
import json
import datetime as dt
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .dates import utc

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]
StanceLabel = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
EventId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
ActorKind = Literal["person", "government", "organization", "agency", "media"]
EventKind = Literal["statement", "action", "claim", "report"]
Confidence = Literal["high", "medium", "low"]
CorrectionReason = Literal["entry_error", "reclassification", "retraction"]
Precision = Literal["day", "week", "month", "quarter", "year", "range"]

DEFAULT_SCALE = {"rules_out": -2, "opposes": -1, "ambiguous": 0, "open": 1, "supports": 2}
QUOTE_LIMIT = 2000
SUMMARY_LIMIT = 2000
"""The longest quote an event may carry, in characters: a quote is the words that matter, not the article."""

GENESIS_HASH = "0" * 32


class Record(BaseModel):
    """Base of every record: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Source(Record):
    """Where a statement was read: one article, broadcast or document."""

    source_id: Slug
    outlet: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: str | None = None
    published_on: dt.date | None = None
    language: str = "en"
    notes: str = ""


class SourceText(Record):
    """A source's text as archived, untouched: what its events' quotes are found in."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    source_id: Slug
    text: str = Field(min_length=1)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the text's UTF-8 bytes."""
        return hashlib.sha256(self.text.encode()).hexdigest()


class Actor(Record):
    """Someone whose position counts: a person, a government, an organization, an agency or a medium."""

    actor_id: Slug
    name: str = Field(min_length=1)
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[0-9]+$")] | None = None


class Membership(Record):
    """An actor's place in a group over a half-open interval [valid_from, valid_to)."""

    actor_id: Slug
    group_id: Slug
    role: str = Field(min_length=1)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Membership:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class Topic(Record):
    """A proposition an actor can be for or against, and the scale its stances sit on."""

    topic_id: Slug
    proposition: str = Field(min_length=1)
    scale: dict[StanceLabel, Annotated[int, Field(ge=-2, le=2)]] = Field(default_factory=lambda: dict(DEFAULT_SCALE))


class Event(Record):
    """A statement, action, claim or report as an analyst codes it; `date` may be a phrase."""

    actor: Slug
    topic: Slug
    stance: StanceLabel
    date: str = Field(min_length=1)
    source: Slug
    summary: str = Field(min_length=1, max_length=SUMMARY_LIMIT)
    subject: Slug | None = None
    kind: EventKind = "statement"
    quote: str | None = Field(default=None, max_length=QUOTE_LIMIT)
    conditions: str | None = None
    confidence: Confidence = "medium"
    locator: str | None = None
    supersedes: EventId | None = None
    correction_reason: CorrectionReason | None = None
    date_basis: dt.date | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        return value.isoformat() if isinstance(value, dt.date) else value

    # Checks across fields must depend only on which fields are present: the columnar import validates one line of
    # each shape as an Event and each field's values on their own (ingest.check_shape, ingest.check_values).
    @model_validator(mode="after")
    def _correction_is_whole(self) -> Event:
        if (self.supersedes is None) != (self.correction_reason is None):
            raise ValueError("supersedes and correction_reason go together: give both or neither")
        return self


CONTENT_FIELDS = (
    "actor_id", "subject_id", "kind", "topic_id", "stance", "score", "quote", "summary", "conditions",
    "occurred_from", "occurred_to", "date_precision", "date_text", "date_basis",
    "source_id", "locator", "confidence", "supersedes", "correction_reason",
)  # fmt: skip
"""The columns an event's identity is made of, in the order they are hashed (EventRecord's fields)."""


class EventRecord(NamedTuple):
    """An event resolved against the registry: every date explicit, every reference an id, fields in hash order."""

    actor_id: str
    subject_id: str
    kind: str
    topic_id: str
    stance: str
    score: int
    quote: str | None
    summary: str
    conditions: str | None
    occurred_from: dt.date | None
    occurred_to: dt.date
    date_precision: str
    date_text: str
    date_basis: dt.date | None
    source_id: str
    locator: str | None
    confidence: str
    supersedes: str | None
    correction_reason: str | None


class LogPosition(Record):
    """Where an exported event stood in its log; importing it replays the event at exactly that place.

    The interval its date was read as (occurred_to and date_precision; occurred_from unless open) is replayed as
    given, not read again from the phrase, so that a version that reads a phrase otherwise restores the event as it
    was logged; the event_id vouches for it. Exports made before the interval was written read the phrase again.
    """

    event_id: EventId
    seq: Annotated[int, Field(ge=1)]
    recorded_at: Annotated[dt.datetime, AfterValidator(utc)]
    prev_hash: str | None = None
    hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    date_precision: Precision | None = None

    @model_validator(mode="after")
    def _interval_is_whole(self) -> LogPosition:
        if (self.occurred_to is None) != (self.date_precision is None):
            raise ValueError("occurred_to and date_precision go together: give both, as exported, or neither")
        if self.occurred_from and self.occurred_to and self.occurred_from > self.occurred_to:
            raise ValueError("occurred_from is after occurred_to: restore the exported line")
        return self


_DATE_FIELDS = tuple(CONTENT_FIELDS.index(name) for name in ("occurred_from", "occurred_to", "date_basis"))


def content_hash(values: tuple) -> str:
    """An event's id: the hash of its content in CONTENT_FIELDS order, so the same event appended twice is one event."""
    values = list(values)
    for i in _DATE_FIELDS:
        if values[i] is not None:
            values[i] = values[i].isoformat()
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:16]


def chain_hash(prev_hash: str, seq: int, event_id: str, recorded_at: dt.datetime) -> str:
    """Link of the log's hash chain: it covers the event's content (through its id) and everything before it."""
    return chain_hashes(prev_hash, seq, [event_id], recorded_at)[0]


def chain_hashes(prev_hash: str, first_seq: int, event_ids: list[str], recorded_at: dt.datetime) -> list[str]:
    """The links of events recorded together, numbered from `first_seq`, each chained to the one before."""
    at, links = recorded_at.isoformat(), []
    for seq, event_id in enumerate(event_ids, first_seq):
        prev_hash = hashlib.sha256(f"{prev_hash}|{seq}|{event_id}|{at}".encode()).hexdigest()[:32]
        links.append(prev_hash)
    return links


class StanceRow(Record):
    """One actor's position on one topic on a given day: a row of `stance_as_of`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    actor_id: str
    actor_name: str | None
    topic_id: str
    stance: str
    score: int
    since: dt.date | None
    date_precision: Precision
    date_uncertain: bool
    n_sources: int
    event_id: str
    quote: str | None
    summary: str
    source_id: str
    conditions: str | None = None
    confidence: Confidence | None = None
