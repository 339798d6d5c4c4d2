"""`confidant import` with hostile files: each is a clear error with exit 1, quickly.

Never exit 70 (internal error), never a traceback, never a hang: a pipe (FIFO) or a device
is refused without being opened for a blocking read, an oversized file without being read,
and deep nesting or huge numbers with their own message. See "Limits" in docs/interchange.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE

from confidant_tui.services import cases, importing
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
QUICK = 30.0
"""Seconds: far more than a refusal takes (a hang would never end without the timeout)."""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    env.pop("CONFIDANT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=QUICK,  # raises TimeoutExpired (the test fails) if the command hangs
    )


def refused(vault_path: Path, file: Path | str, *, lang: str = "en") -> str:
    """Imports `file`; asserts the clear refusal (exit 1, no traceback); returns stderr."""
    started = time.monotonic()
    result = cli(
        "import", str(file), "--vault", str(vault_path), "--passphrase-stdin", "--lang", lang
    )
    assert time.monotonic() - started < QUICK
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        assert cases.count_cases(vault) == 0
    return result.stderr


def case(**changes: Any) -> dict[str, Any]:
    return {
        "opened": "2025-03-14",
        "reporter": {"role": "employee"},
        "categories": ["bullying"],
        **changes,
    }


def write(tmp_path: Path, *cases_: dict[str, Any]) -> Path:
    file = tmp_path / "cases.json"
    document = {"format": "confidant-cases/1", "cases": list(cases_)}
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return file


@pytest.mark.slow
def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(
    vault_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "cases.json"
    os.mkfifo(fifo)
    assert "is not an ordinary file" in refused(vault_path, fifo)
    message = refused(vault_path, fifo, lang="nl")
    assert "is geen gewoon bestand" in message and "Fout:" in message


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_at_once_also_behind_a_symlink(
    vault_path: Path, tmp_path: Path
) -> None:
    assert "is not an ordinary file" in refused(vault_path, "/dev/zero")
    link = tmp_path / "cases.json"
    link.symlink_to("/dev/zero")
    assert "is not an ordinary file" in refused(vault_path, link)


@pytest.mark.slow
def test_a_folder_is_refused(vault_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cases.json"
    folder.mkdir()
    assert "is a folder" in refused(vault_path, folder)


@pytest.mark.slow
def test_a_file_over_the_limit_is_refused_before_reading(vault_path: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: no disk space used, and it is never read
        handle.truncate(importing.MAX_FILE_BYTES + 1)
    assert "is larger than 256 MiB" in refused(vault_path, big)


@pytest.mark.slow
def test_a_million_nested_brackets_are_refused_quickly(vault_path: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 1_000_000, encoding="utf-8")
    assert "more than 64 levels deep" in refused(vault_path, deep)


@pytest.mark.slow
def test_valid_json_nested_past_the_limit_is_refused(vault_path: Path, tmp_path: Path) -> None:
    nested: Any = "x"
    for _ in range(importing.MAX_DEPTH):
        nested = [nested]
    file = write(tmp_path, case(wishes=nested))
    assert "more than 64 levels deep" in refused(vault_path, file)


@pytest.mark.slow
@pytest.mark.parametrize(
    "number", ["99999999999999999999999", "-9223372036854775809", "1e400", "9" * 5000]
)
def test_a_number_too_large_for_any_field_has_its_own_message(
    vault_path: Path, tmp_path: Path, number: str
) -> None:
    file = tmp_path / "cases.json"
    conversation = '{"date": "2025-04-01", "minutes": ' + number + "}"
    text = json.dumps({"format": "confidant-cases/1", "cases": [case(conversations=["X"])]})
    file.write_text(text.replace('"X"', conversation), encoding="utf-8")
    message = refused(vault_path, file)
    assert "too large for any field" in message
    assert "NaN" not in message
    assert len(message) < 300  # 5000 digits are not repeated


@pytest.mark.slow
@pytest.mark.parametrize("code", ["٢٠٢٥-٠٠٧", "2025-0007"])
def test_a_code_that_would_collide_with_another_spelling_is_refused(
    vault_path: Path, tmp_path: Path, code: str
) -> None:
    file = write(tmp_path, case(code=code), case(code="2025-007"))
    assert "case 1 (" in refused(vault_path, file)


@pytest.mark.slow
@pytest.mark.parametrize("date", ["٢٠٢٥-٠٣-٠١", "20250301", "2025-W10-1"])
def test_dates_in_other_forms_or_digits_are_refused_at_their_path(
    vault_path: Path, tmp_path: Path, date: str
) -> None:
    file = write(tmp_path, case(status=[{"status": "closed", "date": date}]))
    message = refused(vault_path, file)
    assert "status 1, field date: Expected a date as YYYY-MM-DD" in message


@pytest.mark.slow
def test_a_condition_numbered_in_other_digits_is_refused_at_its_path(
    vault_path: Path, tmp_path: Path
) -> None:
    entry = {
        "ground": "conscientious_distress",
        "conditions": {"²": "uitleg"},
        "informed_at": "2025-04-01T09:00",
        "disclosed_at": "2025-04-01T10:00",
        "justification": "levensgevaar",
    }
    file = write(tmp_path, case(protocol=[entry]))
    assert "protocol 1, field conditions.²" in refused(vault_path, file)
