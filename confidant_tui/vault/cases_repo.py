"""Provides the case repository: rows of the case tables <-> domain objects.

Every function takes a connection inside the caller's transaction (`vault.transaction()`
for writes, `vault.reading()` for reads), so one user action stays one transaction. The
full-text index is kept in step here. Dates are stored as ISO text. Conversations
(`conversations_repo`) and routes and referrals (`case_events_repo`) have their own modules;
their functions are re-exported here for callers that work on whole cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from confidant_tui.domain.cases import (
    TEXT_FIELDS,
    Case,
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.vault import search_repo
from confidant_tui.vault.case_events_repo import (
    insert_referral,
    insert_route,
    load_referrals,
    load_routes,
    route_case,
    update_route,
)
from confidant_tui.vault.connection import inserted_id, single_row
from confidant_tui.vault.conversations_repo import (
    conversation_case,
    conversation_versions,
    insert_conversation,
    load_conversations,
    refresh_follow_up,
    update_conversation,
)
from confidant_tui.vault.store import Connection
from confidant_tui.vault.stored_dates import day, iso

__all__ = [
    "case_exists",
    "case_id_for_code",
    "case_ids",
    "conversation_case",
    "conversation_versions",
    "day",
    "existing_codes",
    "format_code",
    "identity_of_case",
    "identity_recorded",
    "insert_case",
    "insert_conversation",
    "insert_referral",
    "insert_reporter",
    "insert_route",
    "insert_status",
    "iso",
    "load_case",
    "max_seq",
    "organisation_id",
    "organisations",
    "refresh_follow_up",
    "refresh_status",
    "reporter_exists",
    "route_case",
    "set_identity",
    "update_conversation",
    "update_route",
    "write_facts",
]


# -- organisations and reporters ---------------------------------------------------------


def organisation_id(conn: Connection, name: str) -> int:
    """The id of the organisation called `name`, created when new."""
    row = conn.execute("SELECT id FROM organisations WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    return inserted_id(conn.execute("INSERT INTO organisations(name) VALUES (?)", (name,)))


def organisations(conn: Connection) -> list[str]:
    """Every organisation's name, sorted."""
    return [r[0] for r in conn.execute("SELECT name FROM organisations ORDER BY name")]


def insert_reporter(conn: Connection, alias: str | None, identity: Identity) -> int:
    """Stores a new reporter and, apart, their identity if any; returns the reporter id."""
    reporter_id = inserted_id(conn.execute("INSERT INTO reporters(alias) VALUES (?)", (alias,)))
    set_identity(conn, reporter_id, identity)
    return reporter_id


def reporter_exists(conn: Connection, reporter_id: int) -> bool:
    """Whether a reporter with this id exists."""
    return (
        conn.execute("SELECT 1 FROM reporters WHERE id = ?", (reporter_id,)).fetchone() is not None
    )


def set_identity(conn: Connection, reporter_id: int, identity: Identity) -> None:
    """Replaces a reporter's identity; an empty identity erases it (row deleted)."""
    conn.execute("DELETE FROM reporter_identities WHERE reporter_id = ?", (reporter_id,))
    if not identity.is_empty:
        conn.execute(
            "INSERT INTO reporter_identities(reporter_id, name, contact) VALUES (?, ?, ?)",
            (reporter_id, identity.name, identity.contact),
        )


