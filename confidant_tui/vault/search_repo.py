"""Provides the full-text index of case texts (SQLite FTS5 inside the encrypted database).

One index row per text field (a case's wishes, work situation and outcome; a
conversation's notes, advice and next steps): `search_docs` says where the text belongs and
`search_fts` (rowid = `search_docs.id`) holds it. Writers call these functions inside their
own transaction, so the index is always in step with the texts. The FTS table is not
cleared by `ON DELETE CASCADE`: call `forget_case` before deleting a case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confidant_tui.vault.store import Connection

START_MARK = "\ue000\ufdd0"
"""Marks the start of a match in a snippet (private-use + noncharacter: never typed)."""
END_MARK = "\ue001\ufdd1"
"""Marks the end of a match in a snippet."""
ELLIPSIS = "…"
SNIPPET_TOKENS = 16


def _delete_rows(conn: Connection, ids: Iterable[int]) -> None:
    for doc_id in ids:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (doc_id,))
        conn.execute("DELETE FROM search_docs WHERE id = ?", (doc_id,))


def index_text(
    conn: Connection, case_id: int, conversation_id: int | None, field: str, body: str | None
) -> None:
    """Puts one field's text into the index, replacing what was indexed for it before.

    Args:
        conn: a connection inside a write transaction.
        case_id: the case the text belongs to.
        conversation_id: the conversation, or None for a case text.
        field: the field name (`notes`, `wishes`, ...).
        body: the text; None or empty removes the field from the index.
    """
    old = conn.execute(
        "SELECT id FROM search_docs WHERE case_id = ? AND conversation_id IS ? AND field = ?",
        (case_id, conversation_id, field),
    ).fetchall()
    _delete_rows(conn, [row[0] for row in old])
    if not body:
        return
    cursor = conn.execute(
        "INSERT INTO search_docs(case_id, conversation_id, field) VALUES (?, ?, ?)",
        (case_id, conversation_id, field),
    )
    conn.execute("INSERT INTO search_fts(rowid, body) VALUES (?, ?)", (cursor.lastrowid, body))


def forget_case(conn: Connection, case_id: int) -> None:
    """Removes every indexed text of a case (call before deleting the case itself)."""
    rows = conn.execute("SELECT id FROM search_docs WHERE case_id = ?", (case_id,)).fetchall()
    _delete_rows(conn, [row[0] for row in rows])


def forget_conversation(conn: Connection, conversation_id: int) -> None:
    """Removes every indexed text of one conversation."""
    rows = conn.execute(
        "SELECT id FROM search_docs WHERE conversation_id = ?", (conversation_id,)
    ).fetchall()
    _delete_rows(conn, [row[0] for row in rows])


def search(conn: Connection, fts_query: str, limit: int) -> list[tuple[Any, ...]]:
    """Runs an FTS5 query (already built safely) and returns the best hits.

    Returns:
        Rows of (case_id, code, conversation_id, conversation_date, field, marked snippet);
        the snippet marks matches with `START_MARK`/`END_MARK`.
    """
    return conn.execute(
        """
        SELECT d.case_id, c.code, d.conversation_id, v.date, d.field,
               snippet(search_fts, 0, ?, ?, ?, ?)
        FROM search_fts
        JOIN search_docs AS d ON d.id = search_fts.rowid
        JOIN cases AS c ON c.id = d.case_id
        LEFT JOIN conversations AS v ON v.id = d.conversation_id
        WHERE search_fts MATCH ?
        ORDER BY rank, d.case_id, d.id
        LIMIT ?
        """,
        (START_MARK, END_MARK, ELLIPSIS, SNIPPET_TOKENS, fts_query, limit),
    ).fetchall()
