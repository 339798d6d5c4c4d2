"""Provides the case queries that need no whole case: finding a case, and the home list.

Finding: a case named by id or code (`resolve_case`), with the opening date that the rules
for conversations, routes and referrals check, and `NotFound` for the adviser when it is not
there. The home list: case summaries without notes, filtered, sorted, paged. It reads only
the `cases` row (with its denormalised status and follow-up date), the organisation, the
reporter's alias, the category keys of the rows on the page and whether a protocol procedure
exists (an EXISTS on the index `procedures_case` of `0003_protocol.sql`), so it stays fast
with tens of thousands of cases: every offered sort has an index in its exact order
(`0011_list_indexes.sql`; the status order's in `0012_status_order.sql`), so a page is read
along it and stops after its rows; `summaries_after` continues after a given row by seeking
(keyset paging) instead of skipping the rows before it. `tests/unit/vault/test_query_plans.py` checks the plans.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from confidant_tui.domain.case_rules import shown
from confidant_tui.domain.cases import STATUSES, Case, CaseFilter, CaseSummary
from confidant_tui.errors import NotFound
from confidant_tui.i18n import _
from confidant_tui.vault import cases_repo
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.store import Connection

CaseRef = int | str
"""A case named by its id or its code."""


def _status_rank(column: str) -> str:
    """The SQL expression of a status's place in the workflow (`STATUSES`: open 0, aftercare
    1, closed 2)."""
    first = STATUSES[:-1]
    whens = " ".join(f"WHEN '{status}' THEN {place}" for place, status in enumerate(first))
    return f"(CASE {column} {whens} ELSE {len(first)} END)"


STATUS_RANK = _status_rank("c.status")
"""The status sort's first term: the workflow order, not the alphabet of the codes. Migration
0012 indexes exactly this expression (without the alias), which SQLite uses only for the
same expression; `tests/unit/vault/test_status_order.py` checks the two agree."""
_STATUS_PLACE = {status: place for place, status in enumerate(STATUSES)}

_SORTS: dict[tuple[str, bool], tuple[tuple[str, bool], ...]] = {
    ("code", False): (("c.year", False), ("c.seq", False)),
    ("code", True): (("c.year", True), ("c.seq", True)),
    ("opened", False): (("c.opened", False), ("c.year", False), ("c.seq", False)),
    ("opened", True): (("c.opened", True), ("c.year", True), ("c.seq", True)),
    ("status", False): (
        (STATUS_RANK, False),
        ("c.opened", True),
        ("c.seq", True),
        ("c.year", True),
    ),
    ("status", True): ((STATUS_RANK, True), ("c.opened", True), ("c.seq", True), ("c.year", True)),
    ("follow_up", False): (
        ("(c.next_follow_up IS NULL)", False),
        ("c.next_follow_up", False),
        ("c.year", False),
        ("c.seq", False),
    ),
    ("follow_up", True): (
        ("(c.next_follow_up IS NULL)", False),
        ("c.next_follow_up", True),
        ("c.year", False),
        ("c.seq", False),
    ),
}
"""Each offered sort (key, descending) as its terms (expression, descending), in order.