def identity_of_case(conn: Connection, case_id: int) -> Identity:
    """The identity of a case's reporter (empty when none is recorded)."""
    row = conn.execute(
        "SELECT i.name, i.contact FROM cases c "
        "JOIN reporter_identities i ON i.reporter_id = c.reporter_id WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    return Identity(row[0], row[1]) if row else Identity()


def identity_recorded(conn: Connection, case_id: int) -> bool:
    """Whether the case's reporter has an identity on record (without reading it)."""
    row = conn.execute(
        "SELECT 1 FROM cases c "
        "JOIN reporter_identities i ON i.reporter_id = c.reporter_id WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    return row is not None


# -- codes -------------------------------------------------------------------------------


def case_id_for_code(conn: Connection, code: str) -> int | None:
    """The id of the case with this code, or None."""
    row = conn.execute("SELECT id FROM cases WHERE code = ?", (code,)).fetchone()
    return int(row[0]) if row else None


def existing_codes(conn: Connection, codes: Iterable[str]) -> set[str]:
    """Which of `codes` are already used in the vault."""
    found: set[str] = set()
    for code in codes:
        if conn.execute("SELECT 1 FROM cases WHERE code = ?", (code,)).fetchone():
            found.add(code)
    return found


def max_seq(conn: Connection, year: int) -> int:
    """The highest case number ever issued in `year` (0 when none): a destroyed case's
    number counts too (table `case_numbers`, schema 9), so a code is never handed out twice.
    Only writers number cases, and a writer's vault is always at the latest schema."""
    row = single_row(
        conn.execute(
            "SELECT max(coalesce((SELECT max(seq) FROM cases WHERE year = ?), 0), "
            "coalesce((SELECT last_seq FROM case_numbers WHERE year = ?), 0))",
            (year, year),
        )
    )
    return int(row[0])


def _note_issued(conn: Connection, year: int, seq: int) -> None:
    """Remembers that number `seq` of `year` was issued (see `max_seq`)."""
    conn.execute(
        "INSERT INTO case_numbers(year, last_seq) VALUES (?, ?) "
        "ON CONFLICT(year) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
        (year, seq),
    )


def format_code(year: int, seq: int) -> str:
    """The code of the `seq`-th case of `year` (`2026-007`)."""
    return f"{year:04d}-{seq:03d}"


# -- writing a case ----------------------------------------------------------------------


def insert_case(
    conn: Connection,
    intake: Intake,
    *,
    code: str,
    organisation: str,
    status_history: Sequence[StatusChange] = (),
    conversations: Sequence[Conversation] = (),
    routes: Sequence[Route] = (),
    referrals: Sequence[Referral] = (),
) -> int:
    """Stores a whole new case (already validated) and returns its id.

    Args:
        intake: the intake; `intake.reporter_id` links to a returning reporter, else a new
            reporter is made with `intake.identity`.
        code: the code to use (checked unique by the caller; the UNIQUE constraint guards).
        organisation: the organisation's name (created when new).
    """
    facts = intake.facts
    if intake.reporter_id is not None:
        reporter_id = intake.reporter_id
        if not intake.identity.is_empty:
            set_identity(conn, reporter_id, intake.identity)
    else:
        reporter_id = insert_reporter(conn, facts.reporter_alias, intake.identity)
    year, seq = (int(part) for part in code.split("-"))
    _note_issued(conn, year, seq)
    case_id = inserted_id(
        conn.execute(
            "INSERT INTO cases(code, year, seq, organisation_id, reporter_id, reporter_role, "
            "opened, status_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                year,
                seq,
                organisation_id(conn, organisation),
                reporter_id,
                facts.reporter_role,
                iso(intake.opened),
                iso(intake.opened),
            ),
        )
    )
    write_facts(conn, case_id, facts, organisation=None)
    for change in status_history:
        insert_status(conn, case_id, change, refresh=False)
    for conversation in conversations:
        insert_conversation(conn, case_id, conversation, refresh=False)
    for route in routes:
        insert_route(conn, case_id, route)
    for referral in referrals:
        insert_referral(conn, case_id, referral)
    refresh_status(conn, case_id)
    refresh_follow_up(conn, case_id)
    return case_id


def write_facts(
    conn: Connection, case_id: int, facts: CaseFacts, *, organisation: str | None
) -> None:
    """Replaces the editable facts of a case (categories and people included).

    The reporter's alias belongs to the reporter (shared by their cases); None keeps it.

    Args:
        organisation: a new organisation's name, or None to keep the current one.
    """
    values = [
        facts.reporter_role,
        facts.relation,
        None if facts.power_imbalance is None else int(facts.power_imbalance),
        facts.level,
        iso(facts.first_incident),
        iso(facts.last_incident),
        facts.wishes,
        facts.work_situation,
        facts.outcome,
        iso(facts.confidentiality_explained),
        iso(facts.recording_consent),
        facts.outcome_key,
        facts.experience,
    ]
    conn.execute(
        "UPDATE cases SET reporter_role = ?, relation = ?, power_imbalance = ?, level = ?, "
        "first_incident = ?, last_incident = ?, wishes = ?, work_situation = ?, outcome = ?, "
        "confidentiality_explained = ?, recording_consent = ?, outcome_key = ?, "
        "experience = ? WHERE id = ?",
        (*values, case_id),
    )
    if organisation is not None:
        conn.execute(
            "UPDATE cases SET organisation_id = ? WHERE id = ?",
            (organisation_id(conn, organisation), case_id),
        )
    if facts.reporter_alias is not None:
        conn.execute(
            "UPDATE reporters SET alias = ? WHERE id = (SELECT reporter_id FROM cases WHERE id = ?)",
            (facts.reporter_alias, case_id),
        )
    conn.execute("DELETE FROM case_categories WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO case_categories(case_id, category, position) VALUES (?, ?, ?)",
        [(case_id, key, position) for position, key in enumerate(facts.categories)],
    )
    conn.execute("DELETE FROM people WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO people(case_id, position, alias, role, relation) VALUES (?, ?, ?, ?, ?)",
        [
            (case_id, position, p.alias, p.role, p.relation)
            for position, p in enumerate(facts.people)
        ],
    )
    for name in TEXT_FIELDS:
        search_repo.index_text(conn, case_id, None, name, getattr(facts, name))


def insert_status(
    conn: Connection, case_id: int, change: StatusChange, *, refresh: bool = True
) -> None:
    """Appends a status change (validated by the caller)."""
    conn.execute(
        "INSERT INTO case_status(case_id, status, date) VALUES (?, ?, ?)",
        (case_id, change.status, iso(change.date)),
    )
    if refresh:
        refresh_status(conn, case_id)


def refresh_status(conn: Connection, case_id: int) -> None:
    """Keeps `cases.status` and `status_date` in step with the history."""
    row = conn.execute(
        "SELECT status, date FROM case_status WHERE case_id = ? ORDER BY date DESC, id DESC "
        "LIMIT 1",
        (case_id,),
    ).fetchone()
    if row:
        conn.execute(
            "UPDATE cases SET status = ?, status_date = ? WHERE id = ?", (row[0], row[1], case_id)
        )
    else:
        conn.execute(
            "UPDATE cases SET status = 'open', status_date = opened WHERE id = ?", (case_id,)
        )


# -- reading a case ----------------------------------------------------------------------


def opened_and_reporter(conn: Connection, case_id: int) -> tuple[dt.date, int]:
    """The opening date and reporter of a case: all that most writes check, without reading
    the case's notes."""
    row = single_row(conn.execute("SELECT opened, reporter_id FROM cases WHERE id = ?", (case_id,)))
    return dt.date.fromisoformat(row[0]), int(row[1])


def case_exists(conn: Connection, case_id: int) -> bool:
    """Whether a case with this id exists."""
    return conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None


def case_ids(conn: Connection) -> list[int]:
    """Every case id, in the order of their codes."""
    return [int(r[0]) for r in conn.execute("SELECT id FROM cases ORDER BY year, seq")]


def load_case(conn: Connection, case_id: int) -> Case | None:
    """The full case without identity, or None when it does not exist."""
    row = conn.execute(
        "SELECT c.code, c.opened, c.reporter_id, c.reporter_role, r.alias, o.name, c.relation, "
        "c.power_imbalance, c.level, c.first_incident, c.last_incident, c.wishes, "
        "c.work_situation, c.outcome, c.confidentiality_explained, c.recording_consent, "
        "c.outcome_key, c.experience FROM cases c JOIN reporters r ON r.id = c.reporter_id "
        "JOIN organisations o ON o.id = c.organisation_id WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    if row is None:
        return None
    categories = tuple(
        r[0]
        for r in conn.execute(
            "SELECT category FROM case_categories WHERE case_id = ? ORDER BY position", (case_id,)
        )
    )
    people = tuple(
        Person(r[1], r[0], r[2], int(r[3]))
        for r in conn.execute(
            "SELECT alias, role, relation, id FROM people WHERE case_id = ? ORDER BY position",
            (case_id,),
        )
    )
    facts = CaseFacts(
        reporter_role=row[3],
        categories=categories,
        reporter_alias=row[4],
        organisation=row[5],
        relation=row[6],
        power_imbalance=None if row[7] is None else bool(row[7]),
        level=row[8],
        first_incident=day(row[9]),
        last_incident=day(row[10]),
        wishes=row[11],
        work_situation=row[12],
        outcome=row[13],
        confidentiality_explained=day(row[14]),
        recording_consent=day(row[15]),
        people=people,
        outcome_key=row[16],
        experience=row[17],
    )
    history = tuple(
        StatusChange(r[0], dt.date.fromisoformat(r[1]))
        for r in conn.execute(
            "SELECT status, date FROM case_status WHERE case_id = ? ORDER BY date, id", (case_id,)
        )
    )
    return Case(
        id=case_id,
        code=row[0],
        opened=dt.date.fromisoformat(row[1]),
        reporter_id=int(row[2]),
        facts=facts,
        status_history=history,
        conversations=load_conversations(conn, case_id),
        routes=load_routes(conn, case_id),
        referrals=load_referrals(conn, case_id),
    )
