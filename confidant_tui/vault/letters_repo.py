"""Provides the storage of referral letters (table `referral_letters`, migration 8)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from confidant_tui.vault.connection import Connection, inserted_id


@dataclass(frozen=True)
class StoredLetter:
    """A letter as kept with its referral.

    Attributes:
        id: the letter's id.
        referral_id: the referral it belongs to.
        made_at: when it was made (to the minute).
        language: "nl" or "en".
        facts: the scope keys that went out.
        consents: the ids of the consents they rested on.
        question: the adviser's question to the recipient.
        summary: the adviser's summary, when it went out.
        blanks: what the adviser filled in for the blanks.
        text: the letter exactly as written.
        file_format: "md", "txt" or "pdf" (None: not written to a file).
    """

    id: int
    referral_id: int
    made_at: dt.datetime
    language: str
    facts: tuple[str, ...]
    consents: tuple[int, ...]
    question: str
    summary: str | None
    blanks: dict[str, str]
    text: str
    file_format: str | None


def insert_letter(conn: Connection, letter: StoredLetter) -> int:
    """Stores a letter (its `id` is ignored); returns the new id."""
    return inserted_id(
        conn.execute(
            "INSERT INTO referral_letters(referral_id, made_at, language, facts, consents, "
            "question, summary, blanks, text, file_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                letter.referral_id,
                letter.made_at.strftime("%Y-%m-%dT%H:%M"),
                letter.language,
                json.dumps(list(letter.facts)),
                json.dumps(list(letter.consents)),
                letter.question,
                letter.summary,
                json.dumps(letter.blanks, ensure_ascii=False, sort_keys=True),
                letter.text,
                letter.file_format,
            ),
        )
    )


def referral_case(conn: Connection, referral_id: int) -> tuple[int, str] | None:
    """The case id and destination of a referral, or None when it does not exist."""
    row = conn.execute(
        "SELECT case_id, destination FROM referrals WHERE id = ?", (referral_id,)
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def letters_of_case(conn: Connection, case_id: int) -> tuple[StoredLetter, ...]:
    """Every letter of a case, oldest first."""
    return tuple(
        _letter(row)
        for row in conn.execute(
            "SELECT l.id, l.referral_id, l.made_at, l.language, l.facts, l.consents, "
            "l.question, l.summary, l.blanks, l.text, l.file_format "
            "FROM referral_letters l JOIN referrals r ON r.id = l.referral_id "
            "WHERE r.case_id = ? ORDER BY l.made_at, l.id",
            (case_id,),
        )
    )


def _letter(row: tuple[object, ...]) -> StoredLetter:
    return StoredLetter(
        id=int(row[0]),  # type: ignore[call-overload]
        referral_id=int(row[1]),  # type: ignore[call-overload]
        made_at=dt.datetime.fromisoformat(str(row[2])),
        language=str(row[3]),
        facts=tuple(json.loads(str(row[4]))),
        consents=tuple(int(v) for v in json.loads(str(row[5]))),
        question=str(row[6]),
        summary=None if row[7] is None else str(row[7]),
        blanks=dict(json.loads(str(row[8]))),
        text=str(row[9]),
        file_format=None if row[10] is None else str(row[10]),
    )
