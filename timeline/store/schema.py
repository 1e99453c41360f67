"""The store's schema: numbered migrations applied once, then every view and macro installed anew."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from ..errors import SchemaError, StoreMissing
from . import sql
from .connection import Connection, Connections, transaction


def latest_version() -> int:
    """The schema version this release of stance-timeline writes."""
    return max(sql.migrations())


def version(connections: Connections) -> int:
    """The highest migration applied to the store (0 for a new one)."""
    state = _state(connections)
    return state[0] if state else 0


def migrate(connections: Connections, clock: Callable[[], datetime], *, create: bool = True) -> int:
    """Apply pending migrations and refresh views and macros, in one transaction; return the version. The derived
    tables are rebuilt only where the SQL they are made with changed (sql.derivation_hash). A store that does not
    exist yet is created, or with `create` False refused (StoreMissing)."""
    shipped, newest = sql.migrations(), latest_version()
    state = _state(connections)
    if state is None and not create:
        raise connections.missing()
    if state is not None:
        current, hashes = state
        _refuse_newer(connections.path, current, newest)
        if current == newest and hashes == (sql.queries_hash(), sql.derivation_hash()):
            return current
    from . import projections  # with the writing modules it needs: a store already up to date never loads them

    with connections.writing() as con:
        current = _version(con)
        _refuse_newer(connections.path, current, newest)
        with transaction(con):
            if connections.lake:
                _create_lake(con, connections.path, current, newest)
            for number in sorted(n for n in shipped if n > current):
                name, text = shipped[number]
                if not connections.lake:  # a lake is created at the newest version
                    con.execute(text)
                con.execute("insert into schema_migrations values (?, ?, ?)", [number, name, clock()])
            con.execute(f"create schema if not exists {sql.INTERNAL}")
            for text in sql.objects():
                con.execute(text)
            _set_meta(con, "queries_hash", sql.queries_hash())
            if _meta(con, "derivation_hash") != sql.derivation_hash():
                projections.rebuild(con)
                _set_meta(con, "derivation_hash", sql.derivation_hash())
    return newest


def _state(connections: Connections) -> tuple[int, tuple[str | None, str | None]] | None:
    """The store's schema version and its two fingerprints, read on one connection (a lake's costs a catalog's
    round trips and the extensions' loading); None where the store does not exist yet."""
    try:
        with connections.reading() as con:
            return _version(con), (_meta(con, "queries_hash"), _meta(con, "derivation_hash"))
    except StoreMissing:
        return None


def _create_lake(con: Connection, shown: object, current: int, newest: int) -> None:
    """A new lake's tables and turn; a lake made by an older release is refused, as lakes have no migrations yet."""
    if current == newest:
        return
    if current:
        raise SchemaError(f'lake "{shown}" has schema version {current}, and this release writes {newest}. A lake '
                          "cannot be migrated yet: export it (timeline export --format jsonl) and import that into a "
                          "new lake.")  # fmt: skip
    con.execute(f"create schema if not exists {sql.INTERNAL}")
    for text in sql.lake_tables():
        con.execute(text)
    con.execute("insert into timeline_internal.turn values (0, 0, null, 0, null, now()::timestamp)")


def _refuse_newer(path: Path, current: int, newest: int) -> None:
    if current > newest:
        raise SchemaError(
            f'store "{path}" has schema version {current}, newer than this stance-timeline understands '
            f"({newest}). Upgrade stance-timeline: pip install -U stance-timeline."
        )


def _version(con: Connection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]


def _set_meta(con: Connection, key: str, value: str) -> None:
    con.execute("delete from store_meta where key = ?", [key])
    con.execute("insert into store_meta values (?, ?)", [key, value])


def _meta(con: Connection, key: str) -> str | None:
    try:
        found = con.execute("select value from store_meta where key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return None
    return found[0] if found else None
