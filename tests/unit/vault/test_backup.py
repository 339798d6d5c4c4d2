"""Backups (`services.backups`, `vault.backup`): a consistent, encrypted, verified copy that
opens like the vault, written only where an export may go; and rekey-to."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from backup_helpers import NOW, add_marker, contents, vault_with_cases
from conftest import PASSPHRASE

from confidant_tui.domain.recovery_key import format_recovery_key, parse_recovery_key
from confidant_tui.errors import DamagedDatabase, VaultExists, WeakPassphrase, WrongPassphrase
from confidant_tui.paths import header_path
from confidant_tui.services import audit, backups, exports
from confidant_tui.vault import backup as backup_file
from confidant_tui.vault import freshness, kdf
from confidant_tui.vault import header as header_file
from confidant_tui.vault.backup import verify_copy
from confidant_tui.vault.store import Vault

SEPARATE = "a separate passphrase for the colleague's safe"
NEW = "the new vault after a leaked passphrase"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_restores_every_table_row_by_row(tmp_path: Path) -> None:
    vault = vault_with_cases(tmp_path / "v" / "confidant.vault")
    add_marker(vault, "before")
    made = backups.make_backup(vault, tmp_path / "b.vault", now=NOW)
    add_marker(vault, "after the backup")
    vault.close()
    assert made.cases == 13
    assert made.made_at == NOW
    assert made.header_path == header_path(made.path)
    assert _mode(made.path) == 0o600 and _mode(made.header_path) == 0o600
    saved = contents(made.path)
    assert not made.path.read_bytes().startswith(b"SQLite format 3")
    # The backup is one file: no -wal, -shm or -journal beside it, no temp file left.
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "b.vault",
        "b.vault.header",
    ]
    parsed = header_file.read(made.header_path)
    assert parsed.backup is not None and parsed.backup.made_at == "2026-03-02T09:30:00Z"
    assert parsed.commit is not None and parsed.commit.counter == made.saves

    target = tmp_path / "elsewhere" / "restored.vault"
    done = backups.restore_backup(made.path, target, PASSPHRASE, replace_existing=False)
    assert (done.cases, done.saves, done.replaced) == (13, made.saves, False)
    assert contents(target) == saved
    assert saved["meta"] == sorted(saved["meta"], key=repr)
    keys = [row[0] for row in saved["meta"]]
    assert "before" in keys and "after the backup" not in keys
    with Vault.open(target, PASSPHRASE) as restored:
        assert not restored.freshness.went_back


def test_backup_is_made_beside_the_open_writer_and_is_a_snapshot(tmp_path: Path) -> None:
    writer = vault_with_cases(tmp_path / "v" / "confidant.vault")
    reader = Vault.open(writer.path, PASSPHRASE, read_only=True)
    try:
        made = backups.make_backup(reader, tmp_path / "b.vault", now=NOW)
        add_marker(writer, "later")  # the writer is not blocked by the backup
    finally:
        reader.close()
        writer.close()
    # After the backup: the marker, and the writer folding the backup's audit entry at close.
    assert made.saves == freshness.read_state(writer.path, writer.vault_id).counter - 2
    assert backups.check_backup(made.path, PASSPHRASE).saves == made.saves


def test_backup_records_the_last_verified_backup(vault: Vault, tmp_path: Path) -> None:
    assert backups.last_backup(vault) is None
    backups.make_backup(vault, tmp_path / "b.vault", now=NOW)
    assert backups.last_backup(vault) == NOW
    assert not backups.backup_overdue(NOW, interval_days=7, now=NOW + dt.timedelta(days=6))
    assert backups.backup_overdue(NOW, interval_days=7, now=NOW + dt.timedelta(days=7))
    assert backups.backup_overdue(None, interval_days=7, now=NOW)


def test_suggested_path_is_dated_and_not_a_vault_file(vault: Vault) -> None:
    suggested = backups.suggested_backup_path(vault.path, dt.date(2026, 12, 2))
    assert suggested.name == "confidant-back-up-2026-12-02.vault"
    assert suggested not in exports.vault_files(vault.path)


@pytest.mark.parametrize("own", ["", ".header", "-wal", "-shm", ".lock"])
def test_backup_never_onto_the_vault_files(vault: Vault, own: str) -> None:
    target = vault.path.with_name(vault.path.name + own)
    before = {p.name: p.read_bytes() for p in vault.path.parent.iterdir() if p.is_file()}
    with pytest.raises(exports.OutputRefused):
        backups.make_backup(vault, target, now=NOW)
    # DEST.header may not be a vault file either: DEST = the vault minus ".header".
    after = {p.name: p.read_bytes() for p in vault.path.parent.iterdir() if p.is_file()}
    assert set(after) >= set(before)
    assert after["confidant.vault.header"] == before["confidant.vault.header"]


def test_backup_whose_header_would_be_a_vault_file_is_refused(tmp_path: Path) -> None:
    # A vault file named "v.header": a backup "v" would put its header onto the vault.
    with Vault.create(tmp_path / "v.header", PASSPHRASE, kdf.floor_params()) as vault:
        before = vault.path.read_bytes()
        with pytest.raises(exports.OutputRefused):
            backups.make_backup(vault, tmp_path / "v", now=NOW)
        assert vault.path.read_bytes() == before
    assert not (tmp_path / "v").exists()


def test_backup_refuses_a_folder_and_an_existing_file(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(exports.OutputRefused):
        backups.make_backup(vault, tmp_path, now=NOW)
    existing = tmp_path / "b.vault"
    existing.write_bytes(b"keep me")
    with pytest.raises(exports.OutputExists):
        backups.make_backup(vault, existing, now=NOW)
    assert existing.read_bytes() == b"keep me"
    assert not header_path(existing).exists()
    header_path(existing).write_bytes(b"keep this too")
    existing.unlink()
    with pytest.raises(exports.OutputExists):
        backups.make_backup(vault, existing, now=NOW)
    assert not existing.exists()
    assert header_path(existing).read_bytes() == b"keep this too"
    existing.write_bytes(b"old")
    made = backups.make_backup(vault, existing, now=NOW, replace=True)
    assert backups.check_backup(made.path, PASSPHRASE).cases == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".b.vault")) == []


def test_separate_passphrase_replaces_the_vaults_but_not_the_recovery_key(
    tmp_path: Path,
) -> None:
    recovery = parse_recovery_key(format_recovery_key(os.urandom(16)))
    vault = Vault.create(
        tmp_path / "v" / "c.vault", PASSPHRASE, kdf.floor_params(), recovery_key=recovery
    )
    try:
        add_marker(vault, "m")
        made = backups.make_backup(
            vault, tmp_path / "b.vault", now=NOW, separate_passphrase=SEPARATE
        )
        vault_header = vault.header()
    finally:
        vault.close()
    parsed = header_file.read(made.header_path)
    assert parsed.kdf_params.salt != vault_header.kdf_params.salt
    assert parsed.kdf_params.memory_kib == vault_header.kdf_params.memory_kib
    with pytest.raises(WrongPassphrase):
        backups.check_backup(made.path, PASSPHRASE)
    assert backups.check_backup(made.path, SEPARATE).saves == made.saves
    key = header_file.unwrap_recovery(parsed, recovery)
    try:
        assert verify_copy(made.path, key, parsed.vault_id, counter=made.saves) == 0
    finally:
        kdf.zero(key)


def test_weak_separate_passphrase_writes_nothing(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        backups.make_backup(vault, tmp_path / "b.vault", now=NOW, separate_passphrase="short")
    assert list(tmp_path.glob("b.vault*")) == []


def test_a_copy_that_fails_its_check_leaves_nothing_behind(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = backup_file.export_copy

    def miscounted(*args, **kwargs):
        snapshot = real(*args, **kwargs)
        return backup_file.Snapshot(snapshot.counter, snapshot.cases + 1)

    monkeypatch.setattr(backup_file, "export_copy", miscounted)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DamagedDatabase):
        backups.make_backup(vault, out / "b.vault", now=NOW)
    assert list(out.iterdir()) == []
    assert backups.last_backup(vault) is None


def test_rekey_to_copies_everything_under_a_new_key(tmp_path: Path) -> None:
    vault = vault_with_cases(tmp_path / "v" / "confidant.vault")
    new_path = tmp_path / "new" / "fresh.vault"
    try:
        old_key = vault.data_key_copy()
        recovery = backups.rekey_to(vault, new_path, NEW, params=kdf.floor_params())
        old_id = vault.vault_id
    finally:
        vault.close()
    assert _mode(new_path.parent) == 0o700
    assert _mode(new_path) == 0o600 and _mode(header_path(new_path)) == 0o600
    with pytest.raises(WrongPassphrase):
        Vault.open(new_path, PASSPHRASE)
    with Vault.open(new_path, NEW) as fresh_vault:
        assert fresh_vault.vault_id != old_id
        new_key = fresh_vault.data_key_copy()
        assert bytes(new_key) != bytes(old_key)
        assert fresh_vault.freshness.database == 0 and not fresh_vault.freshness.went_back
    parsed = header_file.read(header_path(new_path))
    assert bytes(header_file.unwrap_recovery(parsed, recovery)) == bytes(new_key)
    skip = ("vault_id", "commit_counter", "audit_log")
    assert contents(new_path, NEW, skip=skip) == contents(vault.path, skip=skip)
    with (  # the same acts in the audit log, chained under the new key
        Vault.open(new_path, NEW, read_only=True) as fresh_vault,
        Vault.open(vault.path, PASSPHRASE, read_only=True) as old_vault,
    ):
        assert audit.entries(fresh_vault) == audit.entries(old_vault) != []
    again = Vault.open(vault.path, PASSPHRASE, read_only=True)
    with pytest.raises(VaultExists):
        backups.rekey_to(again, new_path, NEW, params=kdf.floor_params())
    again.close()
