"""The way in, as the library does it: archive an article as a source's text, and propose the statements a text
reports. The commands `timeline source add` and `timeline extract` call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import articles, extract
from .errors import InputError
from .models import Actor, Source, SourceText
from .store import Store
from .store.log import AppendResult


@dataclass(frozen=True)
class Archived:
    """What archiving did: the source, the text, what was written, and how many quotes from it were found."""

    source: Source
    text: SourceText
    result: AppendResult
    quotes_found: int


def archive(store: Store, where: str, *, source_id: str | None = None, published_on: date | None = None,
            outlet: str | None = None, title: str | None = None) -> Archived:  # fmt: skip
    """Archive the article at a path or URL as a source's text; a source the store holds keeps its registry entry."""
    article = articles.read(where)
    held = {s.source_id: s for s in store.registry(Source)}
    source = held.get(source_id) or _new_source(article, where, source_id, published_on, outlet, title)
    text = SourceText(source_id=source.source_id, text=article.text)
    result = store.append_many([source, text])
    found = sum(row["quote_start"] is not None for row in store.table("timeline", source_id=source.source_id).dicts())
    return Archived(source, text, result, found)


def propose(store: Store | None, what: str, published_on: date | None = None) -> tuple[list[extract.Candidate], str | None]:
    """Candidate statements from a file (no store needed; actors then stay unresolved) or an archived source, and
    the source's id where there is one."""
    actors = store.registry(Actor) if store else []
    if Path(what).exists():
        article = articles.read(what)
        return extract.candidates(article.text, actors, published_on or article.published_on), None
    if store is None:
        raise InputError(f'"{what}" is neither a file nor a source of a store. Give a path, or add the source first '
                         "with timeline source add.")  # fmt: skip
    text, basis, source_id = store.archived(what)
    return extract.candidates(text, actors, published_on or basis), source_id


def _new_source(article: articles.Article, where: str, source_id: str | None, published_on: date | None,
                outlet: str | None, title: str | None) -> Source:  # fmt: skip
    """A registry entry for an article the store does not hold: the options first, then the page's own metadata."""
    title, outlet, published_on = title or article.title, outlet or article.outlet, published_on or article.published_on
    for value, option, what in ((title, "--title", "title"), (outlet, "--outlet", "outlet"),
                                (published_on, "--published-on", "publication date")):  # fmt: skip
        if not value:
            why = ', which its relative dates ("last month") are read against' if option == "--published-on" else ""
            raise InputError(f'"{where}" gives no {what}{why}. Give {option}.')
    source_id = source_id or f"{articles.slug(title, 36)}-{published_on.isoformat()}"
    return Source(source_id=source_id, outlet=outlet, title=title, published_on=published_on, url=article.url)
