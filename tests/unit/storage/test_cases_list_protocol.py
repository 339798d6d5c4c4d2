"""The home list says which cases have a protocol procedure, with an indexed lookup."""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.cases import CaseFacts, CaseFilter, Intake
from confidant_tui.services import cases
from confidant_tui.services.protocol import open_procedure
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 2, 16, 0)


def _case(vault: Vault, day: int) -> int:
    facts = CaseFacts("employee", ("bullying",))
    case = cases.create_case(
        vault,
        Intake(dt.date(2025, 5, day), facts),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    return case.id


def test_list_cases_marks_only_the_case_with_a_procedure(vault: Vault) -> None:
    plain, with_protocol, undecided = _case(vault, 1), _case(vault, 2), _case(vault, 3)
    assert not any(row.has_protocol for row in cases.list_cases(vault))

    open_procedure(vault, with_protocol, "conscientious_distress", now=NOW)
    open_procedure(vault, undecided, None, now=NOW)  # ground not chosen yet: still marked
    marked = {row.id: row.has_protocol for row in cases.list_cases(vault)}
    assert marked == {plain: False, with_protocol: True, undecided: True}

    # Every sort order and a page in the middle carry the same flag.
    for sort in ("code", "status", "follow_up"):
        rows = cases.list_cases(vault, CaseFilter(sort=sort, offset=1, limit=1))
        [row] = rows
        assert row.has_protocol == marked[row.id]


def test_the_protocol_lookup_uses_the_index_on_procedures(vault: Vault) -> None:
    with vault.reading() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM procedures p "
                "WHERE p.case_id = c.id) FROM cases c"
            ).fetchall()
        )
    assert "USING COVERING INDEX procedures_case" in plan, plan
