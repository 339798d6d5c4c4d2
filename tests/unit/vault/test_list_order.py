"""The case list's status order (issue 20): the workflow (open, aftercare, closed) in both
directions, on the demo in a real encrypted vault, through the index of migration 12 (the
query-plan test checks that no page sorts the table; `tests/unit/storage/test_cases_keyset.py`
walks every sort's keyset pages in both directions)."""

from __future__ import annotations

import itertools
import re

from confidant_tui.domain.cases import STATUSES, CaseFilter
from confidant_tui.services import demo_data
from confidant_tui.services.demo_data import DEMO_TODAY
from confidant_tui.vault import cases_query
from confidant_tui.vault.migrations import all_migrations
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY


def test_the_migration_indexes_the_expression_the_query_sorts_by() -> None:
    [step] = [m for m in all_migrations() if m.version == 12]
    indexed = re.findall(r"\(CASE status [^)]*END\)", step.sql)
    assert len(indexed) == 2
    assert set(indexed) == {cases_query.STATUS_RANK.replace("c.status", "status")}
    assert "WHEN 'open' THEN 0 WHEN 'aftercare' THEN 1 ELSE 2" in cases_query.STATUS_RANK
    assert STATUSES == ("open", "aftercare", "closed")


def test_sorting_by_status_follows_the_workflow_both_ways(vault: Vault) -> None:
    demo_data.load_demo_cases(
        vault, today=DEMO_TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    with vault.reading() as conn:
        up = cases_query.summaries(conn, CaseFilter(sort="status", descending=False, limit=None))
        down = cases_query.summaries(conn, CaseFilter(sort="status", descending=True, limit=None))
        paged = cases_query.summaries(conn, CaseFilter(sort="status", descending=False, limit=4))
        paged += cases_query.summaries_after(
            conn, CaseFilter(sort="status", descending=False, limit=None), paged[-1].id
        )
    groups = [s.status for i, s in enumerate(up) if i == 0 or up[i - 1].status != s.status]
    assert groups == ["open", "aftercare", "closed"]
    groups = [s.status for i, s in enumerate(down) if i == 0 or down[i - 1].status != s.status]
    assert groups == ["closed", "aftercare", "open"]
    assert [s.id for s in paged] == [s.id for s in up]
    for rows in (up, down):  # newest first within a status, either way
        for one, two in itertools.pairwise(rows):
            assert one.status != two.status or one.opened >= two.opened
