"""One renderer for every reading command: a rich table for people, JSON or CSV for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TextIO

from rich import box
from rich.cells import cell_len
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
    if fmt == "table":
        _table(result, columns or result.columns, title, out)
        return
    rows = result.tuples()
    if fmt == "json":
        # pydantic's JSON writer: the text json.dumps(indent=1) writes, several times as fast (0.4 s against 2.1 s for
        # 211,103 stance rows; json.dump, writing piece by piece, took 5.6 s). Infinity and NaN become null.
        from pydantic_core import to_json

        shown = _columns_shown(rows, JSON_AS_IS, _plain)
        out.write(to_json([dict(zip(result.columns, row)) for row in zip(*shown)], indent=1, inf_nan_mode="null").decode())
        out.write("\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(zip(*_columns_shown(rows, CSV_AS_IS, _cell)))


CSV_AS_IS = (str, int, float, date)
"""Python types the csv module writes as JSON and ISO 8601 do (and None as an empty field): not a bool, which it
would write as True, nor a datetime, which it would write with a space for the T. Any other goes through _cell."""
JSON_AS_IS = (str, int, float, bool, date)
"""Python types pydantic's JSON writer writes as they are; any other goes through _plain (a datetime among them, which
it would write in UTC as Z where _plain keeps +00:00)."""


def _columns_shown(rows: list[tuple], as_is: tuple[type, ...], shown: Callable[[object], object]) -> list[tuple | list]:
    """The rows' columns, each as it is where its values are all of the types `as_is` (or None), or else each value
    through `shown`: a column at a time, three times as fast as a value at a time (1.0 s against 2.9 s for 211,103
    stance rows as CSV)."""
    columns = list(zip(*rows))
    for i, column in enumerate(columns):
        kind = next((type(value) for value in column if value is not None), str)
        if kind not in as_is:
            columns[i] = [shown(value) for value in column]
    return columns


TEXT_COLUMNS = frozenset({"quote", "summary", "conditions", "title", "notes", "date_text", "outlet", "aliases",
                          "scale", "speaker", "cue", "content", "sentence"})
"""Free text: shown up to TEXT_WIDTH characters, and the first to give way when a table is wider than the screen."""
UNDATED = frozenset({"since", "own_since", "occurred_from", "changed_on", "valid_from"})
"""Columns that start a span of days: empty there means a start nobody dated, which a table says as "undated"."""
TEXT_WIDTH, TEXT_MIN = 40, 12
GAP = 3
"""Characters between two columns of the table's box."""
SHOWN = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))} | dict.fromkeys(map(ord, "\t\n\r"), " ")
"""How a table shows control characters: a line break or tab as a space, so a row stays one line; any other as its
escape, so that text from a source cannot send commands to the terminal. JSON and CSV keep the text exact."""


def _table(result: Result, columns: list[str], title: str | None, out: TextIO) -> None:
    # No markup and no emoji codes: "[sic]" and ":warning:" in a quote are the writer's words.
    console = Console(file=out, highlight=False, markup=False, emoji=False)
    if not len(result):
        console.print(f"{title + ': ' if title else ''}no rows")
        return
    at = {name: i for i, name in enumerate(result.columns)}
    rows = [[_shown(name, row[at[name]]).translate(SHOWN) for name in columns] for row in result.tuples()[:TABLE_ROWS]]
    widths = _widths(columns, rows, console.width if out.isatty() else None)
    # A table wider than the screen wraps rather than hide a column: rich would drop whole columns, stance among them.
    console.width = max(console.width, sum(widths) + GAP * (len(widths) - 1))
    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, width in zip(columns, widths):
        table.add_column(name, overflow="ellipsis", no_wrap=True, width=width)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    if len(result) > TABLE_ROWS:
        console.print(f"The first {TABLE_ROWS:,} of {len(result):,} rows. Narrow the question, or use --format csv or "
                      "json for all of them.")  # fmt: skip


def _widths(columns: list[str], rows: list[list[str]], room: int | None) -> list[int]:
    """Each column as wide as its header and widest cell; free text capped, then narrowed, widest first, to fit `room`."""
    widths = [max(cell_len(text) for text in (name, *(row[i] for row in rows))) for i, name in enumerate(columns)]
    text = [i for i, name in enumerate(columns) if name in TEXT_COLUMNS]
    for i in text:
        widths[i] = min(widths[i], TEXT_WIDTH)
    if room is None:
        return widths
    floor = {i: min(widths[i], max(TEXT_MIN, cell_len(columns[i]))) for i in text}
    excess = sum(widths) + GAP * (len(widths) - 1) - room
    while excess > 0 and (narrowable := [i for i in text if widths[i] > floor[i]]):
        widths[max(narrowable, key=lambda i: widths[i])] -= 1
        excess -= 1
    return widths


def _shown(name: str, value: object) -> str:
    """A table cell for people: an undated start says so, and a group's members read as "who stance, …"."""
    if value is None and name in UNDATED:
        return "undated"
    if name == "members" and isinstance(value, list):
        return ", ".join(f"{m['actor_id']} {m['stance']}" for m in value) or "none in office"
    return _cell(value)


def _cell(value: object) -> str:
    """A value as one CSV field or table cell: a list or struct as compact JSON."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _plain(value: object) -> object:
    """A value as JSON and CSV hold it: ISO 8601 for days, times and intervals, a number for a decimal (an integer
    where it is whole, as a SUM is), hex for bytes; lists and structs value by value."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    if type(value).__name__ == "MonthDayNano":  # an interval, from a result held as Arrow
        return f"P{value.months}M{value.days}DT{value.nanoseconds / 1e9:g}S"
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds():g}S"
    return value


PROGRESS_BYTES = 2_000_000
"""Imports of more bytes than this (about 10k event lines) show a progress bar."""


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[str, int, int | None], None] | None]:
    """A progress bar on stderr for an import of `total` bytes, big enough to wait for, told each step of it as it
    goes (Store.import_paths): the step's name, its share done where it counts its work, and the time it has taken.
    None for small imports."""
    if total < PROGRESS_BYTES:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)  # stdout keeps only the result, for scripts; nothing at all off a terminal
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:

        def tell(step: str, done: int, of: int | None) -> None:
            shown = bar.tasks
            if shown and shown[-1].description == step:
                bar.update(shown[-1].id, total=of, completed=done)
                return
            if shown:
                bar.remove_task(shown[-1].id)
            bar.add_task(step, total=of, completed=done)  # the next step, with its own count and clock,
            bar.refresh()  # drawn at once: it may end before the next redraw

        yield tell
