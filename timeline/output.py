"""One renderer for every reading command: a rich table for people, JSON or CSV for scripts."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from .results import Result

FORMATS = ("table", "json", "csv")
TABLE_ROWS = 1_000
"""The most rows a table shows. Rich takes over a millisecond a row (one of 481,807 rows took six minutes); a table
is for people, and JSON and CSV give every row."""


def render(result: Result, fmt: str = "table", *, columns: list[str] | None = None, title: str | None = None,
           out: TextIO | None = None) -> None:  # fmt: skip
    """Write `result` to `out` (stdout) as a table, a JSON array of objects, or CSV with a header."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(result.dicts(), out, default=_plain, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=result.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in result.dicts())
    else:
        _table(result, columns or result.columns, title, out)


def _table(result: Result, columns: list[str], title: str | None, out: TextIO) -> None:
    # No markup and no emoji codes: "[sic]" and ":warning:" in a quote are the writer's words.
    console = Console(file=out, width=None if out.isatty() else 200, highlight=False, markup=False, emoji=False)
    if not len(result):
        console.print(f"{title + ': ' if title else ''}no rows")
        return
    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in columns:
        long_text = name in ("quote", "summary", "members")
        table.add_column(name, overflow="ellipsis", no_wrap=True, max_width=40 if long_text else None)
    for row in result.arrow().slice(0, TABLE_ROWS).to_pylist():
        table.add_row(*(_cell(row.get(name)) for name in columns))
    console.print(table)
    if len(result) > TABLE_ROWS:
        console.print(f"The first {TABLE_ROWS:,} of {len(result):,} rows. Narrow the question, or use --format csv or "
                      "json for all of them.")  # fmt: skip


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    return str(_plain(value))


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
