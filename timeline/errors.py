"""The errors stance-timeline raises on purpose; anything else is a bug."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class TimelineError(Exception):
    """Base of every error the project raises on purpose."""


class DateError(TimelineError):
    """A date phrase that cannot be turned into an honest interval."""


class InputError(TimelineError):
    """A line of input that cannot become a registry entry or an event."""


class UnknownId(TimelineError):
    """A query names an actor, group or topic the store does not hold, so its empty answer would mislead."""


class ExportError(TimelineError):
    """An export's output cannot take it: a missing directory, a file or folder it must not replace, or a write the
    system refuses (a full disk, a name too long)."""


class StoreError(TimelineError):
    """The store cannot be opened, read or written as asked."""


class StoreMissing(StoreError):
    """No store exists at the given path."""


class StoreLocked(StoreError):
    """Another process holds the store's write lock."""


class SchemaError(StoreError):
    """The store's schema version is not one this version can use."""


class ReadOnlyError(StoreError):
    """Ad-hoc SQL tried to change the store."""


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The hint for a mistyped name: 'Did you mean "…"?' with the closest known one, or None when none is close."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f'Did you mean "{close[0]}"?' if close else None
