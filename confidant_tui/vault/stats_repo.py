"""Provides the statistical records of cases (by SQL, no notes read) and the published reports.

`stat_records` derives one anonymous `StatRecord` per case from the case tables with a
handful of grouped queries, and adds the records kept for destroyed cases. The retention code
calls `keep_record` in the transaction that destroys a case, so past reports stay
reproducible. Tables and columns of later areas (consents, protocol procedures, this area's
own tables of migration 0004, the outcomes and activities of migration 0006) are read only
when they exist, so counting works on every schema.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from confidant_tui.domain.report_json import ReportDocument
from confidant_tui.domain.statistics import (
    UNKNOWN,
    StatRecord,
    per_year_counts,
    relations_of,
    top_level,
    year_end_statuses,
)
from confidant_tui.vault.connection import inserted_id, single_row
from confidant_tui.vault.store import Connection

REPORTS_TABLE = "published_reports"
KEPT_TABLE = "stat_records"


def table_names(conn: Connection) -> set[str]:
    """The vault's tables (counting reads only those a schema has; `stats_counts` too)."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def column_names(conn: Connection, table: str) -> set[str]:
    """The columns of `table` (a column of a later migration is read only when there)."""
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def has_report_tables(conn: Connection) -> bool:
    """Whether the vault has the tables of migration 0004 (published reports, kept records)."""
    return {REPORTS_TABLE, KEPT_TABLE} <= table_names(conn)


def organisation_names(conn: Connection) -> dict[int, str]:
    """Every organisation: id -> name."""
    return {int(r[0]): r[1] for r in conn.execute("SELECT id, name FROM organisations")}


def _case_filter(
    organisation_id: int | None, years: tuple[int, int] | None = None
) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause on `cases c` choosing the cases a report may count.

    With `years` (first, last), only the cases that can matter for those years: opened by
    the end of `last`, and opened in the period, or not closed before it began (no status
    change since), or with anything dated in the period (or with a protocol procedure:
    few, and then its dates need not be read here). Every column of `cases` this and the
    candidates' columns name is in the index `cases_report` (migration 14), so SQLite
    chooses them from that index alone, without reading the long rows of `cases`; the `+`
    before the organisation keeps it from taking the organisation's index instead.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if organisation_id is not None:
        clauses.append("+c.organisation_id = ?" if years is not None else "c.organisation_id = ?")
        params.append(organisation_id)
    if years is not None:
        start, end = f"{years[0]:04d}-01-01", f"{years[1] + 1:04d}-01-01"
        # One list of the cases with anything dated in the period, read once per table,
        # instead of six lookups for each closed case (most of a big vault): 470 -> 300 ms
        # at 50k cases.
        clauses.append(
            "c.opened < ? AND (c.opened >= ? OR c.status != 'closed' OR c.id IN ("
            "SELECT case_id FROM case_status WHERE date >= ? "
            "UNION SELECT case_id FROM conversations WHERE date >= ? "
            "UNION SELECT case_id FROM routes WHERE date >= ? "
            "UNION SELECT case_id FROM routes WHERE ended >= ? "
            "UNION SELECT case_id FROM referrals WHERE date >= ? "
            "UNION SELECT case_id FROM procedures))"
        )
        params += [end, start, start, start, start, start, start]
    if not clauses:
        return "", ()
    return " WHERE " + " AND ".join(clauses), tuple(params)


