"""Inserts cases by SQL for the report tests (the schema of migrations 0002 and 0003).

Helpers only (no tests); the name keeps it among the report tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from confidant_tui.vault.store import Connection


def insert_case(
    conn: Connection,
    code: str,
    opened: str,
    *,
    role: str = "employee",
    organisation: str = "Partij",
    categories: Iterable[str] = ("bullying",),
    level: str | None = "local",
    power: bool | None = True,
    relation: str | None = None,
    accused: Iterable[str | None] = (),
    statuses: Iterable[tuple[str, str]] = (),
    conversations: Iterable[tuple[str, int]] = (),
    routes: Iterable[tuple[str, str]] = (),
    referrals: Iterable[tuple[str, str]] = (),
    alias: str = "A.",
    notes: str = "vertrouwelijk verhaal over Jansen",
) -> int:
    """Adds one case with its children; returns its id."""
    row = conn.execute("SELECT id FROM organisations WHERE name = ?", (organisation,)).fetchone()
    org_id = (
        row[0]
        if row
        else conn.execute("INSERT INTO organisations(name) VALUES (?)", (organisation,)).lastrowid
    )
    reporter = conn.execute("INSERT INTO reporters(alias) VALUES (?)", (alias,)).lastrowid
    year, seq = code.split("-")
    case_id = conn.execute(
        "INSERT INTO cases(code, year, seq, organisation_id, reporter_id, reporter_role, opened, "
        "status, status_date, relation, power_imbalance, level, wishes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
        (
            code,
            int(year),
            int(seq),
            org_id,
            reporter,
            role,
            opened,
            opened,
            relation,
            None if power is None else int(power),
            level,
            notes,
        ),
    ).lastrowid
    for position, category in enumerate(categories):
        conn.execute(
            "INSERT INTO case_categories(case_id, category, position) VALUES (?, ?, ?)",
            (case_id, category, position),
        )
    for position, rel in enumerate(accused):
        conn.execute(
            "INSERT INTO people(case_id, position, alias, role, relation) "
            "VALUES (?, ?, 'B.', 'accused', ?)",
            (case_id, position, rel),
        )
    for date, status in statuses:
        conn.execute(
            "INSERT INTO case_status(case_id, status, date) VALUES (?, ?, ?)",
            (case_id, status, date),
        )
    last = conn.execute(  # the current status, kept in step as the cases repository does
        "SELECT status, date FROM case_status WHERE case_id = ? ORDER BY date DESC, id DESC",
        (case_id,),
    ).fetchone()
    if last:
        conn.execute("UPDATE cases SET status = ?, status_date = ? WHERE id = ?", (*last, case_id))
    for date, minutes in conversations:
        conn.execute(
            "INSERT INTO conversations(case_id, date, time, minutes, mode, notes) "
            "VALUES (?, ?, '10:30', ?, 'in_person', ?)",
            (case_id, date, minutes, notes),
        )
    for position, (date, route) in enumerate(routes):
        conn.execute(
            "INSERT INTO routes(case_id, position, route, date) VALUES (?, ?, ?, ?)",
            (case_id, position, route, date),
        )
    for position, (date, destination) in enumerate(referrals):
        conn.execute(
            "INSERT INTO referrals(case_id, position, destination, date, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (case_id, position, destination, date, notes),
        )
    return int(case_id)


def add_disclosure(conn: Connection, case_id: int, ground: str, at: str) -> None:
    """A completed protocol procedure: opened, then a disclosure step (and an addendum)."""
    procedure = conn.execute(
        "INSERT INTO procedures(case_id, opened_at, ground, recorded_at) VALUES (?, ?, ?, ?)",
        (case_id, at, ground, at),
    ).lastrowid
    for kind in ("disclosure", "addendum"):
        conn.execute(
            "INSERT INTO procedure_steps(procedure_id, case_id, kind, at, data, recorded_at) "
            "VALUES (?, ?, ?, ?, '{}', ?)",
            (procedure, case_id, kind, at, at),
        )


def withdraw_statistics(conn: Connection, case_id: int, at: str = "2025-06-01T10:00") -> None:
    """Records a statistics consent and its withdrawal."""
    consent = conn.execute(
        "INSERT INTO consents(case_id, purpose, scope, form, given_at, recorded_at) "
        "VALUES (?, 'statistics', '[]', 'oral', ?, ?)",
        (case_id, at, at),
    ).lastrowid
    conn.execute(
        "INSERT INTO consent_withdrawals(case_id, consent_id, withdrawn_at, recorded_at) "
        "VALUES (?, ?, ?, ?)",
        (case_id, consent, at, at),
    )
