"""The built report is kept in memory while the vault is unchanged (issue 19): the second
build reads nothing, any save (the vault's commit counter) counts again, and a caller that
changes its copy does not change the kept one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from confidant_tui.domain.report import ReportFigures
from confidant_tui.services import report as report_service
from confidant_tui.services.session import Session
from confidant_tui.vault import stats_counts
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE, TAXONOMY

_spec = importlib.util.spec_from_file_location(
    "report_helpers", Path(__file__).with_name("test_report_helpers.py")
)
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the report counted the live cases (one entry per count)."""
    seen: list[int] = []
    real = stats_counts.live_figures

    def counting(*args: object, **kwargs: object) -> dict[int, ReportFigures]:
        seen.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stats_counts, "live_figures", counting)
    report_service.forget_cached()
    return seen


def test_a_report_is_counted_once_until_the_vault_changes(vault: Vault, reads: list[int]) -> None:
    with vault.transaction() as conn:
        for seq in (1, 2, 3):
            helpers.insert_case(conn, f"2025-00{seq}", "2025-03-14")
    first = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, threshold=3)
    again = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, threshold=3)
    assert len(reads) == 1 and again == first and again.document is not first.document
    assert first.document["cases_opened"] == 3
    again.document["cases_opened"] = 999
    assert report_service.build_report(vault, 2025, taxonomy=TAXONOMY, threshold=3) == first
    assert len(reads) == 1
    report_service.build_report(vault, 2024, taxonomy=TAXONOMY)
    report_service.build_report(vault, 2025, taxonomy=TAXONOMY, threshold=4)
    assert len(reads) == 3

    with vault.transaction() as conn:
        helpers.insert_case(conn, "2025-004", "2025-05-01")
    after = report_service.build_report(vault, 2025, taxonomy=TAXONOMY, threshold=3)
    assert len(reads) == 4 and after.document["cases_opened"] == 4
    report_service.build_report(vault, 2024, taxonomy=TAXONOMY)
    assert len(reads) == 5  # the save dropped every report of before

    report_service.forget_cached()
    report_service.build_report(vault, 2024, taxonomy=TAXONOMY)
    assert len(reads) == 6


def test_locking_forgets_the_built_reports(vault_path: Path, reads: list[int]) -> None:
    session = Session(vault_path)
    session.unlock(PASSPHRASE)
    report_service.build_report(session.vault, 2025, taxonomy=TAXONOMY)
    assert report_service._cache
    session.lock()
    assert not report_service._cache
