"""`confidant restore` and `rekey-to` through the real command: confirmation rules, a damaged
backup refused, a vault in use refused, a missing vault created; a new vault under a new key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from backup_helpers import NOW, add_marker, contents, vault_with_cases
from conftest import PASSPHRASE
from test_vault_commands import cli

from confidant_tui.domain.recovery_key import parse_recovery_key
from confidant_tui.errors import WrongPassphrase
from confidant_tui.paths import header_path
from confidant_tui.services import audit, backups
from confidant_tui.vault import header as header_file
from confidant_tui.vault.store import Vault

NEW = "the new vault after a leaked passphrase"
KEY_LINE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$", re.MULTILINE)


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


@pytest.fixture
def scene(tmp_path: Path) -> dict:
    vault = vault_with_cases(tmp_path / "v" / "confidant.vault")
    made = backups.make_backup(vault, tmp_path / "backup.vault", now=NOW)
    add_marker(vault, "after the backup")
    vault.close()
    return {"vault": vault.path, "backup": made.path, "restored": contents(made.path)}


def _restore(scene: dict, *extra: str, vault: Path | None = None):
    return cli(
        "--lang", "en", "restore", str(scene["backup"]), "--vault", str(vault or scene["vault"]),
        "--passphrase-stdin", *extra, stdin=PASSPHRASE + "\n",
    )  # fmt: skip


def test_restore_over_a_vault_needs_yes_without_a_terminal(scene: dict) -> None:
    before = _folder(scene["vault"])
    refused = _restore(scene)
    assert refused.returncode == 2, refused.stderr
    assert "--yes" in refused.stderr
    assert _folder(scene["vault"]) == before
    done = _restore(scene, "--yes")
    assert done.returncode == 0, done.stderr
    assert "13 cases" in done.stdout and "Restored" in done.stdout
    assert contents(scene["vault"]) == scene["restored"]
    with Vault.open(scene["vault"], PASSPHRASE) as vault:
        assert not vault.freshness.went_back


def test_restore_refuses_a_damaged_backup(scene: dict) -> None:
    backup = scene["backup"]
    data = bytearray(backup.read_bytes())
    data[-100] ^= 0x01
    backup.write_bytes(bytes(data))
    before = _folder(scene["vault"])
    result = _restore(scene, "--yes")
    assert result.returncode == 4, result.stdout + result.stderr
    assert _folder(scene["vault"]) == before


def test_restore_onto_a_missing_vault_creates_it(scene: dict, tmp_path: Path) -> None:
    target = tmp_path / "other computer" / "confidant.vault"
    result = _restore(scene, vault=target)
    assert result.returncode == 0, result.stderr
    assert contents(target) == scene["restored"]


def test_restore_refuses_while_the_app_has_the_vault_open(scene: dict) -> None:
    with Vault.open(scene["vault"], PASSPHRASE):
        before = _folder(scene["vault"])
        result = _restore(scene, "--yes")
        assert result.returncode == 5, result.stderr
        assert _folder(scene["vault"]) == before


def test_rekey_to_makes_a_new_vault_under_a_new_key(scene: dict, tmp_path: Path) -> None:
    new_path = tmp_path / "new" / "fresh.vault"
    result = cli(
        "--lang", "en", "rekey-to", str(new_path), "--vault", str(scene["vault"]),
        "--passphrase-stdin", stdin=f"{PASSPHRASE}\n{NEW}\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    keys = KEY_LINE.findall(result.stdout)
    assert len(keys) == 1
    recovery = parse_recovery_key(KEY_LINE.search(result.stdout).group(0))
    with pytest.raises(WrongPassphrase):
        Vault.open(new_path, PASSPHRASE)
    with Vault.open(new_path, NEW) as fresh, Vault.open(scene["vault"], PASSPHRASE) as old:
        assert fresh.vault_id != old.vault_id
        assert bytes(fresh.data_key_copy()) != bytes(old.data_key_copy())
        new_key = fresh.data_key_copy()
    parsed = header_file.read(header_path(new_path))
    assert bytes(header_file.unwrap_recovery(parsed, recovery)) == bytes(new_key)
    skip = ("vault_id", "commit_counter", "audit_log")
    assert contents(new_path, NEW, skip=skip) == contents(scene["vault"], skip=skip)
    # The same acts in the audit log, chained again under the new key (so other MACs).
    with (
        Vault.open(new_path, NEW, read_only=True) as fresh,
        Vault.open(scene["vault"], PASSPHRASE, read_only=True) as old,
    ):
        assert audit.entries(fresh) == audit.entries(old) != []
