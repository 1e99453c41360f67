"""Where a write's time goes: every statement a store's connections run, timed, and what is left between them.

    with by_statement(Connection) as timed:   # or lake.LakeConnection
        store.import_paths([...])
    print(timed.summary())
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from types import SimpleNamespace

from timeline.store.connection import PARAMETERS


class Timings:
    """The statements timed, with the wall time of the whole write (`total`, set when the block ends)."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []
        self.total = 0.0

    def summary(self, top: int | None = None) -> str:
        """'T ms in N statements (ms): the slowest first …; between them P' (Python's own work: the chain, say)."""
        ordered = sorted(self.statements, reverse=True)
        parts = [f"{what} {seconds * 1000:.0f}" for seconds, what in ordered[:top]]
        if top is not None and len(ordered) > top:
            parts.append(f"{len(ordered) - top} more {sum(s for s, _ in ordered[top:]) * 1000:.0f}")
        between = self.total - sum(seconds for seconds, _ in ordered)
        return (f"{self.total * 1000:.0f} ms in {len(ordered)} statements (ms): {'; '.join(parts)}; "
                f"Python between them {between * 1000:.0f}")  # fmt: skip


class Timed:
    """A DuckDB connection that times what it runs: statements, relations fetched as Arrow, and commits."""

    def __init__(self, con, timings: Timings):
        self._con, self._timings = con, timings

    def __getattr__(self, name):
        return getattr(self._con, name)

    def cursor(self):  # a lake's writer waits for its turn on a cursor
        return Timed(self._con.cursor(), self._timings)

    def execute(self, query, *args):
        return self._timed(query, lambda: self._con.execute(query, *args))

    def commit(self):
        return self._timed("commit", self._con.commit)

    def sql(self, query):  # an answer fetched as Arrow: made a relation, then run (Connection.arrow_table)
        relation = self._timed(query, lambda: self._con.sql(query))
        return SimpleNamespace(to_arrow_table=lambda: self._timed(query, relation.to_arrow_table, made=True))

    def _timed(self, query, run, made=False):
        started, statements = time.perf_counter(), self._timings.statements
        try:
            return run()
        finally:
            words = " ".join(line for line in query.splitlines() if not line.startswith("--"))
            if made:  # the relation's run adds to the time its making took
                seconds, what = statements.pop()
                statements.append((seconds + time.perf_counter() - started, what))
            elif not query.startswith(f"set variable {PARAMETERS}"):  # a query's parameters: well under 1 ms
                statements.append((time.perf_counter() - started, " ".join(words.split("(")[0].split())[:48]))


@contextmanager
def by_statement(connection_class):
    """Time every statement run on the connections of `connection_class` made inside the block (a lake's store
    keeps a connection between calls: close the store first)."""
    timings, made = Timings(), connection_class.__init__
    connection_class.__init__ = lambda self, con, *args, **kwargs: made(self, Timed(con, timings), *args, **kwargs)
    started = time.perf_counter()
    try:
        yield timings
    finally:
        timings.total = time.perf_counter() - started
        connection_class.__init__ = made
