"""`EXPLAIN QUERY PLAN` of the case list's pages and counts and of the report's reads, on a
real encrypted vault of 200 generated cases (issue 19: queries that touch one page).

Every statement the vault functions run is recorded and its plan read back with the same
parameters, so a query added later is checked too. A page may not sort the whole table:
`USE TEMP B-TREE FOR ORDER BY` beside a `SCAN` of `cases` (or a search by an index that
keeps most cases: an organisation, `closed`) means every matching case is sorted on every
page. A count reads `cases` through a covering index or not at all (a category alone is
counted in the category index); the report may not scan a table of case
details whole (it reads them by case from its candidates), except once each in the one list
(`LIST SUBQUERY`) of cases with anything dated in the period that chooses the candidates:
one pass per table costs less than six lookups for each closed case. A failure prints the
plan.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.domain.cases import SORT_KEYS, CaseFilter
from confidant_tui.services import importing
from confidant_tui.vault import cases_query, stats_counts, stats_repo
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

REPO = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 11, 23, 23, 59)
DETAIL_TABLES = frozenset(
    {
        "case_categories",
        "people",
        "case_status",
        "conversations",
        "routes",
        "referrals",
        "consents",
        "consent_withdrawals",
        "procedures",
        "procedure_steps",
    }
)
"""Tables with rows per case: the report reads them by case, never whole."""
NAMED = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?", re.IGNORECASE)


def _generated(count: int) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "generate_cases", REPO / "benchmarks" / "generate_cases.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    document: dict[str, Any] = module.generate(count, seed=19)
    return document


@pytest.fixture
def generated(vault: Vault) -> Vault:
    importing.import_document(
        vault, _generated(200), now=NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    return vault


Plan = list[tuple[int, int, str]]


def plan_of(conn: Any, sql: str, params: tuple[Any, ...]) -> Plan:
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params)
    return [(int(r[0]), int(r[1]), str(r[3])) for r in rows]


class Recording:
    """A connection that remembers every query run through it, with its plan (read just
    before it runs: the report's TEMP table exists only meanwhile)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.seen: list[tuple[str, tuple[Any, ...], Plan]] = []

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        if sql.lstrip().upper().startswith(("SELECT", "WITH", "INSERT")):
            params = tuple(parameters)
            self.seen.append((sql, params, plan_of(self.conn, sql, params)))
        return self.conn.execute(sql, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def shown(sql: str, params: tuple[Any, ...], plan: Plan) -> str:
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, detail in plan:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * depth[node] + detail)
    return f"{' '.join(sql.split())}\n  params {params}\n" + "\n".join(lines)


def whole_sorts(plan: Plan, *, narrowing: bool) -> list[str]:
    """The ORDER BY sorts that sort every case (or every case an index search that keeps
    most cases found); a sort beside a search that narrows (a year, a live status) is
    allowed only when `narrowing`."""
    found = []
    for node, parent, detail in plan:
        if not detail.startswith("USE TEMP B-TREE FOR ORDER BY"):
            continue
        for other, other_parent, beside in plan:
            if other == node or other_parent != parent:
                continue
            if re.match(r"SCAN c\b", beside) or (re.match(r"SEARCH c\b", beside) and not narrowing):
                found.append(f"{detail} beside {beside}")
    return found


def selections() -> list[tuple[CaseFilter, bool]]:
    """Every sort x direction, alone and with each filter: (selection, narrowing)."""
    filters: list[tuple[dict[str, Any], bool]] = [
        ({}, False),
        ({"status": "open"}, True),
        ({"status": "closed"}, False),
        ({"year": 2024}, True),
        ({"organisation": ORGANISATION}, False),
        ({"category": "bullying"}, False),
        ({"category": "integrity", "year": 2024}, True),
    ]
    return [
        (CaseFilter(sort=sort, descending=down, limit=20, **chosen), narrowing)
        for sort in SORT_KEYS
        for down in (False, True)
        for chosen, narrowing in filters
    ]


def test_no_list_page_sorts_the_whole_table(generated: Vault) -> None:
    problems: list[str] = []
    checked = 0
    with generated.reading() as conn:
        for selection, narrowing in selections():
            recording = Recording(conn)
            rows = cases_query.summaries(recording, selection)
            deep = cases_query.summaries(recording, CaseFilter(**{**vars(selection), "offset": 60}))
            if rows:
                cases_query.summaries_after(recording, selection, rows[-1].id)
            assert rows or not deep
            for sql, params, plan in recording.seen:
                if "FROM cases c" in sql:  # the rule below looks for the alias `c`
                    assert any(re.match(r"(SCAN|SEARCH) c\b", d) for _n, _p, d in plan), sql
                checked += 1
                bad = whole_sorts(plan, narrowing=narrowing)
                if bad:
                    problems.append(f"{selection}: {bad}\n{shown(sql, params, plan)}")
    assert checked >= len(selections()) * 2
    assert not problems, "full-table sorts on a paging path:\n\n" + "\n\n".join(problems)


def test_counts_read_indexes_not_the_table(generated: Vault) -> None:
    problems: list[str] = []
    with generated.reading() as conn:
        for selection, _narrowing in selections():
            if selection.sort != "opened" or selection.descending:
                continue
            recording = Recording(conn)
            assert cases_query.count(recording, selection) >= 0
            for sql, params, plan in recording.seen:
                for _node, _parent, detail in plan:
                    reads = re.match(r"(SCAN|SEARCH) c\b", detail)
                    if reads and "COVERING INDEX" not in detail:
                        problems.append(f"{selection}: {detail}\n{shown(sql, params, plan)}")
    assert not problems, "counts that scan the cases:\n\n" + "\n\n".join(problems)


def _tables_named(sql: str) -> dict[str, str]:
    """alias (or name) -> table, from the FROM and JOIN clauses of a statement."""
    named: dict[str, str] = {}
    for table, alias in NAMED.findall(sql):
        named[table.lower()] = table.lower()
        if alias and alias.upper() not in {"WHERE", "ON", "JOIN", "LEFT", "GROUP", "ORDER"}:
            named[alias.lower()] = table.lower()
    return named


def _under_list_subquery(plan: Plan) -> set[int]:
    """The nodes of a plan that belong to a non-correlated `LIST SUBQUERY` (run once)."""
    inside: set[int] = set()
    for node, parent, detail in plan:
        if detail.startswith("LIST SUBQUERY") or parent in inside:
            inside.add(node)
    return inside


def test_the_report_reads_case_details_by_case(generated: Vault) -> None:
    problems: list[str] = []
    with generated.reading() as conn:
        recording = Recording(conn)
        org = int(single_row(conn.execute("SELECT id FROM organisations"))[0])
        for organisation in (org, None):
            for years in ((2024, 2025), None):
                assert stats_repo.live_records(recording, organisation, years)
            stats_repo.kept_records(recording, organisation)
            stats_repo.activity_totals(recording, organisation, 2025)
            stats_repo.published(recording, organisation_id=organisation, year=2024)
            assert stats_counts.live_figures(recording, organisation, (2024, 2025))
        assert len(recording.seen) >= 10
        choosing = [seen for seen in recording.seen if "INSERT INTO temp.report_cand" in seen[0]]
        assert choosing, "the candidates were chosen"
        for sql, params, plan in recording.seen:
            named = _tables_named(sql)
            listed = _under_list_subquery(plan)
            for node, _parent, detail in plan:
                if node in listed:
                    continue
                scan = re.match(r"SCAN (\w+)", detail)
                if scan and named.get(scan.group(1).lower(), scan.group(1)) in DETAIL_TABLES:
                    problems.append(f"{detail}\n{shown(sql, params, plan)}")
    assert not problems, "report queries that scan a detail table whole:\n\n" + "\n\n".join(
        problems
    )
