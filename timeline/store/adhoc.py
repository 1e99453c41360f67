"""Ad-hoc SQL: one read-only statement, checked before it runs."""

from __future__ import annotations

import json
import re

import duckdb

from ..errors import ReadOnlyError, StoreError
from ..results import Result
from .connection import Connection

READ_ONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_REFUSED = {
    "SET": "ad-hoc SQL cannot change the connection's settings, which keep it to this store. Use SELECT, WITH or "
           "EXPLAIN",
    "INSTALL": "ad-hoc SQL installs no extension, and reaches no network. Install extensions with duckdb directly",
    "LOAD": "ad-hoc SQL loads no extension, so that it reads this store only. Load extensions with duckdb directly",
}  # fmt: skip
"""Why a statement that is not a read is refused, where "read-only" would not say enough."""
_REFUSED_FUNCTIONS = {
    "postgres_": "ad-hoc SQL reads this store only, never another database. Query PostgreSQL with duckdb directly",
    "query": "ad-hoc SQL runs as it is written, never from a string. Write the query itself",
}
"""Functions a read-only connection still has that could reach past the store: on a lake, the PostgreSQL scanner's
(which connect anywhere), and `query`, which would hide them in a string."""


def run(con: Connection, query: str, params: list | None = None) -> Result:
    """Run one read-only statement (SELECT, WITH or EXPLAIN) and return its rows."""
    statements = _parse(con, query)
    if len(statements) != 1:
        raise ReadOnlyError(f"query has {len(statements)} statements. Run one statement at a time.")
    kind = statements[0].type
    if kind not in READ_ONLY_STATEMENTS:
        name = "INSTALL" if kind == duckdb.StatementType.LOAD and _first_word(statements[0].query or query) == "install" else kind.name
        why = _REFUSED.get(name, "ad-hoc SQL is read-only. Use SELECT, WITH or EXPLAIN; write through timeline import "
                                 "or append")  # fmt: skip
        raise ReadOnlyError(f'statement "{name}" is refused: {why}.')
    for function in _functions(con, query):
        for prefix, why in _REFUSED_FUNCTIONS.items():
            if function == prefix or prefix.endswith("_") and function.startswith(prefix):
                raise ReadOnlyError(f'function "{function}" is refused: {why}.')
    try:
        return con.answer(query, params or [])
    except duckdb.PermissionException as e:  # the connection's sandbox: a file or a URL
        target = re.search(r'Cannot access (?:file|directory) "([^"]*)"', str(e))
        named = f'"{target.group(1)}"' if target else "a file"
        where = "the network" if target and "://" in target.group(1) else "files"
        raise ReadOnlyError(f"ad-hoc SQL reads this store only, never {where}: {named} is refused. Open other files "
                            "with duckdb directly.") from None


def _parse(con: Connection, query: str) -> list:
    """The statements of `query`. A PIVOT with no IN list is one: DuckDB expands it into statements of its own, with
    no text, that create the enum types of its columns and then select."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as e:
        raise StoreError(f"query cannot be parsed: {e}") from None
    kinds = [s.type for s in statements]
    generated = len(statements) > 1 and not any(s.query for s in statements)
    if generated and kinds[-1] == duckdb.StatementType.SELECT and set(kinds[:-1]) == {duckdb.StatementType.CREATE}:
        return statements[-1:]
    return statements


def _functions(con: Connection, query: str) -> set[str]:
    """The names of the functions a query calls, read from DuckDB's own parse of it; where DuckDB cannot serialize the
    statement (EXPLAIN, PIVOT), every name written before a parenthesis."""
    tree = json.loads(con.execute("select json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        return {name.lower() for name in re.findall(r'"?([A-Za-z_]\w*)"?\s*\(', query)}
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("function_name"), str):
                found.add(node["function_name"].lower())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _first_word(query: str) -> str:
    return query.lstrip().split(None, 1)[0].lower() if query.strip() else ""
