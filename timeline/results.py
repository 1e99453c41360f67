"""Answers from the store: rows with their column names, as typed records, dicts, tuples, Arrow or pandas."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import pyarrow as pa

Row = TypeVar("Row")


class Result(Generic[Row]):
    """The rows of one query, held as an Arrow table (quick to hand whole to pandas or pyarrow) or as Python tuples
    (quick to read row by row; what the command line fetches, so that it never imports pyarrow). Each form gives the
    other on request. Iterate for typed rows where the query has a model."""

    def __init__(self, columns: Sequence[str], *, table: pa.Table | None = None, rows: list[tuple] | None = None,
                 model: str | None = None):  # fmt: skip
        self._columns, self._table, self._rows = list(columns), table, rows
        self._model = model
        """The name of the answer's record type in timeline.models, imported (with pydantic) only when asked for."""

    @classmethod
    def of_arrow(cls, table: pa.Table, model: str | None = None) -> Result:
        """A result held as this Arrow table."""
        return cls(table.column_names, table=table, model=model)

    @classmethod
    def of_rows(cls, columns: Sequence[str], rows: list[tuple], model: str | None = None) -> Result:
        """A result held as these tuples, with these columns in this order."""
        return cls(columns, rows=rows, model=model)

    @classmethod
    def from_dicts(cls, rows: list[dict], columns: list[str]) -> Result:
        """A result made from rows in Python, with these columns in this order."""
        return cls.of_rows(columns, [tuple(row.get(name) for name in columns) for row in rows])

    @property
    def columns(self) -> list[str]:
        """Column names, in order."""
        return self._columns

    def tuples(self) -> list[tuple]:
        """Each row as a tuple, in column order."""
        if self._rows is None:
            self._rows = list(zip(*(column.to_pylist() for column in self._table.columns)))
        return self._rows

    def dicts(self) -> list[dict]:
        """Each row as a dict keyed by column name."""
        if self._rows is None:
            return self._table.to_pylist()
        return [dict(zip(self._columns, row)) for row in self._rows]

    def rows(self) -> list[Row]:
        """Each row as its typed record (or a dict where the query has no model)."""
        if self._model is None:
            return self.dicts()
        from . import models

        model = getattr(models, self._model)
        return [model.model_validate(row) for row in self.dicts()]

    def first(self) -> Row | None:
        """The first row, or None when there are none."""
        rows = self.rows() if len(self) else []
        return rows[0] if rows else None

    def arrow(self) -> pa.Table:
        """The rows as a pyarrow Table. Held as tuples, it is built from their Python values, so a column of nulls
        only is of Arrow's null type."""
        if self._table is None:
            import pyarrow as pa

            values = zip(*self._rows) if self._rows else [[]] * len(self._columns)
            arrays = [pa.array(column) if self._rows else pa.array([], pa.string()) for column in values]
            self._table = pa.Table.from_arrays(arrays, names=self._columns)
        return self._table

    def df(self):
        """The rows as a pandas DataFrame (needs pandas)."""
        return self.arrow().to_pandas()

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else self._table.num_rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())

    def __repr__(self) -> str:
        return f"<Result {len(self)} rows: {', '.join(self.columns)}>"
