"""`confidant import FILE.json` through the real command: all or nothing, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.services import cases
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.slow
def test_the_demo_file_imports(vault_path: Path) -> None:
    result = cli(
        "import",
        str(REPO / "data" / "demo-cases.json"),
        "--vault",
        str(vault_path),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "13 dossiers geïmporteerd." in result.stdout
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        assert cases.count_cases(vault) == 13


@pytest.mark.slow
def test_a_bad_file_is_refused_before_the_passphrase_naming_each_problem(
    vault_path: Path, tmp_path: Path
) -> None:
    document = {
        "format": "confidant-cases/1",
        "cases": [
            {"opened": "2025-01-01", "reporter": {"role": "employee"}, "categories": ["bullying"]},
            {
                "code": "2025-004",
                "opened": "2025-02-01",
                "reporter": {"role": "boss"},
                "categories": ["bullying"],
                "conversations": [{"date": "2025-02-01", "\x1b]52;c;aGk=\x07": "x"}],
            },
        ],
    }
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    result = cli(
        "import", str(file), "--vault", str(vault_path), "--passphrase-stdin", "--lang", "en"
    )
    assert result.returncode == 1
    assert "Nothing was imported: the file has 2 problems." in result.stderr
    assert "  case 2 (2025-004), field reporter.role: 'boss' is not a known value" in result.stderr
    assert "  case 2 (2025-004), conversations 1, field " in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "Traceback" not in result.stderr
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        assert cases.count_cases(vault) == 0


@pytest.mark.slow
def test_a_code_already_in_the_vault_refuses_the_file(vault_path: Path, tmp_path: Path) -> None:
    one = {
        "code": "2025-001",
        "opened": "2025-01-01",
        "reporter": {"role": "member"},
        "categories": ["stalking"],
    }
    file = tmp_path / "one.json"
    file.write_text(json.dumps({"format": "confidant-cases/1", "cases": [one]}), encoding="utf-8")
    args = ("import", str(file), "--vault", str(vault_path), "--passphrase-stdin")
    assert cli(*args, stdin=PASSPHRASE + "\n").returncode == 0
    again = cli(*args, stdin=PASSPHRASE + "\n")
    assert again.returncode == 1
    assert "  dossier 1 (2025-001), veld code: de code is al in gebruik" in again.stderr
    missing = cli("import", str(tmp_path / "none.json"), "--vault", str(vault_path))
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
