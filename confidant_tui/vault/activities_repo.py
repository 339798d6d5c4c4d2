"""Provides the activities repository: rows of `activities` <-> `Activity` (migration 0006).

Every function takes the connection of a transaction its caller opened. Lists are newest
first; the organisation is stored by id and read back by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from confidant_tui.domain.activities import Activity, ActivityFilter, KindTotal
from confidant_tui.vault.connection import inserted_id
from confidant_tui.vault.store import Connection
from confidant_tui.vault.stored_dates import iso

_COLUMNS = "a.id, o.name, a.kind, a.date, a.minutes, a.subject, a.notes"
_FROM = "FROM activities AS a JOIN organisations AS o ON o.id = a.organisation_id"


def insert(conn: Connection, organisation_id: int, activity: Activity) -> int:
    """Stores a new entry for `organisation_id`; returns its id."""
    return inserted_id(
        conn.execute(
            "INSERT INTO activities(organisation_id, kind, date, minutes, subject, notes) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (organisation_id, *_values(activity)),
        )
    )


def update(conn: Connection, activity_id: int, organisation_id: int, activity: Activity) -> bool:
    """Replaces an entry; returns whether it existed."""
    cursor = conn.execute(
        "UPDATE activities SET organisation_id = ?, kind = ?, date = ?, minutes = ?, "
        "subject = ?, notes = ? WHERE id = ?",
        (organisation_id, *_values(activity), activity_id),
    )
    return cursor.rowcount > 0


def delete(conn: Connection, activity_id: int) -> bool:
    """Deletes an entry; returns whether it existed."""
    return conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,)).rowcount > 0


def get(conn: Connection, activity_id: int) -> Activity | None:
    """The entry with `activity_id`, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", (activity_id,)).fetchone()
    return _activity(row) if row is not None else None


def select(conn: Connection, found: ActivityFilter) -> list[Activity]:
    """The entries `found` selects, newest first (by date, then the latest entered)."""
    where, params = _where(found)
    rows = conn.execute(f"SELECT {_COLUMNS} {_FROM}{where} ORDER BY a.date DESC, a.id DESC", params)
    return [_activity(row) for row in rows]


def totals(conn: Connection, found: ActivityFilter) -> list[KindTotal]:
    """The number of entries and their minutes per kind, for the entries `found` selects."""
    where, params = _where(found)
    rows = conn.execute(
        f"SELECT a.kind, count(*), coalesce(sum(a.minutes), 0) {_FROM}{where} "
        "GROUP BY a.kind ORDER BY a.kind",
        params,
    )
    return [KindTotal(str(kind), int(count), int(minutes)) for kind, count, minutes in rows]


def years(conn: Connection) -> list[int]:
    """The years that have entries, newest first."""
    rows = conn.execute("SELECT DISTINCT substr(date, 1, 4) FROM activities ORDER BY 1 DESC")
    return [int(row[0]) for row in rows]


def _values(activity: Activity) -> tuple[str, str | None, int, str, str | None]:
    return (
        activity.kind,
        iso(activity.date),
        activity.minutes,
        activity.subject,
        activity.notes or None,
    )


def _where(found: ActivityFilter) -> tuple[str, Sequence[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (
        ("o.name = ?", found.organisation),
        ("a.date >= ?", iso(found.start)),
        ("a.date <= ?", iso(found.end)),
        ("a.kind = ?", found.kind),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _activity(row: Sequence[Any]) -> Activity:
    activity_id, organisation, kind, date, minutes, subject, notes = row
    return Activity(
        organisation=organisation,
        kind=kind,
        date=dt.date.fromisoformat(date),
        minutes=int(minutes),
        subject=subject,
        notes=notes,
        id=int(activity_id),
    )


def has_table(conn: Connection) -> bool:
    """Whether the vault has the table of migration 0006 (a read-only old vault has not)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activities'"
    ).fetchone()
    return row is not None
