"""stance-timeline: who said what, when, and what each actor's position was on any date."""

from .errors import (
    DateError,
    ExportError,
    InputError,
    ReadOnlyError,
    SchemaError,
    StoreError,
    StoreLocked,
    StoreMissing,
    TimelineError,
    UnknownId,
)
from .models import Actor, Event, Membership, Source, SourceText, StanceRow, Topic
from .store import AppendResult, Store, Verification

__all__ = [
    "Actor", "AppendResult", "DateError", "Event", "ExportError", "InputError", "Membership", "ReadOnlyError",
    "SchemaError", "Source", "SourceText", "StanceRow", "Store", "StoreError", "StoreLocked", "StoreMissing", "TimelineError", "Topic",
    "UnknownId", "Verification",
]  # fmt: skip
