"""`confidant import` checks an organisation's own units and measures once the vault is open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.services import cases, organisations
from confidant_tui.vault.store import Vault
from tests.cli.test_import_cli import cli


def file_with(tmp_path: Path, **changes: object) -> Path:
    case = {"opened": "2025-01-01", "reporter": {"role": "member"}, "categories": ["stalking"]}
    case.update(changes)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"format": "confidant-cases/1", "cases": [case]}), encoding="utf-8")
    return path


@pytest.mark.slow
def test_own_units_and_measures_pass_for_their_organisation_only(
    vault_path: Path, tmp_path: Path
) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        organisations.add_organisation(
            vault,
            "Partij",
            {
                "units": [{"key": "youth_wing", "label": "Jongeren"}],
                "measures": [{"key": "own.mentor", "label": "Mentor"}],
            },
        )
    route = {"route": "formal.complaint", "date": "2025-02-01", "measure": "own.mentor"}
    elsewhere = file_with(tmp_path, organisation="Fractie", level="youth_wing", routes=[route])
    args = ("import", str(elsewhere), "--vault", str(vault_path), "--passphrase-stdin")
    refused = cli(*args, "--lang", "en", stdin=PASSPHRASE + "\n")
    assert refused.returncode == 1
    assert "  case 1, field level:" in refused.stderr
    assert "  case 1, routes 1, field measure:" in refused.stderr
    good = file_with(tmp_path, organisation="Partij", level="youth_wing", routes=[route])
    args = ("import", str(good), "--vault", str(vault_path), "--passphrase-stdin")
    assert cli(*args, stdin=PASSPHRASE + "\n").returncode == 0, "imported"
    with Vault.open(vault_path, PASSPHRASE) as vault:
        [summary] = cases.list_cases(vault)
        stored = cases.get_case(vault, summary.id)
    assert (stored.facts.organisation, stored.facts.level) == ("Partij", "youth_wing")
    assert stored.routes[0].measure == "own.mentor"
