"""Keyset paging of the home list (`cases_query.summaries_after`): page after page it gives
exactly the rows of the whole list, in the order the adviser sees (issue 19)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.domain.cases import SORT_KEYS, STATUSES, CaseFilter, CaseSummary
from confidant_tui.errors import NotFound
from confidant_tui.services import importing
from confidant_tui.vault import cases_query
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

REPO = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 11, 23, 23, 59)
FILTERS: list[dict[str, Any]] = [
    {},
    {"status": "closed"},
    {"status": "open"},
    {"status": "aftercare"},
    {"year": 2023},
    {"organisation": ORGANISATION},
    {"category": "integrity"},
    {"category": "bullying", "status": "closed"},
]


@pytest.fixture
def generated(vault: Vault) -> Vault:
    spec = importlib.util.spec_from_file_location(
        "generate_cases", REPO / "benchmarks" / "generate_cases.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    document = module.generate(150, seed=11, first_year=2021)
    importing.import_document(
        vault, document, now=NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    with vault.transaction() as conn:  # ties on the opening day and on the follow-up
        conn.execute("UPDATE cases SET opened = '2023-05-01' WHERE id % 9 = 0 AND year = 2023")
        conn.execute("UPDATE cases SET next_follow_up = NULL WHERE id % 4 = 0")
        conn.execute("UPDATE cases SET next_follow_up = '2026-12-01' WHERE id % 7 = 0")
        # the list reads the denormalised status: all three, for the workflow order
        conn.execute("UPDATE cases SET status = 'aftercare' WHERE id % 5 = 0 AND status = 'open'")
    return vault


def reference(rows: list[CaseSummary], sort: str, descending: bool) -> list[str]:
    """The documented order, worked out in Python (stable sorts, last term first)."""

    def number(row: CaseSummary) -> tuple[int, int]:
        year, seq = row.code.split("-")
        return int(year), int(seq)

    ordered = list(rows)
    if sort == "code":
        ordered.sort(key=number, reverse=descending)
    elif sort == "opened":
        ordered.sort(key=lambda r: (r.opened, *number(r)), reverse=descending)
    elif sort == "status":
        ordered.sort(key=lambda r: (r.opened, number(r)[1], number(r)[0]), reverse=True)
        ordered.sort(key=lambda r: STATUSES.index(r.status), reverse=descending)
    else:
        ordered.sort(key=number)
        dated = [r for r in ordered if r.next_follow_up is not None]
        dated.sort(key=lambda r: r.next_follow_up or dt.date.min, reverse=descending)
        ordered = dated + [r for r in ordered if r.next_follow_up is None]
    return [r.code for r in ordered]


def test_keyset_pages_give_the_whole_list_in_the_offered_order(generated: Vault) -> None:
    with generated.reading() as conn:
        checked = 0
        for chosen in FILTERS:
            for sort in SORT_KEYS:
                for descending in (False, True):
                    every = CaseFilter(sort=sort, descending=descending, limit=None, **chosen)
                    whole = cases_query.summaries(conn, every)
                    assert [r.code for r in whole] == reference(whole, sort, descending)
                    assert len(whole) == cases_query.count(conn, every)
                    page = CaseFilter(sort=sort, descending=descending, limit=7, **chosen)
                    paged = cases_query.summaries(conn, page)
                    while paged and len(paged) % 7 == 0:
                        following = cases_query.summaries_after(conn, page, paged[-1].id)
                        if not following:
                            break
                        assert len(following) <= 7
                        paged += following
                    assert paged == whole, (chosen, sort, descending)
                    offset = cases_query.summaries(conn, CaseFilter(**{**vars(page), "offset": 7}))
                    if whole:
                        assert offset == cases_query.summaries_after(conn, page, whole[6].id)
                    checked += len(whole)
        assert checked > 1500


def test_the_rest_of_the_list_without_a_limit_and_a_case_that_is_gone(generated: Vault) -> None:
    with generated.reading() as conn:
        whole = cases_query.summaries(conn, CaseFilter(limit=None))
        rest = cases_query.summaries_after(conn, CaseFilter(limit=None), whole[9].id)
        assert rest == whole[10:]
        assert cases_query.summaries_after(conn, CaseFilter(limit=0), whole[9].id) == []
        assert cases_query.summaries_after(conn, CaseFilter(), whole[-1].id) == []
        with pytest.raises(NotFound):
            cases_query.summaries_after(conn, CaseFilter(), 999_999)
