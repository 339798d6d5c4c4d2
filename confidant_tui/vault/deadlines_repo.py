"""Provides what the deadline engine reads (dates and flags, no case text) and the adviser's
marks on deadlines and extensions of a report's feedback term.

Reads take a connection inside the caller's snapshot; writes one inside the caller's
transaction. Live cases (not closed) are read whole in one query each for cases, routes and
procedures; closed cases only through retention. Which rows a query touches is chosen so
that a vault of 50,000 cases, most of them closed, reads only its live part.
"""

from __future__ import annotations

import datetime as dt
import json

from confidant_tui.domain.cases import STATUSES
from confidant_tui.domain.deadlines import CaseTerms, Mark, ProcedureTerms, RouteTerms
from confidant_tui.domain.route_rules import COMPLAINT, MELDING_ROUTES
from confidant_tui.vault.connection import rows_in_one_step, single_row
from confidant_tui.vault.store import Connection

__all__ = [
    "add_extension",
    "add_mark",
    "case_id_of_route",
    "closed_days",
    "first_years",
    "live_cases",
    "marks",
    "open_procedures",
    "postponements",
    "route_terms",
]

_MOMENT = "%Y-%m-%dT%H:%M"
_LIVE = ", ".join(f"'{status}'" for status in STATUSES if status != "closed")
"""The statuses of a live case, as SQL literals: `status IN (...)` searches the status
index for the live part, where `status != 'closed'` would walk all of it."""


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def live_cases(conn: Connection) -> list[CaseTerms]:
    """Every case that is not closed, with the dates its deadlines count from (in one step:
    it runs in a worker while the screens after unlocking are built)."""
    rows = rows_in_one_step(
        conn,
        f"""
        SELECT c.id, c.code, c.status, c.opened, c.organisation_id, c.next_follow_up,
               (SELECT v.id FROM conversations v WHERE v.case_id = c.id
                ORDER BY v.date DESC, v.time IS NULL, v.time DESC, v.id DESC LIMIT 1),
               (SELECT max(v.date) FROM conversations v WHERE v.case_id = c.id),
               c.confidentiality_explained IS NOT NULL,
               coalesce(c.last_incident, c.first_incident, c.opened),
               EXISTS (SELECT 1 FROM routes r WHERE r.case_id = c.id
                       AND r.route = ? AND r.filed IS NOT NULL)
        FROM cases c WHERE c.status IN ({_LIVE})
        """,
        (COMPLAINT,),
        11,
    )
    return [
        CaseTerms(
            case_id=int(r[0]),
            code=r[1],
            status=r[2],
            opened=dt.date.fromisoformat(r[3]),
            organisation_id=int(r[4]),
            follow_up=_day(r[5]),
            follow_up_conversation=None if r[6] is None else int(r[6]),
            last_conversation=_day(r[7]),
            confidentiality_explained=bool(r[8]),
            complaint_start=_day(r[9]),
            complaint_filed=bool(r[10]),
        )
        for r in rows
    ]


def closed_days(conn: Connection) -> list[tuple[str, int, list[int], list[str]]]:
    """The closed cases by closing day and organisation: (closing day, organisation id, the
    case ids, their codes in the same order). A vault may hold tens of thousands of closed
    cases on a few thousand days; grouped in SQL they come back as one JSON document of one
    entry per day, not one Python tuple per case. Named index: the planner, lacking statistics, would take the
    status index and look up every closed case's row in the table."""
    found = single_row(
        conn.execute(
            """
        SELECT json_group_array(json_array(day, org, json(ids), json(codes))) FROM (
            SELECT status_date AS day, organisation_id AS org,
                   json_group_array(id) AS ids, json_group_array(code) AS codes
            FROM cases INDEXED BY cases_closed WHERE status = 'closed'
            GROUP BY status_date, organisation_id)
        """
        )
    )[0]
    # Both arrays of a day are built from the same rows in the same order (SQLite steps
    # every aggregate of a group once per row), so the n-th id belongs to the n-th code.
    # One JSON document for all of them: one row to fetch and one parse in C.
    return [(day, int(org), ids, codes) for day, org, ids, codes in json.loads(found)]


def postponements(conn: Connection) -> dict[int, str]:
    """Each case's latest postponed destruction day (`YYYY-MM-DD`), by case id."""
    rows = conn.execute("SELECT case_id, until FROM retention_postponements ORDER BY id")
    return {int(case_id): until for case_id, until in rows}


