"""Reading an article to archive: a .txt file as it is, an HTML file or a URL through trafilatura, which finds the
article's text and its metadata (title, date, site name, URL). The only module that imports trafilatura."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import InputError
from .files import read_utf8


@dataclass(frozen=True)
class Article:
    """An article's text as it will be archived, and what it says about itself."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published_on: date | None = None
    url: str | None = None


def read(where: str) -> Article:
    """The article at a path (.txt as it is; anything else as HTML) or an http(s) URL."""
    if re.match(r"https?://", where):
        return _from_html(_fetch(where), url=where)
    path = Path(where)
    if not path.is_file():
        raise InputError(f'article "{where}" is neither a file nor an http(s) URL. Give the path of a .txt or .html '
                         "file, or a URL.")  # fmt: skip
    text = read_utf8(path, f'article "{where}"')
    return Article(text) if path.suffix.lower() == ".txt" else _from_html(text, url=None)


def slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens, as ids are written: "Macron's plan" is "macron-s-plan"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def _from_html(html: str, url: str | None) -> Article:
    import trafilatura  # on this path only: it takes a second to import

    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if found is None or not (found.text or "").strip():
        raise InputError(f'no article text found in "{url or "the HTML"}". Save the article\'s text as a .txt file '
                         "and add that instead.")  # fmt: skip
    published = None
    if found.date:
        try:
            published = date.fromisoformat(found.date[:10])
        except ValueError:
            published = None
    return Article(found.text, found.title or None, found.sitename or None, published, found.url or url)


def _fetch(url: str) -> str:
    import trafilatura

    html = trafilatura.fetch_url(url)
    if html is None:
        raise InputError(f'"{url}" could not be fetched (no network, or the site refused). Save the page and add the '
                         "file instead.")  # fmt: skip
    return html
