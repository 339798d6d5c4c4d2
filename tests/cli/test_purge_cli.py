"""`confidant purge --due` through the real command: a dry run lists and changes nothing,
no terminal and no `--yes` refuses (exit 2), `--yes` destroys exactly the due cases."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from test_vault_commands import cli

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services import audit, cases
from confidant_tui.vault import freshness, kdf
from confidant_tui.vault.store import Vault

TODAY = dt.date(2022, 6, 1)


def _case(vault: Vault, opened: dt.date, closed: dt.date | None) -> str:
    case = cases.create_case(
        vault,
        Intake(opened=opened, facts=CaseFacts(reporter_role="employee", categories=("bullying",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    if closed is not None:
        cases.change_status(vault, case.code, "closed", closed, today=TODAY)
    return case.code


@pytest.fixture
def source(tmp_path: Path) -> tuple[Path, list[str], str]:
    """A closed vault with two cases due long ago (closed in 2020) and one open case."""
    vault = Vault.create(tmp_path / "v" / "confidant.vault", PASSPHRASE, kdf.floor_params())
    try:
        due = [
            _case(vault, dt.date(2020, 1, 6), dt.date(2020, 2, 3)),
            _case(vault, dt.date(2020, 3, 2), dt.date(2020, 4, 1)),
        ]
        kept = _case(vault, dt.date(2022, 5, 2), None)
        freshness.record_backup(
            vault.path, vault.vault_id, "2021-05-04T08:30:00Z", tmp_path / "oude back-up.vault"
        )
    finally:
        vault.close()
    return vault.path, due, kept


def _codes(path: Path) -> list[str]:
    with Vault.open(path, PASSPHRASE, read_only=True) as vault, vault.reading() as conn:
        return [row[0] for row in conn.execute("SELECT code FROM cases ORDER BY code")]


def _purge(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(
        "--lang",
        "en",
        "purge",
        "--due",
        *extra,
        "--vault",
        str(path),
        "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )


def test_a_dry_run_lists_what_would_go_and_changes_nothing(
    source: tuple[Path, list[str], str], tmp_path: Path
) -> None:
    path, due, kept = source
    before = path.read_bytes()
    result = _purge(path, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "2 cases are due for destruction" in result.stdout
    for code in due:
        assert code in result.stdout
    assert kept not in result.stdout
    assert "closed 3 February 2020, kept 2 years" in result.stdout
    assert ORGANISATION in result.stdout
    assert "Backups made before still hold these cases" in result.stdout
    assert "4 May 2021" in result.stdout and "oude back-up.vault" in result.stdout
    assert "nothing was destroyed" in result.stdout
    assert path.read_bytes() == before
    assert _codes(path) == sorted([*due, kept])


def test_without_a_terminal_and_without_yes_it_refuses(
    source: tuple[Path, list[str], str],
) -> None:
    path, due, kept = source
    result = _purge(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--yes" in result.stderr
    assert _codes(path) == sorted([*due, kept])


@pytest.mark.slow
def test_yes_destroys_the_due_cases(source: tuple[Path, list[str], str]) -> None:
    path, due, kept = source
    result = _purge(path, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Destroyed 2 cases: {due[0]}, {due[1]}." in result.stdout
    assert "2 anonymous statistical records kept" in result.stdout
    assert _codes(path) == [kept]
    with Vault.open(path, PASSPHRASE) as vault:
        destroyed = {e.case_code for e in audit.entries(vault) if e.action == "case.destroyed"}
        assert destroyed == set(due)
        assert audit.verify(vault).intact
    again = _purge(path, "--yes")
    assert again.returncode == 0 and "No case is due for destruction." in again.stdout


def _read_until(stream: int, text: bytes) -> bytes:
    seen = b""
    deadline = time.monotonic() + 60
    while text not in seen and time.monotonic() < deadline:
        if select.select([stream], [], [], 1)[0]:
            chunk = os.read(stream, 4096)
            if not chunk:
                break
            seen += chunk
    return seen


def _on_a_terminal(path: Path, typed: str) -> tuple[int, str]:
    """Runs `purge --due` with a terminal as standard input (and no controlling terminal,
    so the passphrase is read from it too); types the passphrase after its prompt (the
    prompt flushes what was typed before) and then `typed` after the question."""
    main, secondary = pty.openpty()
    command = [sys.executable, "-m", "confidant_tui", "--lang", "en", "purge", "--due"]
    try:
        child = subprocess.Popen(
            [*command, "--vault", str(path)],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "CONFIDANT_TEST_KDF": "floor"},
            start_new_session=True,
        )
        assert child.stdout is not None and child.stderr is not None
        _read_until(child.stderr.fileno(), b"Passphrase: ")
        os.write(main, f"{PASSPHRASE}\n".encode())
        out = _read_until(child.stdout.fileno(), b"to destroy them: ")
        os.write(main, f"{typed}\n".encode())
        rest, _err = child.communicate(timeout=60)
    finally:
        os.close(main)
        os.close(secondary)
    return child.returncode, (out + rest).decode()


def test_on_a_terminal_it_asks_for_the_number_of_cases(
    source: tuple[Path, list[str], str],
) -> None:
    path, due, kept = source
    code, out = _on_a_terminal(path, "3")
    assert code == 1 and "Type the number of cases (2)" in out
    assert "Nothing was destroyed." in out
    assert _codes(path) == sorted([*due, kept])
    code, out = _on_a_terminal(path, "2")
    assert code == 0, out
    assert _codes(path) == [kept]
