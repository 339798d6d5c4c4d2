"""The report's records from the TEMP table of candidates equal those of the derivation
before it (issue 19), on a generated vault with consents, protocol disclosures, route
outcomes and measures: the figures cannot change.

The reference below is `stats_repo._derive` and its helpers as of commit 952109b (each
fact joined against every chosen case with the filter repeated), kept verbatim apart
from the names.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.domain.statistics import (
    UNKNOWN,
    StatRecord,
    per_year_counts,
    relations_of,
    top_level,
    year_end_statuses,
)
from confidant_tui.services import importing
from confidant_tui.vault import stats_repo
from confidant_tui.vault.connection import single_row
from confidant_tui.vault.stats_repo import (
    _case_filter,
    column_names,
    organisation_names,
    table_names,
)
from confidant_tui.vault.store import Connection, Vault
from tests.conftest import ORGANISATION, TAXONOMY

REPO = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 11, 23, 23, 59)

# -- the reference: stats_repo as of commit 952109b ---------------------------------------


def old_grouped(conn: Connection, sql: str, params: tuple[Any, ...]) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    for row in conn.execute(sql, params):
        found[int(row[0])].append(tuple(row[1:]))
    return found


def old_protocol_grounds(
    conn: Connection, tables: set[str], where: str, params: tuple[Any, ...]
) -> dict[int, list[tuple]]:
    """Disclosures per case as (year, ground, count), when the protocol tables exist.

    A procedure counts once, in the year of its first disclosure step, under its ground as
    finally chosen (the `protocol_disclosures` view applies a ground chosen after opening);
    procedures that never disclosed (abandoned, in progress) and addenda are not counted.
    """
    if "procedures" not in tables:
        return {}
    and_ = " AND" if where else " WHERE"
    rows = conn.execute(
        "SELECT d.case_id, CAST(substr(min(d.disclosed_at), 1, 4) AS INTEGER), d.ground "
        "FROM protocol_disclosures d JOIN cases c ON c.id = d.case_id"
        f"{where}{and_} d.ground IS NOT NULL GROUP BY d.procedure_id",
        params,
    )
    per_case: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for case_id, year, ground in rows:
        per_case[int(case_id)].append((int(year), ground))
    return {case_id: list(per_year_counts(items)) for case_id, items in per_case.items()}


def old_withdrawn(
    conn: Connection, tables: set[str], where: str, params: tuple[Any, ...]
) -> set[int]:
    """Cases whose reporter withdrew the consent to be counted (statistics is opt-out).

    A case is left out when it has a `statistics` consent and every one it has was withdrawn
    (a consent given again after a withdrawal counts the case again).
    """
    if not {"consents", "consent_withdrawals"} <= tables:
        return set()
    and_ = " AND" if where else " WHERE"
    sql = (
        "SELECT k.case_id, min(EXISTS (SELECT 1 FROM consent_withdrawals w "
        "WHERE w.consent_id = k.id)) FROM consents k JOIN cases c ON c.id = k.case_id"
        f"{where}{and_} k.purpose = 'statistics' GROUP BY k.case_id"
    )
    return {int(r[0]) for r in conn.execute(sql, params) if r[1]}


def old_derive(conn: Connection, where: str, params: tuple[Any, ...]) -> list[StatRecord]:
    """`stats_repo._derive` before the TEMP table (commit 952109b), verbatim."""
    tables = table_names(conn)
    join = f" JOIN cases c ON c.id = t.case_id{where}"
    categories = old_grouped(
        conn,
        f"SELECT DISTINCT t.case_id, t.category FROM case_categories t{join}",
        params,
    )
    accused = old_grouped(
        conn,
        f"SELECT t.case_id, t.relation FROM people t{join}"
        f"{' AND' if where else ' WHERE'} t.role = 'accused'",
        params,
    )
    statuses = old_grouped(
        conn,
        f"SELECT t.case_id, t.date, t.status FROM case_status t{join} ORDER BY t.case_id, t.date, t.id",
        params,
    )
    talks = old_grouped(
        conn,
        "SELECT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), count(*), "
        f"coalesce(sum(t.minutes), 0) FROM conversations t{join} GROUP BY 1, 2",
        params,
    )
    routes = old_grouped(
        conn,
        f"SELECT DISTINCT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), t.route FROM routes t{join}",
        params,
    )
    referrals = old_grouped(
        conn,
        "SELECT t.case_id, CAST(substr(t.date, 1, 4) AS INTEGER), t.destination, count(*) "
        f"FROM referrals t{join} GROUP BY 1, 2, 3",
        params,
    )
    grounds = old_protocol_grounds(conn, tables, where, params)
    withdrawn = old_withdrawn(conn, tables, where, params)
    route_outcomes, measures = old_ended_routes(conn, where, params)
    names = organisation_names(conn)
    # The structured outcome and experience of migration 0006 (unknown before it).
    outcome = (
        "c.outcome_key, c.experience"
        if "experience" in column_names(conn, "cases")
        else "NULL, NULL"
    )
    records = []
    for row in conn.execute(
        "SELECT c.id, c.organisation_id, CAST(substr(c.opened, 1, 4) AS INTEGER), "
        f"c.reporter_role, c.level, c.relation, c.power_imbalance, {outcome} FROM cases c{where}",
        params,
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


def old_ended_routes(
    conn: Connection, where: str, params: tuple[Any, ...]
) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]]]:
    """Per case, the routes that ended as (year, outcome, count) and (year, measure, count).

    A route without a recorded outcome counts as `unknown`; only routes with a measure count
    in the second. Before migration 0006 routes have neither: every ended route is unknown.
    """
    and_ = " AND" if where else " WHERE"
    join = f" JOIN cases c ON c.id = t.case_id{where}{and_} t.ended IS NOT NULL"
    year = "CAST(substr(t.ended, 1, 4) AS INTEGER)"
    has_outcomes = "measure" in column_names(conn, "routes")
    outcome = "coalesce(t.outcome, ?)" if has_outcomes else "?"
    outcomes = old_grouped(
        conn,
        f"SELECT t.case_id, {year}, {outcome}, count(*) FROM routes t{join} GROUP BY 1, 2, 3",
        (UNKNOWN, *params),
    )
    if not has_outcomes:
        return outcomes, {}
    measures = old_grouped(
        conn,
        f"SELECT t.case_id, {year}, t.measure, count(*) FROM routes t{join} "
        "AND t.measure IS NOT NULL GROUP BY 1, 2, 3",
        params,
    )
    return outcomes, measures


# -- the comparison ------------------------------------------------------------------------


def _generated(count: int) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "generate_cases", REPO / "benchmarks" / "generate_cases.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    document: dict[str, Any] = module.generate(count, seed=1919, first_year=2019)
    return document


def _add_what_generation_lacks(vault: Vault, rng: random.Random) -> None:
    """Statistics consents (withdrawn, withdrawn and given again), protocol procedures with
    disclosures and later grounds, structured outcomes, experiences, route outcomes and
    measures, spread over the cases at random."""
    moment = "2025-03-01T10:00"
    with vault.transaction() as conn:
        ids = [int(r[0]) for r in conn.execute("SELECT id FROM cases ORDER BY id")]
        for case_id in rng.sample(ids, 60):
            given = []
            for _ in range(rng.randint(1, 2)):
                given.append(
                    conn.execute(
                        "INSERT INTO consents(case_id, purpose, scope, form, given_at, "
                        "recorded_at) VALUES (?, 'statistics', '[]', 'oral', ?, ?)",
                        (case_id, moment, moment),
                    ).lastrowid
                )
            for consent in given[: rng.randint(0, len(given))]:
                conn.execute(
                    "INSERT INTO consent_withdrawals(case_id, consent_id, withdrawn_at, "
                    "recorded_at) VALUES (?, ?, ?, ?)",
                    (case_id, consent, moment, moment),
                )
        grounds = ("consent", "conscientious_distress", "duty_to_report", "duty_to_disclose")
        for case_id in rng.sample(ids, 40):
            for _ in range(rng.randint(1, 2)):
                procedure = conn.execute(
                    "INSERT INTO procedures(case_id, opened_at, ground, recorded_at) "
                    "VALUES (?, ?, ?, ?)",
                    (case_id, moment, rng.choice((*grounds, None)), moment),
                ).lastrowid
                for year in rng.sample((2023, 2024, 2025, 2026), rng.randint(0, 2)):
                    at = f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T09:00"
                    conn.execute(
                        "INSERT INTO procedure_steps(procedure_id, case_id, kind, at, data, "
                        "recorded_at) VALUES (?, ?, 'disclosure', ?, '{}', ?)",
                        (procedure, case_id, at, at),
                    )
                if rng.random() < 0.3:
                    conn.execute(
                        "INSERT INTO procedure_steps(procedure_id, case_id, kind, at, data, "
                        "recorded_at) VALUES (?, ?, 'ground', ?, json_object('ground', ?), ?)",
                        (procedure, case_id, moment, rng.choice(grounds), moment),
                    )
        for case_id in rng.sample(ids, 150):
            conn.execute(
                "UPDATE cases SET outcome_key = ?, experience = ? WHERE id = ?",
                (rng.choice(("resolved", "other", None)), rng.choice(("good", None)), case_id),
            )
        conn.execute("UPDATE routes SET ended = date WHERE ended IS NULL AND id % 2 = 0")
        conn.execute(
            "UPDATE routes SET outcome = CASE WHEN id % 3 = 0 THEN 'upheld' END, "
            "measure = CASE WHEN id % 4 = 0 THEN 'warning' END"
        )


@pytest.fixture
def generated(vault: Vault) -> Vault:
    importing.import_document(
        vault, _generated(400), now=NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    _add_what_generation_lacks(vault, random.Random(19))
    return vault


def test_the_candidates_table_derives_the_same_records_as_before(generated: Vault) -> None:
    with generated.reading() as conn:
        org = int(single_row(conn.execute("SELECT id FROM organisations"))[0])
        counts = single_row(
            conn.execute(
                "SELECT (SELECT count(*) FROM consent_withdrawals), "
                "(SELECT count(*) FROM procedure_steps WHERE kind = 'disclosure'), "
                "(SELECT count(*) FROM routes WHERE ended IS NOT NULL AND measure IS NOT NULL), "
                "(SELECT count(DISTINCT year) FROM cases)"
            )
        )
        assert all(counts), counts  # the vault has every kind of fact
        compared = 0
        for organisation in (None, org, org + 1):
            for years in (None, (2019, 2020), (2024, 2025), (2025, 2026), (2027, 2028)):
                where, params = _case_filter(organisation, years)
                before = old_derive(conn, where, params)
                after = stats_repo.live_records(conn, organisation, years)
                assert Counter(after) == Counter(before), (organisation, years)
                compared += len(after)
        assert compared > 1000
        withdrawn = sum(r.statistics_withdrawn for r in stats_repo.live_records(conn))
        grounded = sum(bool(r.protocol_grounds) for r in stats_repo.live_records(conn))
        assert withdrawn and grounded
        for (case_id,) in conn.execute("SELECT id FROM cases WHERE id % 37 = 0").fetchall():
            (alone,) = old_derive(conn, " WHERE c.id = ?", (case_id,))
            assert stats_repo.record_for_case(conn, case_id) == alone


def test_no_candidates_table_is_left_behind_even_on_a_read_only_vault(
    generated: Vault, vault_path: Path
) -> None:
    from tests.conftest import PASSPHRASE

    generated.close()
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader, reader.reading() as conn:
        assert stats_repo.live_records(conn, None, (2024, 2025))
        assert int(single_row(conn.execute("PRAGMA query_only"))[0]) == 1
        left = conn.execute("SELECT name FROM sqlite_temp_master").fetchall()
        assert left == []
        with pytest.raises(Exception, match="readonly"):
            conn.execute("CREATE TEMP TABLE t(x)")
