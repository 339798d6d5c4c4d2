"""Provides the case repository: rows of the case tables <-> domain objects.

Every function takes a connection inside the caller's transaction (`vault.transaction()`
for writes, `vault.reading()` for reads), so one user action stays one transaction. The
full-text index is kept in step here. Dates are stored as ISO text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from confidant_tui.domain.cases import (
    CONVERSATION_TEXTS,
    TEXT_FIELDS,
    Case,
    CaseFacts,
    Conversation,
    ConversationVersion,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Connection


def iso(value: dt.date | None) -> str | None:
    """A date as stored (ISO text), or None."""
    return value.isoformat() if value is not None else None


def day(value: str | None) -> dt.date | None:
    """A stored date back as a date, or None."""
    return dt.date.fromisoformat(value) if value else None


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


# -- organisations and reporters ---------------------------------------------------------


def organisation_id(conn: Connection, name: str) -> int:
    """The id of the organisation called `name`, created when new."""
    row = conn.execute("SELECT id FROM organisations WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    return int(conn.execute("INSERT INTO organisations(name) VALUES (?)", (name,)).lastrowid)


def organisations(conn: Connection) -> list[str]:
    """Every organisation's name, sorted."""
    return [r[0] for r in conn.execute("SELECT name FROM organisations ORDER BY name")]


def insert_reporter(conn: Connection, alias: str | None, identity: Identity) -> int:
    """Stores a new reporter and, apart, their identity if any; returns the reporter id."""
    reporter_id = int(conn.execute("INSERT INTO reporters(alias) VALUES (?)", (alias,)).lastrowid)
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
    """The highest case number used in `year` (0 when none)."""
    row = conn.execute("SELECT max(seq) FROM cases WHERE year = ?", (year,)).fetchone()
    return int(row[0] or 0)


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
    case_id = int(
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
        ).lastrowid
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
    ]
    conn.execute(
        "UPDATE cases SET reporter_role = ?, relation = ?, power_imbalance = ?, level = ?, "
        "first_incident = ?, last_incident = ?, wishes = ?, work_situation = ?, outcome = ?, "
        "confidentiality_explained = ?, recording_consent = ? WHERE id = ?",
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
    conversation_id = int(
        conn.execute(
            "INSERT INTO conversations(case_id, date, time, minutes, mode, notes, advice, "
            "next_steps, follow_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                iso(c.date),
                _time(c.time),
                c.minutes,
                c.mode,
                c.notes,
                c.advice,
                c.next_steps,
                iso(c.follow_up),
            ),
        ).lastrowid
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
    row = conn.execute(
        "SELECT case_id, notes, advice, next_steps, version FROM conversations WHERE id = ?",
        (conversation_id,),
    ).fetchone()
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
            _time(c.time),
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


def insert_route(conn: Connection, case_id: int, route: Route) -> int:
    """Appends a route; returns its id."""
    position = _next_position(conn, "routes", case_id)
    return int(
        conn.execute(
            "INSERT INTO routes(case_id, position, route, date, filed, acknowledged, feedback, "
            "ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, position, route.route, *_route_dates(route)),
        ).lastrowid
    )


def _route_dates(route: Route) -> tuple[str | None, ...]:
    return (
        iso(route.date),
        iso(route.filed),
        iso(route.acknowledged),
        iso(route.feedback),
        iso(route.ended),
    )


def update_route(conn: Connection, route_id: int, route: Route) -> None:
    """Replaces a route's key, start date and milestones."""
    conn.execute(
        "UPDATE routes SET route = ?, date = ?, filed = ?, acknowledged = ?, feedback = ?, "
        "ended = ? WHERE id = ?",
        (route.route, *_route_dates(route), route_id),
    )


def route_case(conn: Connection, route_id: int) -> int | None:
    """The case id a route belongs to, or None when it does not exist."""
    row = conn.execute("SELECT case_id FROM routes WHERE id = ?", (route_id,)).fetchone()
    return int(row[0]) if row else None


def insert_referral(conn: Connection, case_id: int, referral: Referral) -> int:
    """Appends a referral; returns its id."""
    position = _next_position(conn, "referrals", case_id)
    return int(
        conn.execute(
            "INSERT INTO referrals(case_id, position, destination, date, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (case_id, position, referral.destination, iso(referral.date), referral.note),
        ).lastrowid
    )


def _next_position(conn: Connection, table: str, case_id: int) -> int:
    assert table in ("routes", "referrals")
    row = conn.execute(
        f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE case_id = ?", (case_id,)
    ).fetchone()
    return int(row[0])


# -- reading a case ----------------------------------------------------------------------


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
        "c.work_situation, c.outcome, c.confidentiality_explained, c.recording_consent "
        "FROM cases c JOIN reporters r ON r.id = c.reporter_id "
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
    )
    history = tuple(
        StatusChange(r[0], dt.date.fromisoformat(r[1]))
        for r in conn.execute(
            "SELECT status, date FROM case_status WHERE case_id = ? ORDER BY date, id", (case_id,)
        )
    )
    conversations = tuple(
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
    routes = tuple(
        Route(
            r[0],
            dt.date.fromisoformat(r[1]),
            day(r[2]),
            day(r[3]),
            day(r[4]),
            day(r[5]),
            int(r[6]),
        )
        for r in conn.execute(
            "SELECT route, date, filed, acknowledged, feedback, ended, id FROM routes "
            "WHERE case_id = ? ORDER BY position",
            (case_id,),
        )
    )
    referrals = tuple(
        Referral(r[0], dt.date.fromisoformat(r[1]), r[2], int(r[3]))
        for r in conn.execute(
            "SELECT destination, date, note, id FROM referrals WHERE case_id = ? ORDER BY position",
            (case_id,),
        )
    )
    return Case(
        id=case_id,
        code=row[0],
        opened=dt.date.fromisoformat(row[1]),
        reporter_id=int(row[2]),
        facts=facts,
        status_history=history,
        conversations=conversations,
        routes=routes,
        referrals=referrals,
    )