def _grouped(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    for row in conn.execute(sql, params):  # rows are tuples, case ids integers (STRICT)
        found[row[0]].append(row[1:])
    return found


CANDIDATES = "report_candidates"
"""The TEMP table of the cases a report counts (ids only; in memory: `temp_store = MEMORY`)."""
_JOIN = f"temp.{CANDIDATES} k CROSS JOIN"
"""Reads a table of case details by case, for the candidates only (CROSS JOIN keeps SQLite
from turning it around into a scan of the details)."""


@contextmanager
def counted_candidates(
    conn: Connection, organisation_id: int | None, years: tuple[int, int]
) -> Iterator[str]:
    """The TEMP table `CANDIDATES` filled with the cases a report of `years` counts (see
    `_case_filter`), without those whose reporter withdrew the consent to be counted; yields
    the table's name and drops it afterwards (for counting by SQL: `stats_counts`)."""
    with _candidates(conn, *_case_filter(organisation_id, years), counted_only=True):
        yield f"temp.{CANDIDATES}"


@contextmanager
def _candidates(
    conn: Connection, where: str, params: tuple[Any, ...], *, counted_only: bool = False
) -> Iterator[None]:
    """Fills the TEMP table `CANDIDATES` with the cases `where` chooses, once, with the
    columns of `cases` a record takes (so each case row is read from the file once), and
    drops it afterwards. With `counted_only`, the cases left out of every figure (the
    statistics consent withdrawn, `_withdrawn`) are taken out again.

    A vault opened read-only has `PRAGMA query_only` on, which refuses writes to the
    temporary database too; it is lifted only while this creates, fills and drops its own
    TEMP table (nothing else runs on the connection meanwhile: the vault's lock is held).
    """

    def writable(run: Callable[[], object]) -> None:
        guarded = bool(single_row(conn.execute("PRAGMA query_only"))[0])
        if guarded:
            conn.execute("PRAGMA query_only = OFF")
        try:
            run()
        finally:
            if guarded:
                conn.execute("PRAGMA query_only = ON")

    # The structured outcome and experience of migration 0006 (unknown before it).
    outcome = (
        "c.outcome_key, c.experience"
        if "experience" in column_names(conn, "cases")
        else "NULL, NULL"
    )

    def fill() -> None:
        conn.execute(f"DROP TABLE IF EXISTS temp.{CANDIDATES}")
        conn.execute(
            f"CREATE TEMP TABLE {CANDIDATES} (id INTEGER PRIMARY KEY, organisation_id, "
            "year_opened, reporter_role, level, relation, power_imbalance, outcome_key, "
            "experience)"
        )
        conn.execute(
            f"INSERT INTO temp.{CANDIDATES} SELECT c.id, c.organisation_id, "
            "CAST(substr(c.opened, 1, 4) AS INTEGER), c.reporter_role, c.level, c.relation, "
            f"c.power_imbalance, {outcome} FROM cases c{where}",
            params,
        )
        if counted_only:
            withdrawn = sorted(_withdrawn(conn, table_names(conn)))
            conn.executemany(
                f"DELETE FROM temp.{CANDIDATES} WHERE id = ?", [(i,) for i in withdrawn]
            )

    writable(fill)
    try:
        yield
    finally:
        writable(lambda: conn.execute(f"DROP TABLE IF EXISTS temp.{CANDIDATES}"))


def _protocol_grounds(conn: Connection, tables: set[str]) -> dict[int, list[tuple]]:
    """Disclosures per candidate case as (year, ground, count), when the protocol tables
    exist.

    A procedure counts once, in the year of its first disclosure step, under its ground as
    finally chosen (the `protocol_disclosures` view applies a ground chosen after opening);
    procedures that never disclosed (abandoned, in progress) and addenda are not counted.
    """
    if "procedures" not in tables:
        return {}
    rows = conn.execute(
        "SELECT d.case_id, CAST(substr(min(d.disclosed_at), 1, 4) AS INTEGER), d.ground "
        f"FROM {_JOIN} protocol_disclosures d ON d.case_id = k.id "
        "WHERE d.ground IS NOT NULL GROUP BY d.procedure_id"
    )
    per_case: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for case_id, year, ground in rows:
        per_case[int(case_id)].append((int(year), ground))
    return {case_id: list(per_year_counts(items)) for case_id, items in per_case.items()}


def _withdrawn(conn: Connection, tables: set[str]) -> set[int]:
    """Candidate cases whose reporter withdrew the consent to be counted (statistics is
    opt-out).

    A case is left out when it has a `statistics` consent and every one it has was withdrawn
    (a consent given again after a withdrawal counts the case again). A consent that a later
    one corrects (`corrects`) is not in force, as in the case's consent ledger.
    """
    if not {"consents", "consent_withdrawals"} <= tables:
        return set()
    sql = (
        "SELECT t.case_id, min(EXISTS (SELECT 1 FROM consent_withdrawals w "
        f"WHERE w.consent_id = t.id)) FROM {_JOIN} consents t ON t.case_id = k.id "
        "WHERE t.purpose = 'statistics' AND NOT EXISTS (SELECT 1 FROM consents c "
        "WHERE c.case_id = t.case_id AND c.corrects = t.id) GROUP BY t.case_id"
    )
    return {int(r[0]) for r in conn.execute(sql) if r[1]}


def live_records(
    conn: Connection,
    organisation_id: int | None = None,
    years: tuple[int, int] | None = None,
) -> list[StatRecord]:
    """The statistical records of the cases in the vault (one grouped query per fact).

    Args:
        conn: an open connection (inside `vault.reading()`).
        organisation_id: only this organisation's cases; None for all.
        years: (first, last): leave out cases that cannot count in those years (faster);
            None for every case.
    """
    return _derive(conn, *_case_filter(organisation_id, years))


def _derive(conn: Connection, where: str, params: tuple[Any, ...]) -> list[StatRecord]:
    """The records of the cases `where` chooses: the candidates are chosen once into a TEMP
    table, and each fact is one grouped query over the candidates' rows of one table, read
    by case through its `case_id` index."""
    with _candidates(conn, where, params):
        return _derive_candidates(conn)


def _derive_candidates(conn: Connection) -> list[StatRecord]:
    tables = table_names(conn)
    # (case_id, category) is the table's primary key: each row is one category of a case.
    categories = _grouped(
        conn,
        f"SELECT t.case_id, t.category FROM {_JOIN} case_categories t ON t.case_id = k.id",
    )
    accused = _grouped(
        conn,
        f"SELECT t.case_id, t.relation FROM {_JOIN} people t ON t.case_id = k.id "
        "WHERE t.role = 'accused'",
    )
    statuses = _grouped(
        conn,
        f"SELECT t.case_id, t.date, t.status FROM {_JOIN} case_status t ON t.case_id = k.id "
        "ORDER BY t.case_id, t.date, t.id",
    )
    talks = _grouped(
        conn,
        "SELECT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), count(*), "
        f"coalesce(sum(t.minutes), 0) FROM {_JOIN} conversations t ON t.case_id = k.id "
        "GROUP BY 1, 2",
    )
    routes = _grouped(
        conn,
        "SELECT DISTINCT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), t.route "
        f"FROM {_JOIN} routes t ON t.case_id = k.id",
    )
    referrals = _grouped(
        conn,
        "SELECT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), t.destination, count(*) "
        f"FROM {_JOIN} referrals t ON t.case_id = k.id GROUP BY 1, 2, 3",
    )
    grounds = _protocol_grounds(conn, tables)
    withdrawn = _withdrawn(conn, tables)
    route_outcomes, measures = _ended_routes(conn)
    names = organisation_names(conn)
    records = []
    for row in conn.execute(
        "SELECT id, organisation_id, year_opened, reporter_role, level, relation, "
        f"power_imbalance, outcome_key, experience FROM temp.{CANDIDATES}"
    ):
        case_id, org, year, role, level, relation, power, outcome_key, experience = row
        records.append(
            StatRecord(
                organisation=names.get(org),
                year_opened=int(year),
                categories=frozenset(top_level(c) for (c,) in categories.get(case_id, ())),
                role=role,
                level=level or UNKNOWN,
                relations=relations_of(relation, (r for (r,) in accused.get(case_id, ()))),
                power_imbalance=None if power is None else bool(power),
                year_end_status=year_end_statuses(statuses.get(case_id, ())),
                conversations=tuple(sorted(talks.get(case_id, ()))),
                routes=tuple(sorted(routes.get(case_id, ()))),
                referrals=tuple(sorted(referrals.get(case_id, ()))),
                protocol_grounds=tuple(sorted(grounds.get(case_id, ()))),
                statistics_withdrawn=case_id in withdrawn,
                outcome=outcome_key or UNKNOWN,
                experience=experience or UNKNOWN,
                route_outcomes=tuple(sorted(route_outcomes.get(case_id, ()))),
                measures=tuple(sorted(measures.get(case_id, ()))),
            )
        )
    return records


def _ended_routes(conn: Connection) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]]]:
    """Per candidate case, the routes that ended as (year, outcome, count) and (year,
    measure, count).

    A route without a recorded outcome counts as `unknown`; only routes with a measure count
    in the second. Before migration 0006 routes have neither: every ended route is unknown.
    """
    join = f" FROM {_JOIN} routes t ON t.case_id = k.id WHERE t.ended IS NOT NULL"
    year = "CAST(substr(t.ended, 1, 4) AS INTEGER)"
    has_outcomes = "measure" in column_names(conn, "routes")
    outcome = "coalesce(t.outcome, ?)" if has_outcomes else "?"
    outcomes = _grouped(
        conn, f"SELECT t.case_id, {year}, {outcome}, count(*){join} GROUP BY 1, 2, 3", (UNKNOWN,)
    )
    if not has_outcomes:
        return outcomes, {}
    measures = _grouped(
        conn,
        f"SELECT t.case_id, {year}, t.measure, count(*){join} "
        "AND t.measure IS NOT NULL GROUP BY 1, 2, 3",
    )
    return outcomes, measures


