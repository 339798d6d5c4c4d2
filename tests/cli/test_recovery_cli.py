"""`init` shows the recovery key, `recovery-key` replaces it, `recover` sets a new passphrase
with it: through the real command, with its exit codes, and killed at any moment."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from test_vault_commands import cli
from test_vault_passwd_kill import _opens, _wait_for_temp_file

from confidant_tui.paths import header_path
from confidant_tui.vault import header
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
NEW = "a passphrase chosen after forgetting"
KEY_LINE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){7}$", re.MULTILINE)


def _key_in(stdout: str) -> str:
    found = [line for line in stdout.splitlines() if KEY_LINE.fullmatch(line)]
    assert len(found) == 1, stdout
    return found[0]


def _mark(path: Path, passphrase: str) -> None:
    with Vault.open(path, passphrase) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', 'still here')")


@pytest.mark.slow
def test_the_key_from_init_recovers_survives_passwd_and_a_new_key_replaces_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v" / "confidant.vault"
    made = cli("init", "--vault", str(path), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    assert "HERSTELSLEUTEL" in made.stdout and "kluis" in made.stdout
    assert "op papier" in made.stdout
    key = _key_in(made.stdout)
    _mark(path, PASSPHRASE)

    recovered = cli("recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{key}\n{NEW}\n")
    assert recovered.returncode == 0, recovered.stderr
    assert _opens(path, NEW) and not _opens(path, PASSPHRASE)
    old_passphrase = cli("check", "--vault", str(path), "--passphrase-stdin", stdin=PASSPHRASE)
    assert old_passphrase.returncode == 3

    # A passphrase change keeps the key working, and so does using it: it works until a
    # new one is made (typed in lower case, with spaces for dashes).
    third = "the third passphrase of this vault"
    changed = cli("passwd", "--vault", str(path), "--passphrase-stdin", stdin=f"{NEW}\n{third}\n")
    assert changed.returncode == 0, changed.stderr
    typed = key.lower().replace("-", " ")
    again = cli("recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{typed}\n{NEW}\n")
    assert again.returncode == 0, again.stderr
    assert _opens(path, NEW) and not _opens(path, third)

    replaced = cli("recovery-key", "--vault", str(path), "--passphrase-stdin", stdin=NEW + "\n")
    assert replaced.returncode == 0, replaced.stderr
    new_key = _key_in(replaced.stdout)
    assert new_key != key
    stale = cli("recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{key}\n{NEW}\n")
    assert stale.returncode == 3
    assert "herstelsleutel" in stale.stderr.lower()

    typo = new_key[:-1] + ("0" if new_key[-1] != "0" else "1")
    mistyped = cli("recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{typo}\n{NEW}\n")
    assert mistyped.returncode == 1
    assert "controleer de herstelsleutel op een typefout" in mistyped.stderr
    assert _opens(path, NEW)


def test_init_without_a_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "v" / "confidant.vault"
    made = cli(
        "init",
        "--vault",
        str(path),
        "--no-recovery-key",
        "--passphrase-stdin",
        "--lang",
        "en",
        stdin=PASSPHRASE + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert not KEY_LINE.search(made.stdout)
    assert "no recovery key" in made.stdout
    assert header.read(header_path(path)).recovery is None
    someone = "0000-0000-0000-0000-0000-0000-0000-0000"
    refused = cli("recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{someone}\n")
    assert refused.returncode == 3
    assert "geen herstelsleutel" in refused.stderr


def _start(path: Path, command: str, lines: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "confidant_tui",
            command,
            "--passphrase-stdin",
            "--vault",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    assert child.stdin is not None
    child.stdin.write(lines.encode())
    child.stdin.close()
    return child


@pytest.mark.slow
def test_recover_and_recovery_key_killed_at_any_moment_leave_a_vault_that_opens(
    tmp_path: Path,
) -> None:
    """As `passwd` (tests/cli/test_vault_passwd_kill.py): after each SIGKILL exactly one of
    the old and new passphrases opens the vault, with its data; the recovery key in force
    (old or new) opens it too."""
    path = tmp_path / "v" / "confidant.vault"
    made = cli("init", "--vault", str(path), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    key = _key_in(made.stdout)
    _mark(path, PASSPHRASE)
    rng = random.Random()
    current, other = PASSPHRASE, NEW
    killed = 0
    for round_number in range(8):
        child = _start(path, "recover", f"{key}\n{other}\n")
        if round_number % 2:
            _wait_for_temp_file(path.parent, child)
            time.sleep(rng.uniform(0, 0.003))
        else:
            time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed += child.returncode == -signal.SIGKILL
        old_opens, new_opens = _opens(path, current), _opens(path, other)
        assert old_opens != new_opens, f"round {round_number}: old={old_opens} new={new_opens}"
        if new_opens:
            current, other = other, current
        assert header.read(header_path(path)).recovery is not None
    for round_number in range(4):
        child = _start(path, "recovery-key", f"{current}\n")
        _wait_for_temp_file(path.parent, child)
        time.sleep(rng.uniform(0, 0.003))
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed += child.returncode == -signal.SIGKILL
        assert _opens(path, current), f"recovery-key round {round_number}"
    assert killed >= 6, f"only {killed} of 12 runs were killed before they finished"
    # A run to completion works and cleans up what killed runs left.
    finished = _start(path, "recovery-key", f"{current}\n")
    assert finished.stdout is not None
    out = finished.stdout.read().decode()
    assert finished.wait(timeout=60) == 0
    final_key = _key_in(out)
    done = cli(
        "recover", "--vault", str(path), "--passphrase-stdin", stdin=f"{final_key}\n{other}\n"
    )
    assert done.returncode == 0, done.stderr
    assert _opens(path, other) and not _opens(path, current)
    assert not [name for name in os.listdir(path.parent) if name.endswith(".tmp")]
