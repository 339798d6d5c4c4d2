"""Provides what retention reads and writes: closed cases, report days, postponements, and
the destruction of one case.

Every function takes a connection inside the caller's transaction. `destroy_case` is the
one place a whole case is deleted; the caller appends the audit entry in the same
transaction and afterwards calls `Vault.compact_after_destruction` (outside it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confidant_tui.vault import protocol_repo, search_repo, stats_repo
from confidant_tui.vault.store import Connection

__all__ = [
    "ClosedCase",
    "add_postponement",
    "closed_cases",
    "destroy_case",
    "report_days",
]


@dataclass(frozen=True)
class ClosedCase:
    """A closed case as retention sees it (no content).

    Attributes:
        case_id: its row id.
        code: its code.
        organisation_id: its organisation's row id.
        organisation: its organisation's name.
        closed_on: the day it was (last) closed.
        postponed_until: the latest postponement's day, or None.
        postponement_reason: the latest postponement's reason, or None.
    """

    case_id: int
    code: str
    organisation_id: int
    organisation: str
    closed_on: dt.date
    postponed_until: dt.date | None = None
    postponement_reason: str | None = None


def closed_cases(conn: Connection, code: str | None = None) -> list[ClosedCase]:
    """Every closed case (or the one with `code`), oldest closing first, with its latest
    postponement."""
    sql = (
        "SELECT c.id, c.code, c.organisation_id, o.name, c.status_date, p.until, p.reason "
        "FROM cases c JOIN organisations o ON o.id = c.organisation_id "
        "LEFT JOIN retention_postponements p ON p.id = ("
        "  SELECT max(id) FROM retention_postponements WHERE case_id = c.id) "
        "WHERE c.status = 'closed'"
    )
    params: tuple[str, ...] = ()
    if code is not None:
        sql += " AND c.code = ?"
        params = (code,)
    sql += " ORDER BY c.status_date, c.year, c.seq"
    return [
        ClosedCase(
            int(row[0]),
            row[1],
            int(row[2]),
            row[3],
            dt.date.fromisoformat(row[4]),
            dt.date.fromisoformat(row[5]) if row[5] else None,
            row[6],
        )
        for row in conn.execute(sql, params)
    ]


def report_days(conn: Connection) -> dict[tuple[int | None, int], dt.date]:
    """The first day a yearly report was published, per (organisation id, year); the key
    (None, year) is a report over the whole vault."""
    rows = conn.execute(
        "SELECT organisation_id, year, min(published_on) FROM published_reports "
        "GROUP BY organisation_id, year"
    )
    return {
        (None if row[0] is None else int(row[0]), int(row[1])): dt.date.fromisoformat(row[2])
        for row in rows
    }


def add_postponement(
    conn: Connection, case_id: int, *, until: dt.date, reason: str, decided_at: dt.datetime
) -> None:
    """Records a postponed destruction (the latest one counts)."""
    conn.execute(
        "INSERT INTO retention_postponements(case_id, until, reason, decided_at) "
        "VALUES (?, ?, ?, ?)",
        (case_id, until.isoformat(), reason, decided_at.strftime("%Y-%m-%dT%H:%M")),
    )


def destroy_case(conn: Connection, case_id: int) -> bool:
    """Destroys one case inside the caller's transaction; returns whether an anonymous
    statistical record was kept (none when the reporter withdrew the statistics).

    Keeps the record, removes the case's search index rows and protocol records (the
    documented append-only exception), deletes the case (its people, conversations and
    every earlier version, status history, categories, routes, referrals and letters,
    consents, information requests, postponements and drafts go by cascade), and deletes
    its reporter with their identity and alias when no other case has that reporter.
    """
    kept = stats_repo.keep_record(conn, case_id)
    search_repo.forget_case(conn, case_id)
    protocol_repo.delete_case_records(conn, case_id)
    reporter = conn.execute("SELECT reporter_id FROM cases WHERE id = ?", (case_id,)).fetchone()
    conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    if reporter is not None:
        conn.execute(
            "DELETE FROM reporters WHERE id = ? "
            "AND NOT EXISTS (SELECT 1 FROM cases WHERE reporter_id = ?)",
            (reporter[0], reporter[0]),
        )
    return kept