def activity_totals(
    conn: Connection, organisation_id: int | None, year: int
) -> dict[str, tuple[int, int]]:
    """The adviser's work outside cases in `year`: kind -> (number, minutes).

    Args:
        conn: an open connection.
        organisation_id: only this organisation's work; None for all of the vault.
        year: the calendar year (by the activity's date).

    Returns:
        The totals per kind; empty before migration 0006 (no `activities` table).
    """
    if "activities" not in table_names(conn):
        return {}
    sql = (
        "SELECT kind, count(*), coalesce(sum(minutes), 0) FROM activities "
        "WHERE date >= ? AND date < ?"
    )
    params: list[Any] = [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
    if organisation_id is not None:
        sql += " AND organisation_id = ?"
        params.append(organisation_id)
    rows = conn.execute(sql + " GROUP BY kind ORDER BY kind", params)
    return {str(kind): (int(number), int(minutes)) for kind, number, minutes in rows}


def record_for_case(conn: Connection, case_id: int) -> StatRecord | None:
    """The statistical record of one case (to keep it when the case is destroyed)."""
    found = _derive(conn, " WHERE c.id = ?", (case_id,))
    return found[0] if found else None


def keep_record(conn: Connection, case_id: int) -> bool:
    """Keeps the anonymous record of a case about to be destroyed (same transaction).

    A case whose reporter withdrew the consent to be counted leaves nothing behind.

    Returns:
        Whether a record was kept.

    Raises:
        RuntimeError: the vault has no table for kept records (a program fault).
    """
    record = record_for_case(conn, case_id)
    if record is None or record.statistics_withdrawn:
        return False
    if not has_report_tables(conn):
        raise RuntimeError("the vault has no table for kept statistical records")
    org = single_row(conn.execute("SELECT organisation_id FROM cases WHERE id = ?", (case_id,)))
    conn.execute(
        "INSERT INTO stat_records(organisation_id, year_opened, record) VALUES (?, ?, ?)",
        (org[0], record.year_opened, json.dumps(record.to_dict())),
    )
    return True


def kept_records(conn: Connection, organisation_id: int | None = None) -> list[StatRecord]:
    """The records kept for destroyed cases (none before migration 0004)."""
    if not has_report_tables(conn):
        return []
    sql = "SELECT record FROM stat_records"
    params: tuple[Any, ...] = ()
    if organisation_id is not None:
        sql += " WHERE organisation_id = ?"
        params = (organisation_id,)
    return [StatRecord.from_dict(json.loads(r[0])) for r in conn.execute(sql, params)]


@dataclass(frozen=True)
class PublishedReport:
    """A report as it was handed out.

    Attributes:
        id: its row id.
        year: the reported year.
        organisation: the organisation's name (None for a report over the whole vault).
        published_on: the day it was written out.
        threshold: k.
        form: "md", "csv", "json" or "pdf".
        document: the whole report as published (the JSON shape, with `previous`), plus
            `withheld` lists for the breakdowns hidden whole.
    """

    id: int
    year: int
    organisation: str | None
    published_on: dt.date
    threshold: int
    form: str
    document: ReportDocument


def insert_published(
    conn: Connection,
    *,
    year: int,
    organisation_id: int | None,
    published_on: dt.date,
    threshold: int,
    form: str,
    document: ReportDocument,
) -> int:
    """Records a report as published; returns its id."""
    cursor = conn.execute(
        "INSERT INTO published_reports(year, organisation_id, published_on, threshold, format, "
        "figures) VALUES (?, ?, ?, ?, ?, ?)",
        (year, organisation_id, published_on.isoformat(), threshold, form, json.dumps(document)),
    )
    return inserted_id(cursor)


def published(
    conn: Connection, *, organisation_id: int | None = None, year: int | None = None
) -> list[PublishedReport]:
    """Published reports, oldest first (none before migration 0004).

    Args:
        organisation_id: only this organisation's; None for reports of every organisation.
        year: only reports of this year.
    """
    if not has_report_tables(conn):
        return []
    sql = (
        "SELECT r.id, r.year, o.name, r.published_on, r.threshold, r.format, r.figures "
        "FROM published_reports r LEFT JOIN organisations o ON o.id = r.organisation_id"
    )
    clauses, params = [], []
    if organisation_id is not None:
        clauses.append("r.organisation_id = ?")
        params.append(organisation_id)
    if year is not None:
        clauses.append("r.year = ?")
        params.append(year)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY r.published_on, r.id"
    return [
        PublishedReport(
            int(r[0]),
            int(r[1]),
            r[2],
            dt.date.fromisoformat(r[3]),
            int(r[4]),
            r[5],
            json.loads(r[6]),
        )
        for r in conn.execute(sql, params)
    ]
