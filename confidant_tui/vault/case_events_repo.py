"""Provides the repository of a case's routes and referrals (its formal steps outward)."""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.cases import Referral, Route
from confidant_tui.vault.connection import inserted_id, single_row
from confidant_tui.vault.store import Connection
from confidant_tui.vault.stored_dates import day, iso


def insert_route(conn: Connection, case_id: int, route: Route) -> int:
    """Appends a route; returns its id."""
    position = _next_position(conn, "routes", case_id)
    return inserted_id(
        conn.execute(
            "INSERT INTO routes(case_id, position, route, date, filed, acknowledged, feedback, "
            "ended, manner, outcome, measure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, position, route.route, *_route_values(route)),
        )
    )


def _route_values(route: Route) -> tuple[str | None, ...]:
    return (
        iso(route.date),
        iso(route.filed),
        iso(route.acknowledged),
        iso(route.feedback),
        iso(route.ended),
        route.manner,
        route.outcome,
        route.measure,
    )


def update_route(conn: Connection, route_id: int, route: Route) -> None:
    """Replaces a route's key, start date, milestones, manner, outcome and measure."""
    conn.execute(
        "UPDATE routes SET route = ?, date = ?, filed = ?, acknowledged = ?, feedback = ?, "
        "ended = ?, manner = ?, outcome = ?, measure = ? WHERE id = ?",
        (route.route, *_route_values(route), route_id),
    )


def route_case(conn: Connection, route_id: int) -> int | None:
    """The case id a route belongs to, or None when it does not exist."""
    row = conn.execute("SELECT case_id FROM routes WHERE id = ?", (route_id,)).fetchone()
    return int(row[0]) if row else None


def insert_referral(conn: Connection, case_id: int, referral: Referral) -> int:
    """Appends a referral; returns its id."""
    position = _next_position(conn, "referrals", case_id)
    return inserted_id(
        conn.execute(
            "INSERT INTO referrals(case_id, position, destination, date, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (case_id, position, referral.destination, iso(referral.date), referral.note),
        )
    )


def _next_position(conn: Connection, table: str, case_id: int) -> int:
    assert table in ("routes", "referrals")
    row = single_row(
        conn.execute(
            f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE case_id = ?", (case_id,)
        )
    )
    return int(row[0])


def load_routes(conn: Connection, case_id: int) -> tuple[Route, ...]:
    """A case's routes, in the order they were added."""
    return tuple(
        Route(
            r[0],
            dt.date.fromisoformat(r[1]),
            day(r[2]),
            day(r[3]),
            day(r[4]),
            day(r[5]),
            int(r[6]),
            manner=r[7],
            outcome=r[8],
            measure=r[9],
        )
        for r in conn.execute(
            "SELECT route, date, filed, acknowledged, feedback, ended, id, manner, outcome, "
            "measure FROM routes "
            "WHERE case_id = ? ORDER BY position",
            (case_id,),
        )
    )


def load_referrals(conn: Connection, case_id: int) -> tuple[Referral, ...]:
    """A case's referrals, in the order they were added."""
    return tuple(
        Referral(r[0], dt.date.fromisoformat(r[1]), r[2], int(r[3]))
        for r in conn.execute(
            "SELECT destination, date, note, id FROM referrals WHERE case_id = ? ORDER BY position",
            (case_id,),
        )
    )
