"""Ad-hoc SQL: one read-only statement, checked before it runs."""

from __future__ import annotations

import duckdb

from ..errors import ReadOnlyError, StoreError
from ..results import Result
from .connection import Connection

READ_ONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def run(con: Connection, query: str, params: list | None = None) -> Result:
    """Run one read-only statement (SELECT, WITH or EXPLAIN) and return its rows."""
    statements = _parse(con, query)
    if len(statements) != 1:
        raise ReadOnlyError(f"query has {len(statements)} statements. Run one statement at a time.")
    kind = statements[0].type
    if kind not in READ_ONLY_STATEMENTS:
        raise ReadOnlyError(
            f'statement "{kind.name}" is refused: ad-hoc SQL is read-only. '
            "Use SELECT, WITH or EXPLAIN; write through timeline import or append."
        )
    return Result(con.execute(query, params or []).to_arrow_table())


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
