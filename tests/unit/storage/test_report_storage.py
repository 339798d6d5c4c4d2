"""The report on a real encrypted vault: records by SQL, publishing, previous, kept records."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from confidant_tui.domain.report import count_year
from confidant_tui.errors import InvalidInput, NotFound, VaultUnusable
from confidant_tui.services import report as report_service
from confidant_tui.vault import stats_repo
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY

_spec = importlib.util.spec_from_file_location(
    "report_helpers", Path(__file__).with_name("test_report_helpers.py")
)
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

PASSPHRASE = "correct horse battery staple"


def _fill(vault: Vault) -> dict[str, int]:
    ids = {}
    with vault.transaction() as conn:
        ids["a"] = helpers.insert_case(
            conn,
            "2024-001",
            "2024-11-03",
            categories=("discrimination.origin", "discrimination.age", "bullying"),
            relation="manager",
            accused=("manager", "colleague", None),
            statuses=[("2025-02-01", "aftercare"), ("2025-09-30", "closed")],
            conversations=[("2024-11-03", 60), ("2025-01-10", 45), ("2025-02-01", None)],
            routes=[
                ("2025-01-15", "advice"),
                ("2025-03-01", "advice"),
                ("2025-04-01", "formal.complaint"),
            ],
            referrals=[("2025-01-20", "gp"), ("2025-02-20", "gp")],
        )
        ids["b"] = helpers.insert_case(
            conn, "2025-001", "2025-03-14", role="volunteer", level=None, power=None
        )
        ids["c"] = helpers.insert_case(
            conn, "2025-002", "2025-05-01", conversations=[("2025-05-01", 30)]
        )
        helpers.add_disclosure(conn, ids["a"], "conscientious_distress", "2025-05-01T15:00")
        helpers.withdraw_statistics(conn, ids["c"])
    return ids


def test_records_are_derived_by_sql_with_only_what_the_report_counts(vault: Vault) -> None:
    _fill(vault)
    with vault.reading() as conn:
        records = sorted(stats_repo.live_records(conn), key=lambda r: (r.year_opened, r.role))
    first, volunteer, withdrawn = records[0], records[2], records[1]
    assert first.year_opened == 2024 and first.organisation == "Partij"
    assert first.categories == {"discrimination", "bullying"}
    assert first.relations == {"manager", "colleague", "unknown"}
    assert first.year_end_status == ((2025, "closed"),)
    assert first.conversations == ((2024, 1, 60), (2025, 2, 45))
    assert first.routes == ((2025, "advice"), (2025, "formal.complaint"))
    assert first.referrals == ((2025, "gp", 2),)
    assert first.protocol_grounds == ((2025, "conscientious_distress", 1),)
    assert volunteer.role == "volunteer" and volunteer.level == "unknown"
    assert volunteer.power_imbalance is None and volunteer.relations == {"unknown"}
    assert withdrawn.statistics_withdrawn and not first.statistics_withdrawn
    figures = count_year(records, 2025)
    assert figures.cases_opened == 1  # the withdrawn case is left out
    assert figures.open_at_end == 1
    assert figures.conversations == 2 and figures.minutes == 45


def test_building_works_read_only_and_publishing_needs_the_writer(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        _fill(vault)
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
        built = report_service.build_report(reader, 2025, threshold=3, taxonomy=TAXONOMY)
        assert built.document["year"] == 2025
        assert built.document["organisation"] == "Partij"
        assert built.document["previous"]["year"] == 2024
        assert built.previous_source == report_service.PREVIOUS_COUNTED
        with pytest.raises(VaultUnusable):
            report_service.publish(reader, built, "json", dt.date(2026, 2, 1))


def test_previous_repeats_the_published_report_not_a_recount(vault: Vault) -> None:
    _fill(vault)
    built_2024 = report_service.build_report(vault, 2024, threshold=3, taxonomy=TAXONOMY)
    report_service.publish(vault, built_2024, "md", dt.date(2025, 2, 1))
    with vault.transaction() as conn:  # a late case for 2024, entered after publishing
        for seq in range(2, 6):
            helpers.insert_case(conn, f"2024-00{seq}", "2024-06-01", role="member")
    built = report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY)
    assert built.previous_source == report_service.PREVIOUS_PUBLISHED
    previous = {k: v for k, v in built.document["previous"].items()}
    expected = {
        k: v
        for k, v in built_2024.document.items()
        if k not in ("organisation", "recipients", "due", "previous")
    }
    assert previous == expected
    [kept] = report_service.list_published(vault)
    assert kept.year == 2024 and kept.form == "md" and kept.published_on == dt.date(2025, 2, 1)
    assert kept.document["year"] == 2024


def test_a_republished_year_with_other_figures_is_flagged(vault: Vault) -> None:
    _fill(vault)
    first = report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY)
    assert not first.earlier_differs
    report_service.publish(vault, first, "json", dt.date(2026, 2, 1))
    assert not report_service.build_report(
        vault, 2025, threshold=3, taxonomy=TAXONOMY
    ).earlier_differs
    with vault.transaction() as conn:
        helpers.insert_case(conn, "2025-010", "2025-07-01")
    assert report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY).earlier_differs


def test_a_failed_write_leaves_nothing_recorded(vault: Vault) -> None:
    _fill(vault)
    built = report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY)

    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        report_service.publish(vault, built, "csv", dt.date(2026, 2, 1), broken)
    assert report_service.list_published(vault) == []


def test_a_destroyed_case_keeps_its_record_and_the_report_stays_the_same(vault: Vault) -> None:
    ids = _fill(vault)
    before = report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY).document
    with vault.transaction() as conn:
        assert stats_repo.keep_record(conn, ids["a"])
        assert not stats_repo.keep_record(conn, ids["c"])  # withdrawn: nothing is kept
        for case_id in (ids["a"], ids["c"]):
            conn.execute("INSERT INTO destruction(case_id) VALUES (?)", (case_id,))
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            conn.execute("DELETE FROM destruction WHERE case_id = ?", (case_id,))
        kept = conn.execute("SELECT record FROM stat_records").fetchall()
    assert len(kept) == 1
    assert "2024-001" not in kept[0][0] and "Jansen" not in kept[0][0] and "A." not in kept[0][0]
    assert (
        report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY).document == before
    )


def test_organisations_are_reported_apart(vault: Vault) -> None:
    with vault.transaction() as conn:
        helpers.insert_case(conn, "2025-001", "2025-01-01", organisation="Partij")
        helpers.insert_case(conn, "2025-002", "2025-01-01", organisation="Fractie")
    with pytest.raises(InvalidInput):
        report_service.build_report(vault, 2025, threshold=3, taxonomy=TAXONOMY)
    with pytest.raises(NotFound):
        report_service.build_report(
            vault, 2025, threshold=3, organisation="Onbekend", taxonomy=TAXONOMY
        )
    built = report_service.build_report(
        vault, 2025, threshold=3, organisation="Fractie", taxonomy=TAXONOMY
    )
    assert built.document["organisation"] == "Fractie"
    assert built.document["cases_opened"] == "<3"


def test_the_year_filter_leaves_out_only_cases_that_cannot_count(vault: Vault) -> None:
    import random

    rng = random.Random(4)
    with vault.transaction() as conn:
        for n in range(120):
            year = rng.randint(2019, 2026)
            opened = f"{year}-{rng.randint(1, 12):02d}-10"
            later = [f"{year + d}-{rng.randint(1, 12):02d}-20" for d in range(rng.randint(0, 3))]
            helpers.insert_case(
                conn,
                f"{year}-{n + 100:03d}",
                opened,
                role=rng.choice(("employee", "member")),
                statuses=[(d, rng.choice(("closed", "aftercare", "open"))) for d in later],
                conversations=[(d, 30) for d in later[:2]],
                routes=[(d, "advice") for d in later[1:]],
                referrals=[(d, "gp") for d in later[2:]],
            )
    with vault.reading() as conn:
        everything = stats_repo.live_records(conn)
        for year in range(2020, 2027):
            chosen = stats_repo.live_records(conn, years=(year - 1, year))
            assert len(chosen) < len(everything) or year == 2026
            for counted in (year - 1, year):
                assert count_year(chosen, counted) == count_year(everything, counted)


def test_a_ground_chosen_after_opening_is_counted_under_that_ground(vault: Vault) -> None:
    with vault.transaction() as conn:
        case_id = helpers.insert_case(conn, "2025-001", "2025-03-14")
        procedure = conn.execute(
            "INSERT INTO procedures(case_id, opened_at, ground, recorded_at) "
            "VALUES (?, '2025-04-01T09:00', NULL, '2025-04-01T09:00')",
            (case_id,),
        ).lastrowid
        for kind, data in (("ground", '{"ground": "duty_to_report"}'), ("disclosure", "{}")):
            conn.execute(
                "INSERT INTO procedure_steps(procedure_id, case_id, kind, at, data, recorded_at) "
                "VALUES (?, ?, ?, '2025-04-02T10:00', ?, '2025-04-02T10:00')",
                (procedure, case_id, kind, data),
            )
    with vault.reading() as conn:
        (record,) = stats_repo.live_records(conn)
    assert record.protocol_grounds == ((2025, "duty_to_report", 1),)