Every sort ends in a unique key ((year, seq) is the code), so the order is total and keyset
paging can continue after any row. Each has an index of migration 0011 or 0012 (or the
unique (year, seq) of 0002) in exactly this order, read forwards or backwards. The status
sort orders by the workflow (`STATUS_RANK`, index of 0012), each status newest first in
both directions; its last term, year, only orders cases with the same status, opening date
and number.
"""
_NULLABLE = frozenset({"c.next_follow_up"})
"""Sort terms that may be NULL (compared with IS for equality)."""

_ORDER = {
    sort: ", ".join(f"{term} DESC" if down else term for term, down in terms)
    for sort, terms in _SORTS.items()
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


def newest_case_id(conn: Connection) -> int:
    """The highest case id (0 when there are no cases): the case made last, as ids are
    handed out in ascending order."""
    return int(single_row(conn.execute("SELECT coalesce(max(id), 0) FROM cases"))[0])


def without_confidentiality_explained(conn: Connection) -> list[tuple[int, str, dt.date, str]]:
    """(id, code, opened, status) of every case where the limits of confidentiality were not
    recorded as explained, oldest first (closed cases included)."""
    rows = conn.execute(
        "SELECT id, code, opened, status FROM cases"
        " WHERE confidentiality_explained IS NULL ORDER BY opened, id"
    ).fetchall()
    return [(int(r[0]), r[1], dt.date.fromisoformat(r[2]), r[3]) for r in rows]


# -- the home list -----------------------------------------------------------------------


_LIVE_STATUSES = frozenset({"open", "aftercare"})
"""Statuses that only a small part of the cases have: a filter on one of them reads its
cases through the status index and sorts those (closed cases are most of a vault, so a
filter on `closed` reads the sort's own index instead)."""
_CATEGORY = "(k.category = ? OR (k.category > ? AND k.category < ?))"
"""A category key or one of its sub-kinds (`bullying`, `bullying.x`; not `bullyingx`)."""


def _category_params(key: str) -> list[Any]:
    return [key, key + ".", key + "/"]


def _clauses(selection: CaseFilter, *, counting: bool = False) -> tuple[list[str], list[Any]]:
    """The filter's conditions on `cases c`, written so that a page is read in the order of
    its sort's index: a filter that keeps most cases (an organisation, `closed`, a
    category) is checked row by row along that index (`+` keeps SQLite from choosing the
    filter's own index and then sorting everything it found); a filter that keeps few (a
    year, a live status) is read through its index and only those cases are sorted.
    Counting uses every index (there is no order to keep); it leaves out the category,
    which `count` joins itself."""
    clauses: list[str] = []
    params: list[Any] = []
    if selection.status is not None and selection.sort == "status" and not counting:
        # Sorted by status: one status is one value of the sort's first term, so the page
        # is read along the status-order index from that value.
        clauses.append(f"{STATUS_RANK} = ? AND +c.status = ?")
        params += [_STATUS_PLACE.get(selection.status, len(STATUSES)), selection.status]
    elif selection.status is not None:
        by_index = counting or selection.status in _LIVE_STATUSES
        clauses.append("c.status = ?" if by_index else "+c.status = ?")
        params.append(selection.status)
    if selection.year is not None:
        clauses.append("c.opened BETWEEN ? AND ?")
        params += [f"{selection.year:04d}-01-01", f"{selection.year:04d}-12-31"]
    if selection.organisation is not None:
        column = "c.organisation_id" if counting else "+c.organisation_id"
        clauses.append(f"{column} = (SELECT id FROM organisations WHERE name = ?)")
        params.append(selection.organisation)
    if selection.category is not None and not counting:
        clauses.append(
            f"EXISTS (SELECT 1 FROM case_categories k WHERE k.case_id = c.id AND {_CATEGORY})"
        )
        params += _category_params(selection.category)
    return clauses, params


def count(conn: Connection, selection: CaseFilter) -> int:
    """How many cases match the filter (paging ignored).

    Read from indexes alone where one answers: the whole table's count, a status, a year
    or an organisation through its index, a category alone through the category index
    (`case_categories_key`), a category with another filter along that filter's index.
    """
    clauses, params = _clauses(selection, counting=True)
    if selection.category is None:
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"SELECT count(*) FROM cases c{where}"
    elif not clauses:
        sql = f"SELECT count(DISTINCT k.case_id) FROM case_categories k WHERE {_CATEGORY}"
        params = _category_params(selection.category)
    else:
        # Along the other filter's (covering) index, each case looked up in the category's
        # cases (`+` keeps SQLite from reading every case it names from the table instead).
        sql = (
            f"SELECT count(*) FROM cases c WHERE {' AND '.join(clauses)} AND +c.id IN "
            f"(SELECT k.case_id FROM case_categories k WHERE {_CATEGORY})"
        )
        params = params + _category_params(selection.category)
    return int(single_row(conn.execute(sql, params))[0])


_PAGE_COLUMNS = (
    "c.id, c.code, c.year, c.seq, c.opened, c.status, c.status_date, c.next_follow_up, "
    "c.organisation_id, c.reporter_id"
)
"""What the inner page query reads of a case: what a row shows and its sort key."""


def _page(
    conn: Connection,
    selection: CaseFilter,
    extra: tuple[list[str], list[Any]] = ([], []),
    *,
    limit: int,
    offset: int = 0,
    fixed: int = 0,
) -> list[CaseSummary]:
    """One page: the inner query picks the page's cases along the sort's index (only the
    columns a row shows); the outer one adds organisation, alias, categories and protocol
    for those rows alone. The first `fixed` sort terms are equal on every row `extra`
    keeps, so they are left out of ORDER BY (SQLite then sees the index order whole)."""
    if selection.sort == "status" and selection.status is not None:
        fixed = max(fixed, 1)  # one status: the status order is the same on every row
    terms = _SORTS[(selection.sort, selection.descending)][fixed:]
    order = ", ".join(f"{term} DESC" if down else term for term, down in terms)
    clauses, params = _clauses(selection)
    clauses, params = clauses + extra[0], params + extra[1]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    outer_order = order.replace("c.", "page.")
    rows = conn.execute(
        f"""
        SELECT page.id, page.code, page.opened, page.status, page.status_date,
               page.next_follow_up, o.name, r.alias,
               (SELECT group_concat(k.category, '{_SEPARATOR}' ORDER BY k.position)
                FROM case_categories k WHERE k.case_id = page.id),
               EXISTS (SELECT 1 FROM procedures p WHERE p.case_id = page.id)
        FROM (SELECT {_PAGE_COLUMNS} FROM cases c {where} ORDER BY {order} LIMIT ? OFFSET ?)
             AS page
        JOIN organisations o ON o.id = page.organisation_id
        JOIN reporters r ON r.id = page.reporter_id
        ORDER BY {outer_order}
        """,
        [*params, limit, max(0, offset)],
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


def summaries(conn: Connection, selection: CaseFilter) -> list[CaseSummary]:
    """The page of case summaries the filter selects, in its order (by `offset`: each page
    skips the rows before it along the sort's index; `summaries_after` does not).

    Raises:
        KeyError: an unknown sort key (a program fault; the UI offers only `SORT_KEYS`).
    """
    limit = -1 if selection.limit is None else max(0, selection.limit)
    return _page(conn, selection, limit=limit, offset=selection.offset)


def summaries_after(conn: Connection, selection: CaseFilter, after: int) -> list[CaseSummary]:
    """The page that follows the case `after` in the filter's order (keyset paging).

    The same rows as `summaries` with `offset` = the position after that case, but read by
    seeking in the sort's index to the case's sort key, so the 500th page costs what the
    first does. `selection.offset` is ignored. With mixed directions (status, follow-up)
    the rows after a key are "same first terms, a later next term", one seek per term,
    read in order until the page is full.

    Args:
        conn: an open connection.
        selection: filter, sort and page size (`limit`; None: every row after).
        after: the id of the last case the list shows (any case that matches the filter).

    Raises:
        NotFound: the case `after` is gone (the list should start again from the top).
        KeyError: an unknown sort key.
    """
    terms = _SORTS[(selection.sort, selection.descending)]
    key = conn.execute(
        f"SELECT {', '.join(term for term, _down in terms)} FROM cases c WHERE c.id = ?",
        (after,),
    ).fetchone()
    if key is None:
        raise NotFound(_("There is no case {case}.").format(case=shown(after)))
    wanted = -1 if selection.limit is None else max(0, selection.limit)
    found: list[CaseSummary] = []
    for depth in range(len(terms) - 1, -1, -1):
        if wanted >= 0 and len(found) >= wanted:
            break
        clauses = [
            f"{term} IS ?" if term in _NULLABLE else f"{term} = ?" for term, _down in terms[:depth]
        ]
        term, down = terms[depth]
        clauses.append(f"{term} {'<' if down else '>'} ?")
        params = list(key[: depth + 1])
        limit = -1 if wanted < 0 else wanted - len(found)
        found += _page(conn, selection, (clauses, params), limit=limit, fixed=depth)
    return found
