"""The errors stance-timeline raises on purpose; anything else is a bug."""

from __future__ import annotations

import difflib
import re
import unicodedata
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


class StoreBusy(StoreError):
    """A lake's other writers committed first on every try, for as long as the writer was given."""


class SchemaError(StoreError):
    """The store's schema version is not one this version can use."""


class ReadOnlyError(StoreError):
    """Ad-hoc SQL tried to change the store."""


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The hint for a mistyped or partial name: 'Did you mean "…"?' with the closest known one, or else the ones that
    hold each of its words ("Macron": "emmanuel-macron"); None when none is close."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    if not close and (words := set(_words(name))):
        close = sorted(k for k in known if words <= set(_words(k)))[:3]
    if not close:
        return None
    *others, last = [f'"{k}"' for k in close]
    return f"Did you mean {', '.join(others) + ' or ' if others else ''}{last}?"


def _words(text: str) -> list[str]:
    """Lowercase ASCII words, accents dropped: "Séjourné" and "stephane-sejourne" share "sejourne"."""
    return re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())
