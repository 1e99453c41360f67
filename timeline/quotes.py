"""Finding a quote in the archived text of its source, as a reader would: whitespace, typographic quote marks,
apostrophes and dashes count as their plain forms, and "..." or "…" stands for words left out."""

from __future__ import annotations

import difflib
import re

FOLDED = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
                        "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                        "\u2015": "-", "\u2212": "-", "\u00a0": " "})  # fmt: skip
ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|\u2026)\s*")
GAP = 400
"""The most characters an ellipsis may stand for."""


class QuoteNotFound(ValueError):
    """The quote is not in the text; `closest` is the passage most like it."""

    def __init__(self, closest: str):
        super().__init__(closest)
        self.closest = closest


def locate(quote: str, text: str) -> tuple[int, int]:
    """Where `quote` is in `text`, as [start, end) Python string indices into the text as archived."""
    folded, where = _fold(text)
    parts = [part for part in ELLIPSIS.split(_fold(quote)[0].strip()) if part.strip()]
    if not parts:
        raise QuoteNotFound("")
    pattern = rf".{{0,{GAP}}}?".join(re.escape(part.strip()) for part in parts)
    found = re.search(pattern, folded, flags=re.S)
    if found is None:
        raise QuoteNotFound(closest(quote, text))
    return where[found.start()], where[found.end() - 1] + 1


def closest(quote: str, text: str) -> str:
    """The passage of `text`, starting at a word, that is most like `quote`: what to mend a mistyped quote from."""
    folded, _ = _fold(text)
    wanted = _fold(quote)[0].strip()
    size = len(wanted)
    starts = [0, *(m.end() for m in re.finditer(r"\s+", folded))]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    best, best_start = -1.0, 0
    for start in starts:
        matcher.set_seq1(folded[start:start + size])
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best and (score := matcher.ratio()) > best:
            best, best_start = score, start
    end = best_start + size
    while end < len(folded) and not folded[end].isspace():  # to the end of the word it stops in
        end += 1
    return folded[best_start:end].strip().strip("\"'")


def _fold(text: str) -> tuple[str, list[int]]:
    """The text folded for matching, and for each of its characters the index it came from."""
    out, where, space = [], [], False
    for index, char in enumerate(text.translate(FOLDED)):
        if char.isspace():
            if not space and out:
                out.append(" ")
                where.append(index)
            space = True
            continue
        out.append(char)
        where.append(index)
        space = False
    return "".join(out), where
