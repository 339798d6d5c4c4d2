"""Every way opening a vault can fail, through the real command in a subprocess.

Each case checks the adviser's message (Dutch by default), the exit code, that no
traceback reaches the terminal, and that no file of the vault changed (only the empty lock
file may appear) — a vault that did not open is never written, and a missing path is never
created.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE

from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf
from confidant_tui.vault.migrations import latest_version
from confidant_tui.vault.opening import read_header_for
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
NEW = "a brand new passphrase for the vault"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Runs `python -m confidant_tui ARGS` with the test's private environment."""
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Hashes every file in the folder except the (empty) lock file."""
    if not folder.exists():
        return {}
    return {
        item.name: hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.iterdir())
        if item.is_file() and not item.name.endswith(".lock")
    }


def assert_clean_failure(
    result: subprocess.CompletedProcess[str], code: int, fragment: str
) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert fragment in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "sqlcipher3" not in result.stderr


# -- setups: each damages a fresh vault and returns the path to pass to --vault -------------


def _wrong_passphrase(path: Path) -> Path:
    return path


def _missing(path: Path) -> Path:
    return path.parent / "nothing-here" / "confidant.vault"


def _only_header(path: Path) -> Path:
    path.unlink()
    return path


def _random_file(path: Path) -> Path:
    other = path.with_name("random.bin")
    other.write_bytes(os.urandom(20_000))
    return other


def _random_file_with_header(path: Path) -> Path:
    path.write_bytes(os.urandom(path.stat().st_size))
    return path


def _plain_sqlite(path: Path) -> Path:
    plain = path.with_name("plain.db")
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    header_path(plain).write_bytes(header_path(path).read_bytes())
    return plain


def _directory(path: Path) -> Path:
    folder = path.with_name("a-folder.vault")
    folder.mkdir()
    return folder


def _truncated_header(path: Path) -> Path:
    head = header_path(path)
    head.write_bytes(head.read_bytes()[:100])
    return path


def _garbage_header(path: Path) -> Path:
    header_path(path).write_bytes(os.urandom(300))
    return path


def _empty_header(path: Path) -> Path:
    header_path(path).write_bytes(b"")
    return path


def _no_header(path: Path) -> Path:
    header_path(path).unlink()
    return path


def _damaged_page_one(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[2000] ^= 0x10
    path.write_bytes(data)
    return path


def _empty_database(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _newer_header(path: Path) -> Path:
    head = header_path(path)
    document = json.loads(head.read_text())
    document["version"] = header_file.HEADER_VERSION + 1
    head.write_text(json.dumps(document, indent=2))
    return path


def _newer_schema(path: Path) -> Path:
    key = header_file.unwrap(read_header_for(path), PASSPHRASE)
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    return path


def _foreign_header(path: Path) -> Path:
    other = path.parent.parent / "other" / "confidant.vault"
    Vault.create(other, PASSPHRASE, kdf.floor_params()).close()
    header_path(path).write_bytes(header_path(other).read_bytes())
    return path


Setup = Callable[[Path], Path]
W = "wrong horse battery staple\n"
P = PASSPHRASE + "\n"

# (setup, command, stdin, exit code, Dutch fragment)
CASES: dict[str, tuple[Setup, str, str, int, str]] = {
    "wrong passphrase (check)": (_wrong_passphrase, "check", W, 3, "De wachtwoordzin klopt niet"),
    "wrong passphrase (passwd)": (
        _wrong_passphrase,
        "passwd",
        W + NEW + "\n",
        3,
        "De wachtwoordzin klopt niet",
    ),
    "missing vault": (_missing, "check", P, 4, "Er is geen kluis op"),
    "missing vault (passwd)": (_missing, "passwd", P + NEW + "\n", 4, "Er is geen kluis op"),
    "database missing, header there": (_only_header, "check", P, 4, "ontbreekt"),
    "random file": (_random_file, "check", P, 4, "staat geen kopbestand"),
    "random bytes with a header": (
        _random_file_with_header,
        "check",
        P,
        4,
        "kan niet worden gelezen met de sleutel",
    ),
    "plain SQLite file": (_plain_sqlite, "check", P, 4, "onversleutelde SQLite-database"),
    "directory": (_directory, "check", P, 4, "is geen kluisbestand"),
    "truncated header": (_truncated_header, "passwd", P + NEW + "\n", 4, "beschadigd"),
    "truncated header (check)": (_truncated_header, "check", P, 4, "Kopbestand: PROBLEEM"),
    "garbage header": (_garbage_header, "passwd", P + NEW + "\n", 4, "beschadigd"),
    "empty header": (_empty_header, "check", P, 4, "beschadigd (onleesbaar)"),
    "no header": (_no_header, "check", P, 4, "staat geen kopbestand"),
    "damaged page 1": (_damaged_page_one, "check", P, 4, "de kluis is beschadigd"),
    "damaged page 1 (passwd)": (
        _damaged_page_one,
        "passwd",
        P + NEW + "\n",
        4,
        "kan niet worden gelezen met de sleutel",
    ),
    "empty database": (_empty_database, "check", P, 4, "is leeg"),
    "newer header version": (_newer_header, "check", P, 4, "nieuwere versie van Confidant"),
    "newer schema version": (_newer_schema, "check", P, 4, "nieuwere versie van Confidant"),
    "newer schema version (passwd)": (
        _newer_schema,
        "passwd",
        P + NEW + "\n",
        4,
        "nieuwere versie van Confidant",
    ),
    "header of another vault": (_foreign_header, "passwd", P + NEW + "\n", 4, "andere kluis"),
    "weak new passphrase": (_wrong_passphrase, "passwd", P + "short\n", 1, "te kort"),
    "no passphrase on stdin": (_wrong_passphrase, "check", "", 2, "verwacht"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_failure_is_clear_and_changes_nothing(vault_path: Path, name: str) -> None:
    setup, command, stdin, code, fragment = CASES[name]
    target = setup(vault_path)
    before = snapshot(vault_path.parent)
    result = cli(command, "--vault", str(target), "--passphrase-stdin", stdin=stdin)
    assert_clean_failure(result, code, fragment)
    assert snapshot(vault_path.parent) == before
    if setup is _missing:
        assert not target.parent.exists()


def test_english_with_lang_option(vault_path: Path) -> None:
    result = cli("check", "--lang", "en", "--vault", str(vault_path), "--passphrase-stdin", stdin=W)
    assert_clean_failure(result, 3, "Error: The passphrase is not correct.")


def test_english_from_the_environment(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = vault_path.parent / "nope.vault"
    monkeypatch.setenv("CONFIDANT_LANG", "en")
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    result = subprocess.run(
        [sys.executable, "-m", "confidant_tui", "check", "--vault", str(missing)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert_clean_failure(result, 4, "There is no vault at")


def test_init_never_overwrites(vault_path: Path) -> None:
    before = snapshot(vault_path.parent)
    result = cli("init", "--vault", str(vault_path), "--passphrase-stdin", stdin=P)
    assert_clean_failure(result, 4, "staat al een bestand")
    assert snapshot(vault_path.parent) == before


def test_usage_errors_exit_2(vault_path: Path) -> None:
    assert_clean_failure(cli("frobnicate"), 2, "Verkeerd gebruik van de opdracht")
    # There is no option to pass a passphrase on the command line, not even abbreviated,
    # and a stray passphrase is not echoed back.
    result = cli("check", "--vault", str(vault_path), "--passphrase", "hunter2-geheim")
    assert_clean_failure(result, 2, "onbekende opties --passphrase")
    assert "hunter2-geheim" not in result.stdout + result.stderr
    result = cli("check", "--vault", str(vault_path), "hunter2-geheim")
    assert_clean_failure(result, 2, "onverwachte extra argumenten")
    assert "hunter2-geheim" not in result.stdout + result.stderr


def test_no_terminal_without_passphrase_stdin(vault_path: Path) -> None:
    result = cli("check", "--vault", str(vault_path), stdin=P)
    assert_clean_failure(result, 2, "--passphrase-stdin")
