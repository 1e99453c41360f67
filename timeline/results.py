"""Answers from the store: rows with their column names, as typed records, dicts, Arrow or pandas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

import pyarrow as pa
from pydantic import BaseModel

Row = TypeVar("Row")


class Result(Generic[Row]):
    """The rows of one query, held as an Arrow table; iterate for typed rows where a model is known."""

    def __init__(self, table: pa.Table, model: type[BaseModel] | None = None):
        self._table = table
        self._model = model

    @classmethod
    def from_dicts(cls, rows: list[dict], columns: list[str]) -> Result:
        """A result made from rows in Python, with these columns in this order."""
        return cls(pa.Table.from_pylist([{name: row.get(name) for name in columns} for row in rows]) if rows else
                   pa.table({name: pa.array([], pa.string()) for name in columns}))  # fmt: skip

    @property
    def columns(self) -> list[str]:
        """Column names, in order."""
        return self._table.column_names

    def dicts(self) -> list[dict]:
        """Each row as a dict keyed by column name."""
        return self._table.to_pylist()

    def tuples(self) -> list[tuple]:
        """Each row as a tuple, in column order."""
        return [tuple(row.values()) for row in self.dicts()]

    def rows(self) -> list[Row]:
        """Each row as its typed record (or a dict where the query has no model)."""
        if self._model is None:
            return self.dicts()
        return [self._model.model_validate(row) for row in self.dicts()]

    def first(self) -> Row | None:
        """The first row, or None when there are none."""
        rows = self.rows() if len(self) else []
        return rows[0] if rows else None

    def arrow(self) -> pa.Table:
        """The rows as a pyarrow Table."""
        return self._table

    def df(self):
        """The rows as a pandas DataFrame (needs pandas)."""
        return self._table.to_pandas()

    def __len__(self) -> int:
        return self._table.num_rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())

    def __repr__(self) -> str:
        return f"<Result {len(self)} rows: {', '.join(self.columns)}>"
