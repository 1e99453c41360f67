"""The SQL in queries/: migrations, the objects a store holds, and the statements the store runs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from importlib import resources

from ..errors import SchemaError

INTERNAL = "timeline_internal"
"""The DuckDB schema of the helpers and derived tables: listing the store's `main` shows users only what they query."""
OBJECT_FOLDERS = ("internal", "public")


def files(folder: str) -> dict[str, str]:
    """The .sql files of one folder of queries/, by name."""
    root = resources.files("timeline.queries") / folder
    return {entry.name[:-4]: entry.read_text() for entry in root.iterdir() if entry.name.endswith(".sql")}


@cache
def statement(name: str) -> str:
    """One statement the store runs with its parameters: of queries/derivation/, those that keep the derived tables
    in step with the log, or of queries/statements/, the rest."""
    return {**files("statements"), **files("derivation")}[name]


def temp_helper(name: str) -> str:
    """A helper of queries/internal/ made a temp macro of the connection (temp.main.name), reading the temp macros of
    the helpers it reads, for a check that must not trust what the store holds: its macros could have been rewritten
    along with its log. Make those helpers first."""
    created = f"create or replace macro {INTERNAL}.{name}("
    text = files("internal")[name].replace(created, f"create or replace temp macro {name}(")
    return text.replace(f"{INTERNAL}.", "temp.main.")


def lake_tables() -> list[str]:
    """The tables a new lake is created with: those of queries/schema.sql, without the keys a lake cannot hold (the
    turn keeps their ids unique), and the lake's turn."""
    current = (resources.files("timeline.queries") / "schema.sql").read_text()
    tables = [line.replace(" PRIMARY KEY", "") for line in current.splitlines() if line.startswith("CREATE TABLE")]
    return [*tables, *files("lake").values()]


def migrations() -> dict[int, tuple[str, str]]:
    """Numbered migrations: {number: (name, sql)}."""
    found = {}
    for name, sql in files("migrations").items():
        number = int(name.split("_", 1)[0])
        if number in found:
            raise SchemaError(f'migration number {number} is used twice. Renumber "{name}".')
        found[number] = (name, sql)
    return found


def objects() -> list[str]:
    """Every macro and view, public and internal, ordered so each comes after the objects it reads from."""
    sources = {name: sql for folder in OBJECT_FOLDERS for name, sql in files(folder).items()}
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise SchemaError(f"queries refer to each other in a cycle: {' -> '.join((*path, name))}.")
        for other in sorted(sources):
            if other != name and re.search(rf"\b{other}\b", _body(sources[name])):
                visit(other, (*path, name))
        ordered.append(name)

    for name in sorted(sources):
        visit(name, ())
    return [sources[name] for name in ordered]


def public_names() -> list[str]:
    """The macros and views users query, as docs/sql.md documents them."""
    return sorted(files("public"))


def queries_hash() -> str:
    """A fingerprint of the shipped SQL: a store whose fingerprint differs gets its views and macros anew."""
    return _fingerprint(("migrations", *OBJECT_FOLDERS))


def derivation_hash() -> str:
    """A fingerprint of the SQL the derived tables are made with: the tables, the helpers and the statements of
    queries/derivation/, without their comments. The public views and macros and the other statements (importing,
    verifying, exporting) are left out, as none of that SQL makes a derived row: a release that changes only those,
    or only comments, reinstalls the views and macros in milliseconds, where rebuilding `positions` takes about 2 s a
    million events (15 s and 4.4 GB at 10M)."""
    return _fingerprint(("migrations", "internal", "derivation"), _code)


def _fingerprint(folders: tuple[str, ...], read: Callable[[str], str] = str) -> str:
    text = "".join(f"{n}\n{read(s)}" for folder in folders for n, s in sorted(files(folder).items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_COMMENT = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")|--[^\n]*|/\*.*?\*/", re.DOTALL)
"""A comment, or a quoted string or name kept whole: a "--" inside one is not a comment."""


def _body(sql: str) -> str:
    """SQL without its comments, so that prose does not count as a reference."""
    return _COMMENT.sub(lambda found: found.group(1) or "", sql)


def _code(sql: str) -> str:
    """What SQL does, for a fingerprint: its lines without comments, blank lines, or the spaces that begin and end
    them."""
    return "\n".join(line.strip() for line in _body(sql).splitlines() if line.strip())


def literal(text: object) -> str:
    """`text` as a SQL string literal, for the places DuckDB takes no parameter (a COPY's or ATTACH's path)."""
    return "'" + str(text).replace("'", "''") + "'"
