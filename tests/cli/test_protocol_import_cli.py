"""`confidant import` with `consents` and `protocol`: every protocol rule, through the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import protocol_import_cases as cases
import pytest
from conftest import PASSPHRASE

from confidant_tui.cli.main import main
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def file(tmp_path: Path) -> callable:
    def write(doc: dict) -> Path:
        target = tmp_path / f"import-{time.monotonic_ns()}.json"
        target.write_text(json.dumps(doc), encoding="utf-8")
        return target

    return write


def run_import(vault_path: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "stdin", _Lines(PASSPHRASE + "\n"))
    return main(["import", "--vault", str(vault_path), "--passphrase-stdin", str(path)])


class _Lines:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""


def case_count(vault_path: Path) -> int:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault, vault.reading() as conn:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]


RULES = [c for c in cases.CASES if "future" not in c[0]]


def _place_in_words(path: str) -> str:
    """The place of a problem as the command prints it: "cases[0].protocol[0].ground" is
    "dossier 1 (2025-003), protocol 1, veld ground"."""
    for technical, words in (
        ("cases[0].protocol[0].", "protocol 1"),
        ("cases[0].consents[0].", "consents 1"),
    ):
        if path.startswith(technical):
            return f"dossier 1 (2025-003), {words}, veld {path.removeprefix(technical)}"
    raise AssertionError(f"no place in words for {path}")


@pytest.mark.parametrize(
    ("make", "path", "fragment"),
    [pytest.param(make, path, fragment, id=name) for name, make, path, fragment in RULES],
)
def test_the_command_refuses_a_file_naming_path_case_and_rule(
    vault_path: Path,
    file: callable,
    make: cases.Mutation,
    path: str,
    fragment: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_import(vault_path, file(make()), monkeypatch)
    err = capsys.readouterr().err
    assert code == 1
    place = _place_in_words(path)
    lines = [line for line in err.splitlines() if line.strip().startswith(f"{place}: ")]
    assert lines, err
    assert fragment in lines[0], lines
    assert "Er is niets geïmporteerd" in err
    assert case_count(vault_path) == 0


def test_the_command_refuses_future_protocol_dates(
    vault_path: Path, file: callable, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    doc = cases.document(
        protocol=[
            cases.distress_entry(informed_at="2099-01-01T09:00", disclosed_at="2099-01-01T10:00")
        ],
        consents=[cases.third_party(date="2099-01-01")],
    )
    assert run_import(vault_path, file(doc), monkeypatch) == 1
    err = capsys.readouterr().err
    assert "dossier 1 (2025-003), protocol 1, veld disclosed_at: Een stap van het protocol" in err
    assert "dossier 1 (2025-003), protocol 1, veld informed_at: Een stap van het protocol" in err
    assert "dossier 1 (2025-003), consents 1, veld date: Een toestemming kan niet" in err
    assert case_count(vault_path) == 0


@pytest.mark.slow
def test_a_valid_file_imports_through_the_real_command(vault_path: Path, file: callable) -> None:
    doc = cases.document(
        consents=[cases.third_party()], protocol=[cases.distress_entry(), cases.consent_entry()]
    )
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            "import",
            "--vault",
            str(vault_path),
            "--passphrase-stdin",
            str(file(doc)),
        ],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault, vault.reading() as conn:
        assert conn.execute("SELECT count(*) FROM procedures").fetchone()[0] == 2
        kinds = [r[0] for r in conn.execute("SELECT kind FROM procedure_steps ORDER BY id")]
    assert kinds.count("disclosure") == 2
    assert kinds.index("informing") < kinds.index("disclosure")
