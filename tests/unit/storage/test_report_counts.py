"""The report's figures counted by SQL (`stats_counts.live_figures`) equal those that
`count_year` counts from the records of the same cases, on a generated vault with consents
(withdrawn and given again), protocol disclosures, outcomes, route outcomes and measures,
for every organisation and pair of years; and the kept records add up with them."""

from __future__ import annotations

import random

from confidant_tui.domain.report import ReportFigures, add_figures, count_year
from confidant_tui.domain.statistics import StatRecord
from confidant_tui.vault import stats_repo
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.stats_counts import live_figures
from confidant_tui.vault.store import Vault
from tests.unit.storage.test_report_derivation import generated  # noqa: F401  (fixture)


def _odd_facts(vault: Vault) -> None:
    """What the generator does not make: empty relations and levels, accused without
    relation, a case relation beside accused ones, cases with neither, and two status
    changes on one day (the one recorded last counts)."""
    rng = random.Random(7)
    with vault.transaction() as conn:
        ids = [int(r[0]) for r in conn.execute("SELECT id FROM cases ORDER BY id")]
        for case_id in rng.sample(ids, 40):
            conn.execute(
                "UPDATE cases SET relation = ?, level = ? WHERE id = ?",
                (rng.choice(("", None, "manager")), rng.choice(("", None)), case_id),
            )
        conn.execute(
            "UPDATE people SET relation = CASE WHEN id % 5 = 0 THEN '' "
            "WHEN id % 7 = 0 THEN NULL ELSE relation END"
        )
        conn.execute("DELETE FROM people WHERE role = 'accused' AND case_id % 11 = 0")
        for case_id in rng.sample(ids, 60):
            day = f"{rng.choice((2024, 2025))}-12-{rng.randint(10, 31)}"
            first, then = rng.choice(
                (("closed", "open"), ("open", "closed"), ("closed", "aftercare"))
            )
            for status in (first, then):
                conn.execute(
                    "INSERT INTO case_status(case_id, status, date) VALUES (?, ?, ?)",
                    (case_id, status, day),
                )


def test_sql_counts_equal_the_counts_of_the_records(generated: Vault) -> None:  # noqa: F811
    _odd_facts(generated)
    with generated.reading() as conn:
        org = int(single_row(conn.execute("SELECT id FROM organisations"))[0])
        compared = 0
        for organisation in (None, org, org + 1):
            for years in ((2019, 2020), (2022, 2023), (2024, 2025), (2025, 2026), (2030, 2031)):
                records = stats_repo.live_records(conn, organisation, years)
                by_sql = live_figures(conn, organisation, years)
                for year in years:
                    expected = count_year(records, year)
                    assert by_sql[year] == expected, (organisation, year)
                    compared += expected.cases_opened + expected.conversations
        assert compared > 500
        left = conn.execute("SELECT name FROM sqlite_temp_master").fetchall()
        assert left == []


BEFORE = (
    "c.opened < ? AND (c.opened >= ? OR c.status != 'closed' "
    "OR EXISTS (SELECT 1 FROM case_status s WHERE s.case_id = c.id AND s.date >= ?) "
    "OR EXISTS (SELECT 1 FROM conversations s WHERE s.case_id = c.id AND s.date >= ?) "
    "OR EXISTS (SELECT 1 FROM routes s WHERE s.case_id = c.id AND s.date >= ?) "
    "OR EXISTS (SELECT 1 FROM routes s WHERE s.case_id = c.id AND s.ended >= ?) "
    "OR EXISTS (SELECT 1 FROM referrals s WHERE s.case_id = c.id AND s.date >= ?) "
    "OR EXISTS (SELECT 1 FROM procedures s WHERE s.case_id = c.id))"
)
"""The candidate filter before it read each table once (commit 5d911bf)."""


def test_the_candidate_filter_chooses_the_cases_it_chose_before(generated: Vault) -> None:  # noqa: F811
    with generated.reading() as conn:
        org = int(single_row(conn.execute("SELECT id FROM organisations"))[0])
        for organisation in (None, org, org + 1):
            for years in ((2019, 2020), (2024, 2025), (2025, 2026)):
                where, params = stats_repo._case_filter(organisation, years)
                now = conn.execute(f"SELECT c.id FROM cases c{where}", params).fetchall()
                chosen, old = BEFORE, list(params)
                if organisation is not None:  # now `+c.organisation_id` (migration 14)
                    chosen, old = f"c.organisation_id = ? AND {BEFORE}", [organisation, *old[1:]]
                before = conn.execute(f"SELECT c.id FROM cases c WHERE {chosen}", old).fetchall()
                assert sorted(now) == sorted(before), (organisation, years)
                assert before or organisation == org + 1, (organisation, years)


def test_withdrawn_cases_are_left_out_of_every_sql_count(generated: Vault) -> None:  # noqa: F811
    with generated.reading() as conn:
        records = stats_repo.live_records(conn, None, (2024, 2025))
        withdrawn = [r for r in records if r.statistics_withdrawn]
        assert withdrawn
        everyone = [StatRecord(**{**r.__dict__, "statistics_withdrawn": False}) for r in records]
        by_sql = live_figures(conn, None, (2024, 2025))
    assert by_sql[2025] == count_year(records, 2025)
    assert by_sql[2025] != count_year(everyone, 2025) or by_sql[2024] != count_year(everyone, 2024)


def test_kept_and_live_figures_add_up(generated: Vault) -> None:  # noqa: F811
    with generated.reading() as conn:
        records = stats_repo.live_records(conn, None, (2024, 2025))
    half = len(records) // 2
    first, second = records[:half], records[half:]
    for year in (2024, 2025):
        summed = add_figures(count_year(first, year), count_year(second, year, {"talk": (2, 90)}))
        assert summed == count_year(records, year, {"talk": (2, 90)})
    try:
        add_figures(ReportFigures(year=2024), ReportFigures(year=2025))
    except ValueError:
        pass
    else:
        raise AssertionError("figures of different years were added")
