"""Provides the organisations repository: rows of `organisations` <-> `Organisation`.

The rules are one JSON object per organisation (migration 0006); the default organisation
(the one new and imported cases get when they name none) is the `meta` row
`default_organisation`, or the first active organisation when that row is absent.
"""

from __future__ import annotations

import datetime as dt
import json

from confidant_tui.domain.organisation import (
    Organisation,
    OrganisationRules,
    rules_from_stored,
    rules_to_dict,
)
from confidant_tui.vault.connection import inserted_id
from confidant_tui.vault.store import Connection
from confidant_tui.vault.stored_dates import day, iso

DEFAULT_KEY = "default_organisation"
ADOPTED_KEY = "settings_adopted"
"""`meta` row set once the old settings file's organisation values were moved in."""


def has_rules(conn: Connection) -> bool:
    """Whether the vault has the columns of migration 0006 (a read-only old vault has not)."""
    return "rules" in {r[1] for r in conn.execute("PRAGMA table_info(organisations)")}


def load_all(conn: Connection) -> list[Organisation]:
    """Every organisation, active first, then by name."""
    if not has_rules(conn):
        rows = [
            (r[0], r[1], "{}", None) for r in conn.execute("SELECT id, name FROM organisations")
        ]
    else:
        rows = list(conn.execute("SELECT id, name, rules, archived FROM organisations"))
    default = default_id(conn, [(int(r[0]), r[3] is None) for r in rows])
    found = [
        Organisation(
            id=int(org_id),
            name=name,
            rules=rules_from_stored(json.loads(rules)),
            archived=day(archived),
            is_default=int(org_id) == default,
        )
        for org_id, name, rules, archived in rows
    ]
    return sorted(found, key=lambda o: (not o.active, o.name.casefold(), o.id))


def default_id(conn: Connection, organisations: list[tuple[int, bool]]) -> int | None:
    """The default organisation's id, from `meta` or else the first active one.

    Args:
        conn: the connection.
        organisations: (id, active) of every organisation.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DEFAULT_KEY,)).fetchone()
    active = sorted(org_id for org_id, is_active in organisations if is_active)
    if row is not None and row[0].isdigit() and int(row[0]) in active:
        return int(row[0])
    return active[0] if active else None


def set_default(conn: Connection, org_id: int) -> None:
    """Makes `org_id` the default organisation."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (DEFAULT_KEY, str(org_id)),
    )


def id_by_name(conn: Connection, name: str) -> int | None:
    """The id of the organisation called `name`, or None."""
    row = conn.execute("SELECT id FROM organisations WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else None


def insert(conn: Connection, name: str, rules: OrganisationRules) -> int:
    """Adds an organisation; returns its id."""
    return inserted_id(
        conn.execute(
            "INSERT INTO organisations(name, rules) VALUES (?, ?)",
            (name, json.dumps(rules_to_dict(rules), ensure_ascii=False)),
        )
    )


def update(conn: Connection, org_id: int, name: str, rules: OrganisationRules) -> None:
    """Replaces an organisation's name and rules."""
    conn.execute(
        "UPDATE organisations SET name = ?, rules = ? WHERE id = ?",
        (name, json.dumps(rules_to_dict(rules), ensure_ascii=False), org_id),
    )


def set_archived(conn: Connection, org_id: int, archived: dt.date | None) -> None:
    """Archives an organisation on `archived`, or brings it back (None)."""
    conn.execute("UPDATE organisations SET archived = ? WHERE id = ?", (iso(archived), org_id))


def case_counts(conn: Connection) -> dict[int, int]:
    """Organisation id -> number of its cases in the vault."""
    return {
        int(r[0]): int(r[1])
        for r in conn.execute("SELECT organisation_id, count(*) FROM cases GROUP BY 1")
    }


def settings_adopted(conn: Connection) -> bool:
    """Whether an old settings file's organisation values were moved into this vault."""
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (ADOPTED_KEY,)).fetchone() is not None


def mark_settings_adopted(conn: Connection, moment: str) -> None:
    """Records that the settings file's organisation values were moved in (at `moment`)."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (ADOPTED_KEY, moment))
