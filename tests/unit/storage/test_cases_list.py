"""The home list: summaries without notes, filters, sorting, paging and counts."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFilter
from confidant_tui.services import cases, demo_data
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(vault: Vault) -> Vault:
    assert (
        demo_data.load_demo_cases(
            vault, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
        == 13
    )
    return vault


def codes(vault: Vault, **selection: object) -> list[str]:
    return [s.code for s in cases.list_cases(vault, CaseFilter(**selection))]  # type: ignore[arg-type]


def test_the_default_list_is_newest_first_with_the_summary_facts(demo: Vault) -> None:
    rows = cases.list_cases(demo)
    assert [r.code for r in rows][:3] == ["2026-004", "2026-003", "2026-002"]
    assert len(rows) == 13 == cases.count_cases(demo)
    row = next(r for r in rows if r.code == "2026-003")
    assert row.status == "open" and row.status_date == dt.date(2026, 10, 12)
    assert row.categories == ("bullying", "aggression.verbal")
    assert row.next_follow_up == dt.date(2026, 11, 25)
    assert row.organisation == "Mijn organisatie"
    assert row.reporter_alias == "Salie"
    assert not hasattr(row, "notes")


def test_filters_by_status_year_category_and_organisation(demo: Vault) -> None:
    assert codes(demo, status="aftercare", sort="code", descending=False) == [
        "2025-001",
        "2025-005",
    ]
    assert codes(demo, year=2024, sort="code", descending=False) == [
        "2024-001",
        "2024-002",
        "2024-003",
        "2024-004",
    ]
    assert codes(demo, category="bullying", sort="code") == ["2026-003", "2024-003"]
    integrity = codes(demo, category="integrity", sort="code")
    assert integrity == ["2026-002", "2024-004"]
    assert codes(demo, category="integrity.gifts") == ["2026-002"]
    assert codes(demo, category="integ") == []
    assert codes(demo, organisation="Mijn organisatie", year=2026, status="open") == [
        "2026-004",
        "2026-003",
        "2026-002",
        "2026-001",
    ]
    assert codes(demo, organisation="Elders") == []
    assert cases.count_cases(demo, CaseFilter(status="closed", year=2025)) == 3


def test_sorting_by_follow_up_puts_cases_without_one_last(demo: Vault) -> None:
    rows = cases.list_cases(demo, CaseFilter(sort="follow_up", descending=False))
    dates = [r.next_follow_up for r in rows]
    known = [d for d in dates if d is not None]
    assert known == sorted(known)
    assert dates[-3:] == [None, None, None]
    down = [r.next_follow_up for r in cases.list_cases(demo, CaseFilter(sort="follow_up"))]
    assert [d for d in down if d] == sorted(known, reverse=True) and down[-1] is None


def test_paging_walks_every_case_once(demo: Vault) -> None:
    seen: list[str] = []
    for offset in range(0, 15, 5):
        seen += codes(demo, sort="code", descending=False, offset=offset, limit=5)
    assert seen == sorted(seen) and len(set(seen)) == 13
    assert codes(demo, limit=0) == []
    assert len(codes(demo, limit=None)) == 13
    assert cases.count_cases(demo, CaseFilter(offset=10, limit=1)) == 13


def test_sorting_by_status_follows_the_workflow(demo: Vault) -> None:
    statuses = [
        r.status for r in cases.list_cases(demo, CaseFilter(sort="status", descending=False))
    ]
    assert statuses == sorted(statuses, key=("open", "aftercare", "closed").index)
    assert statuses[0] == "open" and statuses[-1] == "closed" and "aftercare" in statuses
    down = [r.status for r in cases.list_cases(demo, CaseFilter(sort="status"))]
    assert down == statuses[::-1]


def test_the_list_query_uses_indexes(demo: Vault) -> None:
    with demo.reading() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE status = ? ORDER BY opened DESC",
                ("open",),
            )
        )
    assert "cases_status" in plan
