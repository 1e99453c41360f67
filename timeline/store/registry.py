"""The registry tables (sources, actors, topics, memberships): records in and out, and look-ups for resolving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel

from ..models import Actor, Membership, Source, Topic
from .connection import Connection
from .sql import INTERNAL, statement

TABLES: dict[type[BaseModel], tuple[str, str | None]] = {
    Source: ("sources", "source_id"),
    Actor: ("actors", "actor_id"),
    Topic: ("topics", "topic_id"),
    Membership: ("memberships", None),
}
"""Each kind of registry entry: its table and its key column (a membership has none)."""


def write(con: Connection, entries: list[BaseModel], now: datetime) -> None:
    """Write registry entries: a keyed one replaces the row it updates, which is kept in registry_history first; a
    membership is added once."""
    if not entries:
        return
    import pyarrow as pa  # only where there are entries: an append of events alone never imports it

    for model, (table, key) in TABLES.items():
        rows = [_to_row(entry) for entry in entries if isinstance(entry, model)]
        if not rows:
            continue
        con.register("staged", pa.Table.from_pylist(rows))
        if key:
            con.execute(f"insert into registry_history select '{table}', {key}, to_json(held), ? from {table} as held"
                        f" where {key} in (select {key} from staged)", [now])  # fmt: skip
            con.execute(f"delete from {table} where {key} in (select {key} from staged)")  # a lake has no keys
            con.execute(f"insert into {table} by name select * from staged")
        else:
            con.execute(f"insert into {table} by name select * from staged except select * from {table}")
        con.unregister("staged")


def read(con: Connection, model: type[BaseModel]) -> list[BaseModel]:
    """Every entry of one kind, in order."""
    rows = con.arrow_table(f"select * from {TABLES[model][0]} order by all")
    return [model.model_validate(_from_row(model, row)) for row in rows.to_pylist()]


def cited(con: Connection, wanted: dict[type[BaseModel], set[str]]) -> dict[type[BaseModel], dict[str, BaseModel]]:
    """The keyed entries with the wanted keys, by kind and key, read in one statement (cited_entries), the keys given
    as Connection.listing gives them. The rows come as Python values: by way of Arrow, the 14k entries a 1M-event feed
    cites took 89 ms, not 147, but every append imported pyarrow."""
    keys = {table: sorted(wanted[model]) for model, (table, key) in TABLES.items() if key}
    with con.listing(statement("cited_entries"), **keys) as (query, params):
        found = con.execute(query, params)
        rows = dict(zip([column[0] for column in found.description], found.fetchone()))
    return {model: {row[key]: model.model_validate(_from_row(model, row)) for row in rows[table] or []}
            for model, (table, key) in TABLES.items() if key}  # fmt: skip


def column(con: Connection, query: str, params: list | None = None) -> list:
    """A one-column answer as a list, by way of Arrow: for a million strings, half the time of fetchall's tuples."""
    return con.arrow_table(query, params).column(0).to_pylist()


def logged_event_ids(con: Connection, ids: list[str]) -> set[str]:
    """Which of these event ids the log already holds."""
    if not ids:
        return set()
    with con.listing(f"select event_id from {INTERNAL}.logged_event_ids($ids)", ids=ids) as (query, params):
        found = con.execute(query, params).fetchall()
    return {event_id for event_id, in found}  # as Python values: by way of Arrow, every append imported pyarrow


class Lookup:
    """Registry look-ups inside one connection, for ingest's resolver: the rows a batch cites, fetched at once."""

    def __init__(self, con: Connection, wanted: dict[type[BaseModel], set[str]]):
        self._con = con
        self._cache = cited(con, wanted)

    def find(self, model: type[BaseModel], key: str) -> BaseModel | None:
        return self._cache[model].get(key)

    def ids(self, model: type[BaseModel]) -> list[str]:
        table, key = TABLES[model]
        return column(self._con, f"select {key} from {table}")

    def existing_event_ids(self, ids: Iterable[str]) -> set[str]:
        return logged_event_ids(self._con, list(ids))

    def corrections_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The first logged correction of each of these event ids that has one."""
        query = "select supersedes, first(event_id order by seq) from events where supersedes in (select unnest(?))"
        return dict(self._con.execute(f"{query} group by supersedes", [list(ids)]).fetchall())

    def text_sha256(self, source_id: str) -> str | None:
        """The sha256 of the source's archived text, if it has one."""
        found = self._con.execute("select sha256 from source_texts where source_id = ?", [source_id]).fetchone()
        return found and found[0]

    def has_membership(self, membership: Membership) -> bool:
        return self._con.execute(statement("membership_held"), membership.model_dump()).fetchone()[0]


def _to_row(entry: BaseModel) -> dict:
    row = entry.model_dump()
    if isinstance(entry, Topic):
        row["scale"] = [{"stance": stance, "score": score} for stance, score in entry.scale.items()]
    if isinstance(entry, Actor):
        row["aliases"] = list(entry.aliases)
    return row


def _from_row(model: type[BaseModel], row: dict) -> dict:
    if model is Topic:
        row["scale"] = {item["stance"]: item["score"] for item in row["scale"]}
    return row