def route_terms(conn: Connection) -> list[RouteTerms]:
    """The routes of live cases that can still set a term: ended ones (aftercare) and
    reports (meldingen) still waiting for an acknowledgement or feedback."""
    placeholders = ", ".join("?" for _ in MELDING_ROUTES)
    rows = conn.execute(
        f"""
        SELECT r.id, r.case_id, r.route, r.date, r.filed, r.acknowledged, r.feedback, r.ended,
               EXISTS (SELECT 1 FROM route_extensions e WHERE e.route_id = r.id)
        FROM cases c JOIN routes r ON r.case_id = c.id
        WHERE c.status IN ({_LIVE})
          AND (r.ended IS NOT NULL
               OR (r.route IN ({placeholders})
                   AND (r.acknowledged IS NULL OR r.feedback IS NULL)))
        ORDER BY r.case_id, r.position, r.id
        """,
        MELDING_ROUTES,
    )
    return [
        RouteTerms(
            route_id=int(r[0]),
            case_id=int(r[1]),
            route=r[2],
            date=dt.date.fromisoformat(r[3]),
            filed=_day(r[4]),
            acknowledged=_day(r[5]),
            feedback=_day(r[6]),
            ended=_day(r[7]),
            extended=bool(r[8]),
        )
        for r in rows
    ]


def open_procedures(conn: Connection) -> list[ProcedureTerms]:
    """Protocol procedures with no disclosure or abandonment, with the day of their latest
    step (their opening when they have none)."""
    rows = conn.execute(
        """
        SELECT p.id, p.case_id,
               max(p.opened_at, coalesce((SELECT max(s.at) FROM procedure_steps s
                                          WHERE s.procedure_id = p.id), p.opened_at))
        FROM procedures p
        WHERE NOT EXISTS (SELECT 1 FROM procedure_steps s WHERE s.procedure_id = p.id
                          AND s.kind IN ('disclosure', 'abandonment'))
        ORDER BY p.id
        """
    )
    return [ProcedureTerms(int(r[0]), int(r[1]), dt.date.fromisoformat(r[2][:10])) for r in rows]


def codes_of(conn: Connection, case_ids: set[int]) -> dict[int, str]:
    """The codes of these cases (for procedures of closed cases)."""
    if not case_ids:
        return {}
    wanted = sorted(case_ids)
    placeholders = ", ".join("?" for _ in wanted)
    rows = conn.execute(f"SELECT id, code FROM cases WHERE id IN ({placeholders})", wanted)
    return {int(r[0]): r[1] for r in rows}


def first_years(conn: Connection) -> dict[int, int]:
    """Per organisation, the year of its first case (organisations without cases left out);
    one index lookup per organisation rather than a walk over every case."""
    rows = conn.execute(
        "SELECT o.id, (SELECT min(c.opened) FROM cases c WHERE c.organisation_id = o.id) "
        "FROM organisations o"
    )
    return {int(r[0]): int(r[1][:4]) for r in rows if r[1] is not None}


def marks(conn: Connection) -> list[Mark]:
    """Every mark, oldest first."""
    rows = conn.execute(
        "SELECT id, kind, subject, due, act, until, reason, decided_at "
        "FROM deadline_marks ORDER BY id"
    )
    return [
        Mark(
            kind=r[1],
            subject=r[2],
            due=dt.date.fromisoformat(r[3]),
            act=r[4],
            until=_day(r[5]),
            reason=r[6],
            decided_at=dt.datetime.strptime(r[7], _MOMENT),
            id=int(r[0]),
        )
        for r in rows
    ]


def add_mark(conn: Connection, mark: Mark, case_id: int | None) -> int:
    """Stores a mark; returns its id."""
    cursor = conn.execute(
        "INSERT INTO deadline_marks(case_id, kind, subject, due, act, until, reason, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            mark.kind,
            mark.subject,
            mark.due.isoformat(),
            mark.act,
            mark.until.isoformat() if mark.until else None,
            mark.reason,
            mark.decided_at.strftime(_MOMENT),
        ),
    )
    return int(cursor.lastrowid or 0)


def case_id_of_route(conn: Connection, route_id: int) -> tuple[int, str, str] | None:
    """(case id, case code, route key) of a route, or None when there is no such route."""
    row = conn.execute(
        "SELECT r.case_id, c.code, r.route FROM routes r JOIN cases c ON c.id = r.case_id "
        "WHERE r.id = ?",
        (route_id,),
    ).fetchone()
    return None if row is None else (int(row[0]), row[1], row[2])


def is_extended(conn: Connection, route_id: int) -> bool:
    """Whether the route's feedback term was extended."""
    return (
        conn.execute("SELECT 1 FROM route_extensions WHERE route_id = ?", (route_id,)).fetchone()
        is not None
    )


def add_extension(conn: Connection, route_id: int, *, reason: str, decided_at: dt.datetime) -> None:
    """Records the one extension of a route's feedback term."""
    conn.execute(
        "INSERT INTO route_extensions(route_id, reason, decided_at) VALUES (?, ?, ?)",
        (route_id, reason, decided_at.strftime(_MOMENT)),
    )
