"""Provides the case queries that need no whole case: finding a case, and the home list.

Finding: a case named by id or code (`resolve_case`), with the opening date that the rules
for conversations, routes and referrals check, and `NotFound` for the adviser when it is not
there. The home list: case summaries without notes, filtered, sorted, paged. It reads only
the `cases` row (with its denormalised status and follow-up date), the organisation, the
reporter's alias, the category keys of the rows on the page and whether a protocol procedure
exists (an EXISTS on the index `procedures_case` of `0003_protocol.sql`), so it stays fast
with tens of thousands of cases (see the indexes in `0002_cases.sql`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from confidant_tui.domain.case_rules import shown
from confidant_tui.domain.cases import Case, CaseFilter, CaseSummary
from confidant_tui.errors import NotFound
from confidant_tui.i18n import _
from confidant_tui.vault import cases_repo
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.store import Connection

CaseRef = int | str
"""A case named by its id or its code."""


_ORDER = {
    ("code", False): "c.year, c.seq",
    ("code", True): "c.year DESC, c.seq DESC",
    ("opened", False): "c.opened, c.year, c.seq",
    ("opened", True): "c.opened DESC, c.year DESC, c.seq DESC",
    ("status", False): "c.status, c.opened DESC, c.seq DESC",
    ("status", True): "c.status DESC, c.opened DESC, c.seq DESC",
    ("follow_up", False): "c.next_follow_up IS NULL, c.next_follow_up, c.year, c.seq",
    ("follow_up", True): "c.next_follow_up IS NULL, c.next_follow_up DESC, c.year, c.seq",
}
_SEPARATOR = "\x1f"


# -- finding a case ----------------------------------------------------------------------


def resolve_case(conn: Connection, case: CaseRef) -> int:
    """The id of a case named by id or code.

    Raises:
        NotFound: no such case.
    """
    if isinstance(case, str):
        case_id = cases_repo.case_id_for_code(conn, case)
    else:
        case_id = case if cases_repo.case_exists(conn, case) else None
    if case_id is None:
        raise NotFound(_("There is no case {case}.").format(case=shown(case)))
    return case_id


def existing_case(conn: Connection, case: CaseRef) -> Case:
    """The full case (without identity) named by id or code.

    Raises:
        NotFound: no such case.
    """
    loaded = cases_repo.load_case(conn, resolve_case(conn, case))
    assert loaded is not None
    return loaded


def case_and_opening(conn: Connection, case: CaseRef) -> tuple[int, dt.date]:
    """The case's id and opening date, read without loading its notes.

    Raises:
        NotFound: no such case.
    """
    case_id = resolve_case(conn, case)
    return case_id, cases_repo.opened_and_reporter(conn, case_id)[0]


def route_and_opening(conn: Connection, route_id: int) -> tuple[int, dt.date]:
    """The route's id, checked to exist, and the opening date of its case.

    Raises:
        NotFound: no such route.
    """
    case_id = cases_repo.route_case(conn, route_id)
    if case_id is None:
        raise NotFound(_("The route was not found."))
    return route_id, cases_repo.opened_and_reporter(conn, case_id)[0]


def conversation_and_opening(conn: Connection, conversation_id: int) -> tuple[int, dt.date]:
    """The conversation's id, checked to exist, and the opening date of its case.

    Raises:
        NotFound: no such conversation.
    """
    case_id = existing_conversation_case(conn, conversation_id)
    return conversation_id, cases_repo.opened_and_reporter(conn, case_id)[0]


def existing_conversation_case(conn: Connection, conversation_id: int) -> int:
    """The id of the case a conversation belongs to.

    Raises:
        NotFound: no such conversation.
    """
    case_id = cases_repo.conversation_case(conn, conversation_id)
    if case_id is None:
        raise NotFound(_("The conversation was not found."))
    return case_id


def case_code(conn: Connection, case_id: int) -> str:
    """The code of an existing case (e.g. `2025-007`)."""
    return str(single_row(conn.execute("SELECT code FROM cases WHERE id = ?", (case_id,)))[0])


def without_confidentiality_explained(conn: Connection) -> list[tuple[int, str, dt.date, str]]:
    """(id, code, opened, status) of every case where the limits of confidentiality were not
    recorded as explained, oldest first (closed cases included)."""
    rows = conn.execute(
        "SELECT id, code, opened, status FROM cases"
        " WHERE confidentiality_explained IS NULL ORDER BY opened, id"
    ).fetchall()
    return [(int(r[0]), r[1], dt.date.fromisoformat(r[2]), r[3]) for r in rows]


# -- the home list -----------------------------------------------------------------------


def _where(selection: CaseFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if selection.status is not None:
        clauses.append("c.status = ?")
        params.append(selection.status)
    if selection.year is not None:
        clauses.append("c.opened BETWEEN ? AND ?")
        params += [f"{selection.year:04d}-01-01", f"{selection.year:04d}-12-31"]
    if selection.organisation is not None:
        clauses.append("c.organisation_id = (SELECT id FROM organisations WHERE name = ?)")
        params.append(selection.organisation)
    if selection.category is not None:
        clauses.append(
            "c.id IN (SELECT case_id FROM case_categories WHERE category = ? "
            "OR (category > ? AND category < ?))"
        )
        key = selection.category
        params += [key, key + ".", key + "/"]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, params


def count(conn: Connection, selection: CaseFilter) -> int:
    """How many cases match the filter (paging ignored)."""
    where, params = _where(selection)
    return int(single_row(conn.execute(f"SELECT count(*) FROM cases c {where}", params))[0])


def summaries(conn: Connection, selection: CaseFilter) -> list[CaseSummary]:
    """The page of case summaries the filter selects, in its order.

    Raises:
        KeyError: an unknown sort key (a program fault; the UI offers only `SORT_KEYS`).
    """
    order = _ORDER[(selection.sort, selection.descending)]
    where, params = _where(selection)
    limit = -1 if selection.limit is None else max(0, selection.limit)
    rows = conn.execute(
        f"""
        SELECT c.id, c.code, c.opened, c.status, c.status_date, c.next_follow_up, o.name,
               r.alias,
               (SELECT group_concat(k.category, '{_SEPARATOR}' ORDER BY k.position)
                FROM case_categories k WHERE k.case_id = c.id),
               EXISTS (SELECT 1 FROM procedures p WHERE p.case_id = c.id)
        FROM (SELECT c.* FROM cases c {where} ORDER BY {order} LIMIT ? OFFSET ?) AS c
        JOIN organisations o ON o.id = c.organisation_id
        JOIN reporters r ON r.id = c.reporter_id
        ORDER BY {order}
        """,
        [*params, limit, max(0, selection.offset)],
    ).fetchall()
    return [
        CaseSummary(
            id=int(r[0]),
            code=r[1],
            opened=dt.date.fromisoformat(r[2]),
            status=r[3],
            status_date=dt.date.fromisoformat(r[4]),
            next_follow_up=dt.date.fromisoformat(r[5]) if r[5] else None,
            organisation=r[6],
            reporter_alias=r[7],
            categories=tuple(r[8].split(_SEPARATOR)) if r[8] else (),
            has_protocol=bool(r[9]),
        )
        for r in rows
    ]
