"""`confidant activity add` and `confidant activity list` through the real command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confidant_tui.services import activities
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def add(vault_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli("activity", "add", "--vault", str(vault_path), "--passphrase-stdin", *args)


@pytest.mark.slow
def test_add_then_list_shows_the_entry_and_the_totals(vault_path: Path) -> None:
    year = dt.date.today().year
    result = add(
        vault_path,
        "--kind",
        "supervision",
        "--date",
        f"01-01-{year}",
        "--minutes",
        "1:30",
        "--subject",
        "Intervisie [bold]groep[/bold]",
    )
    assert result.returncode == 0, result.stderr
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        [entry] = activities.list_activities(vault)
    assert (entry.organisation, entry.minutes) == (ORGANISATION, 90)
    assert entry.subject == "Intervisie [bold]groep[/bold]"

    listed = cli(
        "activity", "list", "--vault", str(vault_path), "--passphrase-stdin", "--year", str(year)
    )
    assert listed.returncode == 0, listed.stderr
    assert f"01-01-{year}" in listed.stdout and "Intervisie [bold]groep[/bold]" in listed.stdout
    assert "1 registratie, 1:30 uur" in listed.stdout
    assert "Intervisie 1 (1:30)" in listed.stdout


@pytest.mark.slow
def test_a_wrong_entry_is_refused_with_each_problem_and_nothing_stored(vault_path: Path) -> None:
    result = add(
        vault_path,
        "--kind",
        "gossip",
        "--date",
        "01-01-2020",
        "--minutes",
        "2000",
        "--subject",
        "escape \x1b[31m",
        "--lang",
        "en",
    )
    assert result.returncode == 1
    assert "kind:" in result.stderr and "minutes:" in result.stderr
    assert "subject:" in result.stderr and "\x1b" not in result.stderr
    assert "Traceback" not in result.stderr
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        assert activities.list_activities(vault) == []


@pytest.mark.slow
def test_an_unreadable_duration_is_refused_before_the_passphrase(vault_path: Path) -> None:
    result = add(
        vault_path,
        "--kind",
        "training",
        "--date",
        "01-01-2020",
        "--minutes",
        "anderhalf",
        "--subject",
        "x",
    )
    assert result.returncode == 1
    assert "1:30" in result.stderr
    assert "Wachtwoordzin" not in result.stderr + result.stdout
