"""Vaults made by earlier releases open with today's code, and nothing in them is lost.

Each release keeps a small vault in `tests/fixtures/vault-<release>/`, made by that release's
own code, with a manifest of what it holds. Today's code must open a copy (running every
migration added since), find every case, conversation, protocol record and published report,
and pass `check`. Every later migration has to keep this test green.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from release_vaults import (
    cli_with_steps,
    copy_release,
    json_digest,
    manifest,
    releases,
    row_counts,
    texts_digest,
)

from confidant_tui.services import cases, consent, protocol, vaults
from confidant_tui.services import report as report_service
from confidant_tui.vault import migrations
from confidant_tui.vault.store import Vault

RELEASES = releases()


def test_the_release_fixtures_are_there() -> None:
    assert "0.1.0" in RELEASES
    for release in RELEASES:
        assert manifest(release)["schema_version"] <= migrations.latest_version()


def _protocol_counts(vault: Vault, code: str) -> dict[str, int]:
    ledger = consent.consent_ledger(vault, code)
    procedures = protocol.case_procedures(vault, code)
    requests = consent.information_requests(vault, code)
    return {
        "consents": len(ledger.consents),
        "consent_withdrawals": len(ledger.withdrawals),
        "procedures": len(procedures),
        "procedure_steps": sum(len(p.steps) for p in procedures),
        "information_requests": len(requests),
        "information_answers": sum(1 for _request, answer in requests if answer is not None),
        "ledger_addenda": len(consent.ledger_addenda(vault, code)),
    }


def _case_as_recorded(vault: Vault, code: str) -> dict[str, Any]:
    case = cases.get_case(vault, code)
    texts = [(c.notes, c.advice, c.next_steps) for c in case.conversations]
    return {
        "code": case.code,
        "conversations": len(case.conversations),
        "conversation_texts_sha256": texts_digest(texts),
        "protocol": _protocol_counts(vault, code),
    }


@pytest.mark.parametrize("release", RELEASES)
def test_release_vault_opens_with_todays_code_and_keeps_everything(
    tmp_path: Path, release: str
) -> None:
    recorded = manifest(release)
    path = copy_release(release, tmp_path / "copy")
    passphrase = recorded["passphrase"]
    with Vault.open(path, passphrase) as vault:
        assert vault.schema_version() == migrations.latest_version()
        assert vault.vault_id == recorded["vault_id"]
        codes = [summary.code for summary in cases.list_cases(vault)]
        assert sorted(codes) == sorted(case["code"] for case in recorded["cases"])
        assert cases.count_cases(vault) == len(recorded["cases"])
        for expected in recorded["cases"]:
            assert _case_as_recorded(vault, expected["code"]) == expected
        published = [
            {
                "year": report.year,
                "published_on": report.published_on.isoformat(),
                "form": report.form,
                "figures_sha256": json_digest(report.document),
            }
            for report in report_service.list_published(vault)
        ]
        assert published == recorded["published_reports"]
    # No row of a table the release had was lost by a migration.
    counts = row_counts(path, passphrase)
    for table, count in recorded["tables"].items():
        assert counts.get(table) == count, table


@pytest.mark.parametrize("release", RELEASES)
def test_upgraded_release_vault_passes_check(tmp_path: Path, release: str) -> None:
    recorded = manifest(release)
    path = copy_release(release, tmp_path / "copy")
    Vault.open(path, recorded["passphrase"]).close()
    results = vaults.check_vault(path, recorded["passphrase"])
    assert [r.name for r in results if not r.ok] == []
    assert results[-1].name == "Schemaversie"


@pytest.mark.slow
@pytest.mark.parametrize("release", RELEASES)
def test_upgraded_release_vault_passes_check_on_the_command_line(
    tmp_path: Path, release: str
) -> None:
    recorded = manifest(release)
    path = copy_release(release, tmp_path / "copy")
    Vault.open(path, recorded["passphrase"]).close()
    result = cli_with_steps(
        "check", "--vault", str(path), "--passphrase-stdin", stdin=recorded["passphrase"] + "\n"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Oordeel: de kluis is in orde." in result.stdout
    assert f"Schemaversie: in orde (versie {migrations.latest_version()}, actueel)" in (
        result.stdout
    )


def test_the_fixture_folder_holds_only_what_the_release_wrote() -> None:
    # Tests work on copies: opening the fixture itself would leave a lock file, a -wal or
    # a -shm beside it (and upgrade it).
    original = Path(__file__).resolve().parents[2] / "fixtures" / "vault-0.1.0"
    assert sorted(p.name for p in original.iterdir()) == [
        "confidant.vault",
        "confidant.vault.header",
        "manifest.json",
    ]
