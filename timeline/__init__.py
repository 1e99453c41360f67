"""stance-timeline: who said what, when, and what each actor's position was on any date.

The names below load on first use, so that a command which only reads imports neither pydantic nor the writing half
of the store."""

from importlib import import_module

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

_LAZY = {
    **dict.fromkeys(("Actor", "Event", "Membership", "Source", "SourceText", "StanceRow", "Topic"), ".models"),
    "AppendResult": ".store.log", "Store": ".store", "Verification": ".store.maintenance",
}
"""Each name this package gives that is loaded from a module of its own when first asked for."""


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(_LAZY[name], __name__), name)
    return value


__all__ = [
    "Actor", "AppendResult", "DateError", "Event", "ExportError", "InputError", "Membership", "ReadOnlyError",
    "SchemaError", "Source", "SourceText", "StanceRow", "Store", "StoreError", "StoreLocked", "StoreMissing", "TimelineError", "Topic",
    "UnknownId", "Verification",
]  # fmt: skip
