"""`EXPLAIN QUERY PLAN` of the yearly report's counting (issue 19): the candidate cases and
their columns come from the index `cases_report` (migration 14) alone, for the whole vault and
for one organisation, and no statement of the count reads the rows of `cases` (their long
texts did not fit in the page cache: at 50,000 cases most of a report's decrypting)."""

from __future__ import annotations

import re

from confidant_tui.vault import stats_counts
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.store import Vault
from tests.unit.vault.test_query_plans import Recording, _tables_named, generated, shown

__all__ = ["generated"]  # the fixture, used by name below


def test_the_report_counts_from_the_index_not_the_rows_of_cases(generated: Vault) -> None:
    problems: list[str] = []
    with generated.reading() as conn:
        org = int(single_row(conn.execute("SELECT id FROM organisations"))[0])
        for organisation in (None, org):
            for years in ((2024, 2025), (2019, 2020)):
                recording = Recording(conn)
                figures = stats_counts.live_figures(recording, organisation, years)
                assert any(f.cases_opened for f in figures.values()), (organisation, years)
                choosing = [s for s in recording.seen if "INSERT INTO temp.report_cand" in s[0]]
                assert len(choosing) == 1, (organisation, years)
                for sql, params, plan in recording.seen:
                    named = _tables_named(sql)
                    for _node, _parent, detail in plan:
                        reads = re.match(r"(?:SCAN|SEARCH) (\w+)", detail)
                        table = reads and named.get(reads.group(1).lower(), reads.group(1))
                        if table == "cases" and "COVERING INDEX cases_report" not in detail:
                            problems.append(f"{detail}\n{shown(sql, params, plan)}")
                _sql, _params, plan = choosing[0]
                details = " | ".join(detail for _n, _p, detail in plan)
                assert "COVERING INDEX cases_report" in details, details
    assert not problems, "report reads of the rows of cases:\n\n" + "\n\n".join(problems)
