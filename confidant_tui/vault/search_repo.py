"""Provides the full-text index of case texts (SQLite FTS5 inside the encrypted database).

One index row per text field (a case's wishes, work situation and outcome; a
conversation's notes, advice and next steps): `search_docs` says where the text belongs and
`search_fts` (rowid = `search_docs.id`) holds it. Writers call these functions inside their
own transaction, so the index is always in step with the texts. The FTS table is not
cleared by `ON DELETE CASCADE`: call `forget_case` before deleting a case.

Ranking (`search`), chosen so that no keystroke pays for the whole match set: every write
of a text gives it a new, higher index row id, so FTS5 can walk the matches newest-written
first and stop after `WINDOW` + 1 of them.

- At most `WINDOW` matches (the usual case, and every search of a small vault): all of
  them, best match first by bm25, as before. Cheap for one word (bm25's document counts
  cover the few matches); a common word beside a rare one ("melder xylofoon") costs one
  extra pass over the common word's index entries for bm25's weights (about 2x the
  candidate query at 50k cases, still tens of ms).
- More than `WINDOW`: the `WINDOW` most recently written matching texts are the
  candidates, shown newest first by their date (the conversation's date; the case's
  opening date for a case text), bm25 not computed. Adding a word narrows the set.

A search can be stopped while it runs: `cancelled` is asked every `PROGRESS_STEPS` SQLite
instructions (a progress handler, set only while this function holds the connection, so
no other reader is affected) and a True answer aborts the statement (`Cancelled`).
`conn.interrupt()` is not used: on the vault's one shared connection it would stop
whichever statement runs at that moment, perhaps another reader's. The handler cannot
split FTS5's own reading of a prefix's index entries (one step, 10-20 ms for a common word
at 50k cases); it stops the search between such steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, cast

import sqlcipher3

from confidant_tui.vault.store import Connection

START_MARK = "\ue000\ufdd0"
"""Marks the start of a match in a snippet (private-use + noncharacter: never typed)."""
END_MARK = "\ue001\ufdd1"
"""Marks the end of a match in a snippet."""
ELLIPSIS = "…"
SNIPPET_TOKENS = 16
WINDOW = 300
"""The most matching texts a search looks at (the most recently written ones)."""
PROGRESS_STEPS = 1000
"""How many SQLite instructions run between two looks at `cancelled`."""


class Cancelled(Exception):
    """The search was stopped because its caller's `cancelled()` said so."""


@dataclass(frozen=True)
class Found:
    """What `search` found.

    Attributes:
        rows: (case_id, code, conversation_id, conversation_date, field, marked snippet),
            in the order to show; the snippet marks matches with `START_MARK`/`END_MARK`.
        complete: True when every match was ranked (bm25, best first); False when more
            than `WINDOW` texts matched and the most recent ones are shown, newest first.
    """

    rows: list[tuple[Any, ...]]
    complete: bool


class _Interruptible(Protocol):
    def set_progress_handler(self, handler: Callable[[], int] | None, n: int, /) -> None: ...


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


@contextmanager
def _stoppable(conn: Connection, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Aborts the statements run inside when `cancelled()` turns True (raises `Cancelled`)."""
    if cancelled is None:
        yield
        return
    if cancelled():  # superseded while it waited for the connection
        raise Cancelled
    handle = cast(_Interruptible, conn)
    handle.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        yield
    except sqlcipher3.OperationalError:
        if cancelled():
            raise Cancelled from None
        raise
    finally:
        handle.set_progress_handler(None, 0)
    if cancelled():
        raise Cancelled


_CANDIDATES = """
    SELECT d.id, d.case_id, c.code, d.conversation_id, v.date, d.field,
           COALESCE(v.date, c.opened), m.snip
    FROM (SELECT rowid AS id, snippet(search_fts, 0, ?, ?, ?, ?) AS snip
          FROM search_fts WHERE search_fts MATCH ?
          ORDER BY rowid DESC LIMIT ?) AS m
    JOIN search_docs AS d ON d.id = m.id
    JOIN cases AS c ON c.id = d.case_id
    LEFT JOIN conversations AS v ON v.id = d.conversation_id
"""


def search(
    conn: Connection,
    fts_query: str,
    limit: int,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Found:
    """Runs an FTS5 query (already built safely) and returns the hits to show, ranked as
    the module says.

    Args:
        conn: a connection inside a read snapshot.
        fts_query: the FTS5 query.
        limit: the most rows to return.
        cancelled: asked while the query runs; True stops it.

    Raises:
        Cancelled: `cancelled()` answered True; nothing is returned.
    """
    with _stoppable(conn, cancelled):
        rows = conn.execute(
            _CANDIDATES,
            (START_MARK, END_MARK, ELLIPSIS, SNIPPET_TOKENS, fts_query, WINDOW + 1),
        ).fetchall()
        if len(rows) > WINDOW:
            # The join need not keep the inner order: leave out the oldest-written row.
            window = sorted(rows, key=lambda row: int(row[0]), reverse=True)[:WINDOW]
            newest = sorted(window, key=lambda row: (row[6], row[0]), reverse=True)
            return Found([row[1:6] + row[7:] for row in newest[:limit]], complete=False)
        ranks: dict[int, float] = dict(
            conn.execute(
                "SELECT rowid, rank FROM search_fts WHERE search_fts MATCH ?", (fts_query,)
            ).fetchall()
        )
    best = sorted(rows, key=lambda row: (ranks.get(row[0], 0.0), row[1], row[0]))
    return Found([row[1:6] + row[7:] for row in best[:limit]], complete=True)
