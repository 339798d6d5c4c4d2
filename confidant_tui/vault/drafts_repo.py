"""Provides the rows of the `drafts` table (migration 0005): unsaved form text, not records.

Every function takes a connection inside the caller's transaction (or reading snapshot).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confidant_tui.vault.connection import inserted_id
from confidant_tui.vault.store import Connection


def insert(conn: Connection, kind: str, case_id: int | None, snapshot: str, created: str) -> int:
    """Stores one draft and returns its id.

    Args:
        conn: a connection inside a write transaction.
        kind: `intake`, `facts`, `conversation` or `dialog`.
        case_id: the case the draft belongs to, if any.
        snapshot: the form's values as a JSON object.
        created: the local moment, `YYYY-MM-DDTHH:MM:SS`.
    """
    cursor = conn.execute(
        "INSERT INTO drafts(kind, case_id, snapshot, created) VALUES (?, ?, ?, ?)",
        (kind, case_id, snapshot, created),
    )
    return inserted_id(cursor)


def delete(conn: Connection, ids: Iterable[int]) -> None:
    """Removes drafts by id (ids that are not there are ignored)."""
    for draft_id in ids:
        conn.execute("DELETE FROM drafts WHERE id = ?", (int(draft_id),))


def rows(conn: Connection) -> list[tuple[Any, ...]]:
    """Every draft, oldest first: (id, kind, case_id, case code or None, snapshot, created)."""
    return conn.execute(
        "SELECT d.id, d.kind, d.case_id, c.code, d.snapshot, d.created "
        "FROM drafts AS d LEFT JOIN cases AS c ON c.id = d.case_id "
        "ORDER BY d.created, d.id"
    ).fetchall()
