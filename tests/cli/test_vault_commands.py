"""`confidant init`, `passwd` and `check` doing their job, through the real command."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import WrongPassphrase
from confidant_tui.paths import header_path, lock_path
from confidant_tui.vault.header import read as read_header
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
NEW = "a brand new passphrase for the vault"


def cli(
    *args: str, stdin: str = "", preexec: object = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CONFIDANT_TEST_KDF": "floor", **(env or {})}
    full_env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=60,
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_init_makes_a_private_vault_that_opens(tmp_path: Path) -> None:
    target = tmp_path / "new folder #1?" / "kluis é.vault"
    result = cli("init", "--vault", str(target), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert "Kluis gemaakt" in result.stdout
    assert _mode(target.parent) == 0o700
    for path in (target, header_path(target), lock_path(target)):
        assert _mode(path) == 0o600, path
    with Vault.open(target, PASSPHRASE) as vault:
        assert _mode(target.with_name(target.name + "-wal")) == 0o600
        assert _mode(target.with_name(target.name + "-shm")) == 0o600
        with vault.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
    assert not target.read_bytes().startswith(b"SQLite format 3")


def test_passphrase_stdin_strips_only_the_line_ending(tmp_path: Path) -> None:
    target = tmp_path / "v" / "confidant.vault"
    spaced = "  " + PASSPHRASE + "  "
    result = cli("init", "--vault", str(target), "--passphrase-stdin", stdin=spaced + "\r\n")
    assert result.returncode == 0, result.stderr
    Vault.open(target, spaced).close()
    with pytest.raises(WrongPassphrase):
        Vault.open(target, PASSPHRASE)


@pytest.mark.slow
def test_passwd_reads_current_then_new_and_keeps_the_data(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', 'kept')")
    salt_before = read_header(header_path(vault_path)).kdf_params.salt
    result = cli(
        "passwd", "--vault", str(vault_path), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n{NEW}\n"
    )
    assert result.returncode == 0, result.stderr
    assert "De wachtwoordzin is gewijzigd." in result.stdout
    assert read_header(header_path(vault_path)).kdf_params.salt != salt_before
    assert _mode(header_path(vault_path)) == 0o600
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, PASSPHRASE)
    with Vault.open(vault_path, NEW) as vault, vault.reading() as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() == ("kept",)


@pytest.mark.slow
def test_vault_option_before_or_after_the_command_and_from_the_environment(
    vault_path: Path,
) -> None:
    before = cli("--vault", str(vault_path), "check", "--passphrase-stdin", stdin=PASSPHRASE)
    after = cli("check", "--vault", str(vault_path), "--passphrase-stdin", stdin=PASSPHRASE)
    from_env = cli(
        "check", "--passphrase-stdin", stdin=PASSPHRASE, env={"CONFIDANT_VAULT": str(vault_path)}
    )
    for result in (before, after, from_env):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Oordeel: de kluis is in orde." in result.stdout
    elsewhere = cli("check", "--passphrase-stdin", stdin=PASSPHRASE)  # CONFIDANT_VAULT default
    assert elsewhere.returncode == 4
    assert os.environ["CONFIDANT_VAULT"] in elsewhere.stderr


@pytest.mark.slow
def test_check_finds_a_damaged_last_page(vault_path: Path) -> None:
    data = bytearray(vault_path.read_bytes())
    data[-500] ^= 0x01
    vault_path.write_bytes(data)
    result = cli("check", "--vault", str(vault_path), "--passphrase-stdin", stdin=PASSPHRASE)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Versleutelde pagina's: PROBLEEM (1 beschadigde pagina)" in result.stdout
    assert "Oordeel: de kluis is beschadigd" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_in_english(vault_path: Path) -> None:
    result = cli(
        "check", "--lang", "en", "--vault", str(vault_path), "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert result.returncode == 0
    assert "Encrypted pages: in order" in result.stdout
    assert "Verdict: the vault is in order." in result.stdout


def test_help_is_dutch_by_default() -> None:
    result = cli("--help")
    assert result.returncode == 0
    assert "OPDRACHT" in result.stdout
    assert "wachtwoordzin van de kluis wijzigen" in result.stdout


def _full_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, 32 * 1024))


@pytest.mark.slow
def test_init_on_a_full_disk_fails_cleanly_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "full" / "confidant.vault"
    result = cli(
        "init", "--vault", str(target), "--passphrase-stdin", stdin=PASSPHRASE, preexec=_full_disk
    )
    assert result.returncode == 6, result.stdout + result.stderr
    assert "Fout: De schijf" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["confidant.vault.lock"]


HARDENED = textwrap.dedent(
    """
    import os, resource
    from confidant_tui.hardening import harden_process
    harden_process()
    mask = os.umask(0)
    dumpable = "?"
    if os.path.exists("/proc/self/status"):
        for line in open("/proc/self/status"):
            if line.startswith("CoreDumping") or line.startswith("Dumpable"):
                dumpable = line.split()[1]
    print(oct(mask), resource.getrlimit(resource.RLIMIT_CORE), dumpable)
    """
)


def test_process_hardening_no_core_dumps_and_umask_077() -> None:
    result = subprocess.run(
        [sys.executable, "-c", HARDENED], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    mask, rest = result.stdout.split(" ", 1)
    assert mask == "0o77"
    assert rest.startswith("(0, 0)")
