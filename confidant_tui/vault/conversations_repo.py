"""Provides the conversation repository: conversations, their earlier versions, follow-ups.

Every function takes a connection inside the caller's transaction. A conversation's texts
are kept in step in the full-text index; an edit that changes them keeps the old texts as a
version.
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.cases import CONVERSATION_TEXTS, Conversation, ConversationVersion
from confidant_tui.vault import search_repo
from confidant_tui.vault.connection import inserted_id, single_row
from confidant_tui.vault.store import Connection
from confidant_tui.vault.stored_dates import clock, day, iso


def refresh_follow_up(conn: Connection, case_id: int) -> None:
    """Keeps `cases.next_follow_up` = the follow-up of the latest conversation."""
    conn.execute(
        "UPDATE cases SET next_follow_up = (SELECT follow_up FROM conversations "
        "WHERE case_id = ?1 ORDER BY date DESC, time IS NULL, time DESC, id DESC LIMIT 1) "
        "WHERE id = ?1",
        (case_id,),
    )


def insert_conversation(
    conn: Connection, case_id: int, conversation: Conversation, *, refresh: bool = True
) -> int:
    """Stores a conversation and indexes its texts; returns its id."""
    c = conversation
    conversation_id = inserted_id(
        conn.execute(
            "INSERT INTO conversations(case_id, date, time, minutes, mode, notes, advice, "
            "next_steps, follow_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                iso(c.date),
                clock(c.time),
                c.minutes,
                c.mode,
                c.notes,
                c.advice,
                c.next_steps,
                iso(c.follow_up),
            ),
        )
    )
    for name in CONVERSATION_TEXTS:
        search_repo.index_text(conn, case_id, conversation_id, name, getattr(c, name))
    if refresh:
        refresh_follow_up(conn, case_id)
    return conversation_id


def update_conversation(
    conn: Connection, conversation_id: int, conversation: Conversation, replaced_on: dt.date
) -> int:
    """Replaces a conversation; when its texts change, the old texts become a version.

    Returns:
        The conversation's version number after the update.
    """
    row = single_row(
        conn.execute(
            "SELECT case_id, notes, advice, next_steps, version FROM conversations WHERE id = ?",
            (conversation_id,),
        )
    )
    case_id, old_texts, version = row[0], tuple(row[1:4]), int(row[4])
    c = conversation
    new_texts = (c.notes, c.advice, c.next_steps)
    if new_texts != old_texts:
        conn.execute(
            "INSERT INTO conversation_versions(conversation_id, version, replaced_on, notes, "
            "advice, next_steps) VALUES (?, ?, ?, ?, ?, ?)",
            (conversation_id, version, iso(replaced_on), *old_texts),
        )
        version += 1
    conn.execute(
        "UPDATE conversations SET date = ?, time = ?, minutes = ?, mode = ?, notes = ?, "
        "advice = ?, next_steps = ?, follow_up = ?, version = ? WHERE id = ?",
        (
            iso(c.date),
            clock(c.time),
            c.minutes,
            c.mode,
            *new_texts,
            iso(c.follow_up),
            version,
            conversation_id,
        ),
    )
    for name, value in zip(CONVERSATION_TEXTS, new_texts, strict=True):
        search_repo.index_text(conn, case_id, conversation_id, name, value)
    refresh_follow_up(conn, case_id)
    return version


def conversation_versions(conn: Connection, conversation_id: int) -> list[ConversationVersion]:
    """The earlier texts of a conversation, oldest first."""
    return [
        ConversationVersion(int(r[0]), dt.date.fromisoformat(r[1]), r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT version, replaced_on, notes, advice, next_steps FROM conversation_versions "
            "WHERE conversation_id = ? ORDER BY version",
            (conversation_id,),
        )
    ]


def conversation_case(conn: Connection, conversation_id: int) -> int | None:
    """The case id a conversation belongs to, or None when it does not exist."""
    row = conn.execute(
        "SELECT case_id FROM conversations WHERE id = ?", (conversation_id,)
    ).fetchone()
    return int(row[0]) if row else None


def load_conversations(conn: Connection, case_id: int) -> tuple[Conversation, ...]:
    """A case's conversations, in date and time order."""
    return tuple(
        Conversation(
            date=dt.date.fromisoformat(r[0]),
            time=dt.time.fromisoformat(r[1]) if r[1] else None,
            minutes=r[2],
            mode=r[3],
            notes=r[4],
            advice=r[5],
            next_steps=r[6],
            follow_up=day(r[7]),
            id=int(r[8]),
            version=int(r[9]),
        )
        for r in conn.execute(
            "SELECT date, time, minutes, mode, notes, advice, next_steps, follow_up, id, version "
            "FROM conversations WHERE case_id = ? ORDER BY date, time IS NOT NULL, time, id",
            (case_id,),
        )
    )
