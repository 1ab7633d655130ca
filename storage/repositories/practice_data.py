"""A practice's data as a whole: export it, or delete it, when a practice leaves.

The tables are found from the metadata rather than listed by hand, so a feature that adds a table
is covered without touching this module: a table belongs to a practice when a chain of foreign keys
leads from it to `practice` (member -> practice, delivery -> task -> member -> practice...). Slack
installations are keyed by team id rather than by a foreign key and are matched on that.

Secrets never leave in an export: encrypted token payloads are left out.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, Table, delete, select
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers every table on the metadata)

#: Columns that hold secrets (encrypted tokens) and never appear in an export.
SECRET_COLUMNS = frozenset({"payload", "bot_token", "user_token", "token", "secret"})
#: Tables keyed by the platform's team id instead of a foreign key to the practice.
TEAM_KEYED = {"slack_installation": "team_id"}
#: Platform bookkeeping that belongs to no practice (event ids, OAuth state).
UNOWNED = frozenset({"processed_event", "slack_oauth_state", "alembic_version"})


@dataclass(frozen=True)
class Link:
    """One step of the path from a table towards `practice`: `table.column` -> `parent.parent_column`."""

    table: Table
    column: str
    parent: Table
    parent_column: str


def practice_paths() -> dict[str, list[Link]]:
    """For each table that belongs to a practice, the foreign-key path to the practice table."""
    tables = SQLModel.metadata.tables
    practice = tables["practice"]
    paths: dict[str, list[Link]] = {"practice": []}
    queue: deque[Table] = deque([practice])
    while queue:
        parent = queue.popleft()
        for table in tables.values():
            if table.name in paths:
                continue
            for fk in table.foreign_keys:
                if fk.column.table is parent:
                    link = Link(table, fk.parent.name, parent, fk.column.name)
                    paths[table.name] = [link, *paths[parent.name]]
                    queue.append(table)
                    break
    return paths


def _owned_rows(path: list[Link], practice_id: int) -> Select[Any]:
    """SELECT the rows of the path's first table whose chain ends at `practice_id`."""
    if not path:
        practice = SQLModel.metadata.tables["practice"]
        return select(practice).where(practice.c.id == practice_id)
    first = path[0].table
    query = select(first)
    for link in path:
        query = query.join(link.parent, link.table.c[link.column] == link.parent.c[link.parent_column])
    practice = path[-1].parent
    return query.where(practice.c.id == practice_id)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _ordered_tables() -> list[Table]:
    """Tables parents-first (the metadata's dependency order)."""
    return list(SQLModel.metadata.sorted_tables)


class PracticeData:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _team_rows(self, table: Table, practice_row: dict[str, Any]) -> Select[Any] | None:
        column = TEAM_KEYED.get(table.name)
        if column is None or practice_row.get("platform") != "slack":
            return None
        return select(table).where(table.c[column] == practice_row["external_id"])

    def _queries(self, practice_row: dict[str, Any]) -> Iterator[tuple[Table, Select[Any]]]:
        paths = practice_paths()
        for table in _ordered_tables():
            if table.name in UNOWNED:
                continue
            if table.name in paths:
                yield table, _owned_rows(paths[table.name], practice_row["id"])
            else:
                query = self._team_rows(table, practice_row)
                if query is not None:
                    yield table, query

    def _practice_row(self, practice_id: int) -> dict[str, Any] | None:
        practice = SQLModel.metadata.tables["practice"]
        with self.engine.connect() as connection:
            row = connection.execute(select(practice).where(practice.c.id == practice_id)).mappings().first()
        return dict(row) if row else None

    def export(self, practice_id: int) -> dict[str, Any] | None:
        """Every row the practice owns, table by table, as JSON-ready values (secrets left out)."""
        practice_row = self._practice_row(practice_id)
        if practice_row is None:
            return None
        tables: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as connection:
            for table, query in self._queries(practice_row):
                rows = connection.execute(query).mappings().all()
                tables[table.name] = [
                    {key: _plain(value) for key, value in row.items() if key not in SECRET_COLUMNS}
                    for row in rows
                ]
        return {
            "format": "boundary-practice-export/1",
            "practice_id": practice_id,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "tables": tables,
        }

    def delete(self, practice_id: int) -> dict[str, int] | None:
        """Delete everything the practice owns, children first, in one transaction; returns counts."""
        practice_row = self._practice_row(practice_id)
        if practice_row is None:
            return None
        counts: dict[str, int] = {}
        with self.engine.begin() as connection:
            for table, query in reversed(list(self._queries(practice_row))):
                keys = [column.name for column in table.primary_key.columns]
                ids = connection.execute(query.with_only_columns(*[table.c[k] for k in keys])).all()
                if not ids:
                    continue
                if len(keys) == 1:
                    column = table.c[keys[0]]
                    for start in range(0, len(ids), 500):
                        chunk = [row[0] for row in ids[start : start + 500]]
                        connection.execute(delete(table).where(column.in_(chunk)))
                else:
                    for row in ids:
                        connection.execute(
                            delete(table).where(
                                *[table.c[k] == value for k, value in zip(keys, row, strict=True)]
                            )
                        )
                counts[table.name] = len(ids)
        return counts
