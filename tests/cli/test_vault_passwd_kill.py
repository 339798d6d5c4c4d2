"""A passphrase change killed at any moment leaves a vault that opens with exactly one of the
old and the new passphrase, with all its data.

`confidant passwd` runs in a subprocess and gets SIGKILL at random moments: half the kills
at a random delay over the whole run, half just after the new header's temp file appears
(the critical moment around the rename). After each kill the test tries both passphrases.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import WrongPassphrase
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
OTHER = "another good passphrase for kill tests"
ROUNDS = 26


def _opens(path: Path, passphrase: str) -> bool:
    """True when the passphrase opens the vault; then the marker row must be there."""
    try:
        vault = Vault.open(path, passphrase, read_only=True)
    except WrongPassphrase:
        return False
    with vault, vault.reading() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
    assert row == ("still here",)
    return True


def _start_passwd(path: Path, current: str, new: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            "passwd",
            "--passphrase-stdin",
            "--vault",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    assert child.stdin is not None
    child.stdin.write(f"{current}\n{new}\n".encode())
    child.stdin.close()
    return child


def _wait_for_temp_file(folder: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and child.poll() is None:
        if any(name.endswith(".tmp") for name in os.listdir(folder)):
            return
        time.sleep(0.0005)


@pytest.mark.slow
def test_kill_during_passphrase_change_never_loses_the_vault(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', 'still here')")
    rng = random.Random()
    current, other = PASSPHRASE, OTHER
    killed = changed = 0
    for round_number in range(ROUNDS):
        child = _start_passwd(vault_path, current, other)
        if round_number % 2:
            _wait_for_temp_file(vault_path.parent, child)
            time.sleep(rng.uniform(0, 0.004))
        else:
            time.sleep(rng.uniform(0.0, 0.45))
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed += child.returncode == -signal.SIGKILL
        old_opens, new_opens = _opens(vault_path, current), _opens(vault_path, other)
        assert old_opens != new_opens, f"round {round_number}: old={old_opens} new={new_opens}"
        if new_opens:
            changed += 1
            current, other = other, current
    assert killed >= 20, f"only {killed} of {ROUNDS} runs were killed before they finished"
    # A run to completion cleans up temp files that killed runs left behind.
    child = _start_passwd(vault_path, current, other)
    assert child.wait(timeout=60) == 0
    assert _opens(vault_path, other) and not _opens(vault_path, current)
    assert not [name for name in os.listdir(vault_path.parent) if name.endswith(".tmp")]
    print(f"{killed} kills, {changed} ended with the new passphrase")
