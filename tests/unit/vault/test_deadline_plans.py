"""`EXPLAIN QUERY PLAN` of the deadlines' reads (issue 19): every unlock reads them, and at
50,000 cases (most of them closed) a read that walks the cases table costs hundreds of
milliseconds. The live cases and their routes are found through the status index; the
closed cases' closing days come from the partial index `cases_closed` (migration 13)
without touching the table; nothing else reads `cases` or `routes` whole."""

from __future__ import annotations

import re

from confidant_tui.services import deadlines
from confidant_tui.vault.store import Vault
from tests.unit.vault.test_query_plans import Recording, generated, shown

__all__ = ["generated"]  # the fixture, used by name below


def test_the_deadlines_never_walk_the_cases(generated: Vault) -> None:
    problems: list[str] = []
    with generated.reading() as conn:
        recording = Recording(conn)
        facts = deadlines._read_vault_facts(recording, None)
        assert facts.cases and facts.closed  # the generated vault has both kinds
        for sql, params, plan in recording.seen:
            for _node, _parent, detail in plan:
                walks = re.match(r"SCAN (cases|c|routes|r)\b", detail)
                if walks and "COVERING INDEX cases_closed" not in detail:
                    problems.append(f"{detail}\n{shown(sql, params, plan)}")
            if "status = 'closed'" in sql:
                details = " | ".join(detail for _n, _p, detail in plan)
                if "COVERING INDEX cases_closed" not in details:
                    problems.append(
                        f"closed cases not from their index\n{shown(sql, params, plan)}"
                    )
    assert not problems, "deadline reads that walk a table:\n\n" + "\n\n".join(problems)
