"""What the command says of a result, in sentences: an import's counts and head, a verify's verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store.log import AppendResult
    from .store.maintenance import Verification

RESTORE = "restore the store from a copy or an export."


def count(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun in the number it takes: 1 new event, 2 new events."""
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def imported(result: AppendResult) -> str | None:
    """What an import added and found present, and the head it left; None when the files held no lines."""
    if not (result.event_ids or result.registry or result.registry_present or result.texts):
        return None
    texts = f", {count(result.texts, 'archived text')}" if result.texts else ""
    return (
        f"imported {count(result.added, 'new event')} ({result.present} already present), "
        f"{count(result.registry, 'registry entry', 'registry entries')} ({result.registry_present} already present)"
        f"{texts}; head seq {result.head_seq} hash {result.head_hash}"
    )


def verified(outcome: Verification, head: str | None) -> str:
    """A verify that passed: what it checked, and where the published head `head` is, if one was given."""
    found = f"; the published head {head} is seq {outcome.published_seq}" if head and outcome.published_seq else ""
    found = found or (f"; the published head {head} is an archived text's" if head else "")
    texts = f"; {count(outcome.texts, 'archived text')}, head hash {outcome.texts_head}" if outcome.texts else ""
    return f"OK {count(outcome.count, 'event')}, head seq {outcome.head_seq} hash {outcome.head_hash}{found}{texts}"


def failed(outcome: Verification) -> str:
    """A verify that failed: the first bad record, and what to do."""
    if outcome.in_texts:
        return f"verify failed: {outcome.problem}; {RESTORE}"
    if outcome.bad_seq is None:
        return (f"verify failed: {outcome.problem}, whose chain is intact up to seq {outcome.head_seq}. Events were cut "
                f"from its end, or the log was rewritten and chained anew; {RESTORE}")  # fmt: skip
    return (f"verify failed at seq {outcome.bad_seq}: {outcome.problem}. The chain is intact up to seq "
            f"{outcome.head_seq}; {RESTORE}")  # fmt: skip
