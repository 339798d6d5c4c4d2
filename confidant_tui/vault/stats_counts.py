"""Provides `live_figures`: the yearly report's exact counts of the live cases, by grouped SQL.

`domain.report.count_year` counts `StatRecord`s one by one; at 50k cases building 15k
records in Python took most of a report's second. Here SQLite does the same counting over
the TEMP table of candidate cases (`stats_repo.counted_candidates`), one grouped query per
figure, and hands back only the tallies. The rules are those of `StatRecord` and
`count_year`, restated in SQL; `tests/unit/storage/test_report_counts.py` checks on a
generated vault that both give the same figures for every organisation and year. The kept
records of destroyed cases are still counted by `count_year` and added
(`domain.report.add_figures`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from confidant_tui.domain.report import BREAKDOWNS, ReportFigures
from confidant_tui.domain.statistics import UNKNOWN
from confidant_tui.vault.stats_repo import column_names, counted_candidates, table_names
from confidant_tui.vault.store import Connection

_TOP_LEVEL = (
    "CASE WHEN instr(t.category, '.') > 0 "
    "THEN substr(t.category, 1, instr(t.category, '.') - 1) ELSE t.category END"
)
"""`statistics.top_level` in SQL: the key before the first dot."""


def _year(column: str) -> str:
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


class _Tally:
    """The figures of the years counted, filled query by query."""

    def __init__(self, years: tuple[int, ...]) -> None:
        self.years = years
        self.counts: dict[int, Counter[str]] = {year: Counter() for year in years}
        self.breakdowns: dict[int, dict[str, Counter[str]]] = {
            year: defaultdict(Counter) for year in years
        }

    def count(self, year: int, name: str, number: int) -> None:
        if year in self.counts:
            self.counts[year][name] += int(number)

    def add(self, year: int, breakdown: str, key: str, number: int) -> None:
        if year in self.breakdowns:
            self.breakdowns[year][breakdown][key] += int(number)

    def figures(self, year: int) -> ReportFigures:
        counts, tallies = self.counts[year], self.breakdowns[year]
        return ReportFigures(
            year=year,
            cases_opened=counts["cases_opened"],
            open_at_end=counts["open_at_end"],
            conversations=counts["conversations"],
            minutes=counts["minutes"],
            cases_closed=counts["cases_closed"],
            routes_ended=counts["routes_ended"],
            breakdowns={
                name: {key: n for key, n in sorted(tallies[name].items()) if n > 0}
                for name in BREAKDOWNS
            },
        )


def live_figures(
    conn: Connection, organisation_id: int | None, years: tuple[int, int]
) -> dict[int, ReportFigures]:
    """The exact figures of the live cases for each of `years` (first, last), without the
    adviser's activities and without the kept records of destroyed cases.

    Args:
        conn: an open connection (inside `vault.reading()`).
        organisation_id: only this organisation's cases; None for all.
        years: (first, last) calendar year, both counted.
    """
    counted = tuple(range(years[0], years[1] + 1))
    tally = _Tally(counted)
    with counted_candidates(conn, organisation_id, years) as candidates:
        _cases_opened(conn, candidates, counted, tally)
        _year_ends(conn, candidates, counted, tally)
        _dated(conn, candidates, counted, tally)
    return {year: tally.figures(year) for year in counted}


def _in_years(counted: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(int(year)) for year in counted) + ")"


def _cases_opened(
    conn: Connection, candidates: str, counted: tuple[int, ...], tally: _Tally
) -> None:
    """The cases opened in each year and their one-key and many-key breakdowns."""
    opened = f"{candidates} k WHERE k.year_opened IN {_in_years(counted)}"
    for year, role, level, power, number in conn.execute(
        "SELECT k.year_opened, k.reporter_role, coalesce(nullif(k.level, ''), ?), "
        "CASE WHEN k.power_imbalance IS NULL THEN ? WHEN k.power_imbalance THEN 'true' "
        f"ELSE 'false' END, count(*) FROM {opened} GROUP BY 1, 2, 3, 4",
        (UNKNOWN, UNKNOWN),
    ):
        tally.count(year, "cases_opened", number)
        tally.add(year, "by_role", role, number)
        tally.add(year, "by_level", level, number)
        tally.add(year, "power_imbalance", power, number)
    for year, category, number in conn.execute(
        f"SELECT k.year_opened, {_TOP_LEVEL}, count(DISTINCT k.id) FROM {candidates} k "
        f"CROSS JOIN case_categories t ON t.case_id = k.id "
        f"WHERE k.year_opened IN {_in_years(counted)} GROUP BY 1, 2"
    ):
        tally.add(year, "by_category", category, number)
    # `statistics.relations_of`: each accused's relation (unknown when not recorded), the
    # case's own relation when given; a case with neither counts as unknown.
    for year, relation, number in conn.execute(
        "SELECT y, r, count(*) FROM ("
        "SELECT k.id, k.year_opened AS y, coalesce(nullif(p.relation, ''), ?) AS r "
        f"FROM {candidates} k CROSS JOIN people p ON p.case_id = k.id "
        f"WHERE k.year_opened IN {_in_years(counted)} AND p.role = 'accused' "
        "UNION SELECT k.id, k.year_opened, k.relation "
        f"FROM {opened} AND k.relation IS NOT NULL AND k.relation != '' "
        f"UNION SELECT k.id, k.year_opened, ? FROM {opened} "
        "AND (k.relation IS NULL OR k.relation = '') AND NOT EXISTS "
        "(SELECT 1 FROM people p WHERE p.case_id = k.id AND p.role = 'accused')"
        ") GROUP BY 1, 2",
        (UNKNOWN, UNKNOWN),
    ):
        tally.add(year, "by_relation", relation, number)


def _year_ends(conn: Connection, candidates: str, counted: tuple[int, ...], tally: _Tally) -> None:
    """The cases still open on 31 December of each year counted, and those closed in it (the
    last change dated in the year closed them) with their outcome and experience, in one
    pass over the candidates.

    For each case and year, the last status change before the year's end (latest date,
    within a day the change recorded last, as `year_end_statuses`) says both: none yet, or
    not `closed`, is open at the end (when opened by then); `closed` and dated in the year
    is closed in it; `closed` before the year is neither.
    """
    states, params = [], []
    for year in counted:
        states.append(
            "(SELECT CASE WHEN s.status != 'closed' THEN 'open' WHEN s.date >= ? THEN 'closed' "
            "ELSE 'before' END FROM case_status s WHERE s.case_id = k.id AND s.date < ? "
            "ORDER BY s.date DESC, s.id DESC LIMIT 1)"
        )
        params += [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
    grouped = ", ".join(str(n) for n in range(1, 4 + len(counted)))
    for row in conn.execute(
        "SELECT k.year_opened, coalesce(nullif(k.outcome_key, ''), ?), "
        f"coalesce(nullif(k.experience, ''), ?), {', '.join(states)}, count(*) "
        f"FROM {candidates} k GROUP BY {grouped}",
        (UNKNOWN, UNKNOWN, *params),
    ):
        opened, outcome, experience, number = row[0], row[1], row[2], row[-1]
        for year, state in zip(counted, row[3:-1], strict=True):
            if state == "closed":
                tally.count(year, "cases_closed", number)
                tally.add(year, "by_outcome", outcome, number)
                tally.add(year, "by_experience", experience, number)
            elif state != "before" and opened <= year:
                tally.count(year, "open_at_end", number)


def _dated(conn: Connection, candidates: str, counted: tuple[int, ...], tally: _Tally) -> None:
    """What is counted in the year it is dated: conversations, routes, referrals, protocol
    disclosures, and the routes that ended with their outcome and measure."""
    join = f"FROM {candidates} k CROSS JOIN"
    within = f"WHERE y IN {_in_years(counted)}"
    for year, number, minutes in conn.execute(
        f"SELECT y, count(*), coalesce(sum(m), 0) FROM (SELECT {_year('t.date')} AS y, "
        f"t.minutes AS m {join} conversations t ON t.case_id = k.id) {within} GROUP BY 1"
    ):
        tally.count(year, "conversations", number)
        tally.count(year, "minutes", minutes)
    for year, route, number in conn.execute(
        f"SELECT y, r, count(*) FROM (SELECT DISTINCT k.id, {_year('t.date')} AS y, "
        f"t.route AS r {join} routes t ON t.case_id = k.id) {within} GROUP BY 1, 2"
    ):
        tally.add(year, "by_route", route, number)
    for year, destination, number in conn.execute(
        f"SELECT y, d, count(*) FROM (SELECT {_year('t.date')} AS y, t.destination AS d "
        f"{join} referrals t ON t.case_id = k.id) {within} GROUP BY 1, 2"
    ):
        tally.add(year, "by_referral", destination, number)
    tables = table_names(conn)
    if "procedures" in tables:
        # A procedure counts once, in the year of its first disclosure, under its ground as
        # finally chosen (`stats_repo._protocol_grounds`).
        for year, ground, number in conn.execute(
            f"SELECT y, g, count(*) FROM (SELECT {_year('min(d.disclosed_at)')} AS y, "
            f"d.ground AS g {join} protocol_disclosures d ON d.case_id = k.id "
            f"WHERE d.ground IS NOT NULL GROUP BY d.procedure_id) {within} GROUP BY 1, 2"
        ):
            tally.add(year, "by_protocol_ground", ground, number)
    _ended_routes(conn, join, within, tally)


def _ended_routes(conn: Connection, join: str, within: str, tally: _Tally) -> None:
    has_outcomes = "measure" in column_names(conn, "routes")
    outcome = "coalesce(t.outcome, ?)" if has_outcomes else "?"
    params: tuple[Any, ...] = (UNKNOWN,)
    ended = f"{join} routes t ON t.case_id = k.id WHERE t.ended IS NOT NULL"
    for year, key, number in conn.execute(
        f"SELECT y, o, count(*) FROM (SELECT {_year('t.ended')} AS y, {outcome} AS o "
        f"{ended}) {within} GROUP BY 1, 2",
        params,
    ):
        tally.count(year, "routes_ended", number)
        tally.add(year, "by_route_outcome", key, number)
    if not has_outcomes:
        return
    for year, key, number in conn.execute(
        f"SELECT y, m, count(*) FROM (SELECT {_year('t.ended')} AS y, t.measure AS m "
        f"{ended} AND t.measure IS NOT NULL) {within} GROUP BY 1, 2"
    ):
        tally.add(year, "by_measure", key, number)
