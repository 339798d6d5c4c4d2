"""Each organisation its own report, on a real encrypted vault: the same events counted for
two organisations with different thresholds, recipients and due dates give each its own
figures, suppressed at its own k, under its own heading. Outcomes and activities are read
from the columns and table of migration 0006, and only when they exist."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import sqlcipher3

from confidant_tui.domain.statistics import StatRecord
from confidant_tui.services import organisations
from confidant_tui.services import report as report_service
from confidant_tui.vault import migrations, organisations_repo, stats_repo
from confidant_tui.vault.store import Connection, Vault
from tests.conftest import TAXONOMY

_spec = importlib.util.spec_from_file_location(
    "report_helpers", Path(__file__).with_name("test_report_helpers.py")
)
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

PARTY, GROUP = "Partij", "Fractie"
RULES = {
    PARTY: {
        "report_threshold": 3,
        "report_recipients": "directie en partijbestuur",
        "report_due": "03-01",
    },
    GROUP: {
        "report_threshold": 5,
        "report_recipients": "het bestuur, afschrift aan de ondernemingsraad",
        "report_due": "05-01",
    },
}


def _events(conn: Connection, organisation: str, prefix: int) -> None:
    """The same year for each organisation: four cases opened and closed in 2025, three
    resolved informally and one with a measure; four routes ended, three upheld with a
    warning; work outside cases: three requested advices of an hour and a supervision."""
    outcomes = ("resolved_informally",) * 3 + ("measure_taken",)
    for n, outcome in enumerate(outcomes):
        case_id = helpers.insert_case(
            conn,
            f"2025-{prefix + n:03d}",
            f"2025-0{n + 1}-10",
            organisation=organisation,
            statuses=[("2025-10-01", "closed")],
            routes=[("2025-02-01", "formal.complaint")],
        )
        conn.execute(
            "UPDATE cases SET outcome_key = ?, experience = ? WHERE id = ?",
            (outcome, "positive" if n else "negative", case_id),
        )
        conn.execute(
            "UPDATE routes SET ended = '2025-09-01', outcome = ?, measure = ? WHERE case_id = ?",
            ("upheld" if n < 3 else "not_upheld", "warning" if n < 3 else None, case_id),
        )
    org_id = conn.execute("SELECT id FROM organisations WHERE name = ?", (organisation,))
    org = org_id.fetchone()[0]
    for kind, date, minutes in (
        ("advice_requested", "2025-03-01", 60),
        ("advice_requested", "2025-04-01", 60),
        ("advice_requested", "2025-05-01", 60),
        ("supervision", "2025-06-01", 90),
        ("supervision", "2024-06-01", 600),  # the year before
    ):
        conn.execute(
            "INSERT INTO activities(organisation_id, kind, date, minutes, subject) "
            "VALUES (?, ?, ?, ?, 'onderwerp')",
            (org, kind, date, minutes),
        )


def _fill(vault: Vault) -> None:
    for name, rules in RULES.items():
        organisations.add_organisation(vault, name, rules)
    with vault.transaction() as conn:
        _events(conn, PARTY, 1)
        _events(conn, GROUP, 101)


def _cells(document: dict) -> list[tuple[str, object]]:
    cells = [(name, document[name]) for name in ("cases_opened", "cases_closed", "routes_ended")]
    for name, value in document.items():
        if name.startswith("by_") or name == "power_imbalance":
            cells += [(f"{name}.{key}", cell) for key, cell in value.items()]
    return cells


def test_live_records_carry_outcomes_experience_route_outcomes_and_measures(vault: Vault) -> None:
    _fill(vault)
    with vault.reading() as conn:
        party = next(o for o in organisations_repo.load_all(conn) if o.name == PARTY)
        records = stats_repo.live_records(conn, party.id)
        work = stats_repo.activity_totals(conn, party.id, 2025)
    first = min(records, key=lambda r: r.experience)  # the one reporter who was negative
    assert first.outcome == "resolved_informally" and first.experience == "negative"
    assert first.route_outcomes == ((2025, "upheld", 1),)
    assert first.measures == ((2025, "warning", 1),)
    assert first.closed_in(2025) and not first.closed_in(2024)
    assert StatRecord.from_dict(first.to_dict()) == first
    assert sorted(r.outcome for r in records).count("measure_taken") == 1
    assert work == {"advice_requested": (3, 180), "supervision": (1, 90)}


def test_the_same_events_give_each_organisation_its_own_report(vault: Vault) -> None:
    _fill(vault)
    party = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, organisation=PARTY)
    group = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, organisation=GROUP)
    a, b = party.document, group.document

    assert (a["organisation"], a["threshold"], b["organisation"], b["threshold"]) == (
        PARTY,
        3,
        GROUP,
        5,
    )
    assert a["recipients"] == "directie en partijbestuur" and a["due"] == "2026-03-01"
    assert b["recipients"] == "het bestuur, afschrift aan de ondernemingsraad"
    assert b["due"] == "2026-05-01"

    # counted alike, published at each organisation's own threshold
    assert a["cases_opened"] == 4 and a["cases_closed"] == 4
    assert b["cases_opened"] == "<5" and b["cases_closed"] == "<5" and b["routes_ended"] == "<5"
    # 3 upheld and 1 not upheld of 4 routes: the 1 would follow from the 3, and x >= 3 beside
    # it from the total, so the total goes too (k = 3); at k = 5 everything is small
    assert a["routes_ended"] == "x"
    assert a["by_route_outcome"] == {"not_upheld": "<3", "upheld": "x"}
    assert a["by_measure"] == {"warning": 3}
    assert b["by_route_outcome"] == {"not_upheld": "<5", "upheld": "<5"}
    assert a["by_activity"] == {"advice_requested": 3, "supervision": "<3"}
    assert b["by_activity"] == {"advice_requested": "<5", "supervision": "<5"}
    assert b["by_measure"] == {"warning": "<5"}
    # hours are time, not people: never hidden; 270 minutes of other work is 4.5, so 5
    for document in (a, b):
        assert document["activity_hours"] == 5 and document["hours"] == 0
        assert document["total_hours"] == 5
        assert document["previous"]["activity_hours"] == 10  # 600 minutes in 2024
    # the party's outcomes: 3 and 1 of 4 closed cases, a total a reader can derive: the 1
    # would follow, so the breakdown is withheld whole, every key of the taxonomy x
    assert set(a["by_outcome"].values()) == {"x"} and len(a["by_outcome"]) >= 2
    assert b["by_outcome"] == {"measure_taken": "<5", "resolved_informally": "<5"}
    for document, k in ((a, 3), (b, 5)):
        for name, cell in _cells(document):
            assert not (isinstance(cell, int) and 0 < cell < k), (document["organisation"], name)
    # the Markdown heading of each names its own recipients and due date, in words
    party_md = report_service.render(party, "md")
    group_md = report_service.render(group, "md")
    assert "Aan: directie en partijbestuur" in party_md and "1 maart 2026" in party_md
    assert "afschrift aan de ondernemingsraad" in group_md and "1 mei 2026" in group_md
    assert "ondernemingsraad" not in party_md and "partijbestuur" not in group_md


def test_an_archived_organisation_keeps_its_report(vault: Vault) -> None:
    _fill(vault)
    organisations.set_archived(vault, GROUP, archived=True, today=dt.date(2026, 1, 5))
    built = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, organisation=GROUP)
    assert built.document["organisation"] == GROUP and built.document["threshold"] == 5


def test_counting_works_on_a_schema_before_outcomes_and_activities() -> None:
    """A vault at schema 5 has no outcome columns and no activities table: ended routes
    count with an unknown outcome, cases with an unknown outcome, and no activities."""
    conn = sqlcipher3.connect(":memory:")  # plain SQLite with the vault's FTS5 build
    for migration in migrations.all_migrations():
        if migration.version < 6:
            for statement in migration.statements():
                conn.execute(statement)
    helpers.insert_case(
        conn, "2025-001", "2025-01-10", statuses=[("2025-10-01", "closed")], routes=[]
    )
    conn.execute(
        "INSERT INTO routes(case_id, position, route, date, ended) "
        "VALUES (1, 0, 'formal.complaint', '2025-02-01', '2025-09-01')"
    )
    (record,) = stats_repo.live_records(conn, None, (2024, 2025))
    assert record.outcome == "unknown" and record.experience == "unknown"
    assert record.route_outcomes == ((2025, "unknown", 1),) and record.measures == ()
    assert stats_repo.activity_totals(conn, None, 2025) == {}
