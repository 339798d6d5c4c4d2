"""Restore (`services.backups.restore_backup`, `vault.restore`, `vault.restore_journal`): the
backup is checked before anything changes, the swap survives an interruption at any step,
and a deliberate restore is not reported as a vault that went back in time."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from backup_helpers import NOW, add_marker, contents, vault_with_cases
from conftest import PASSPHRASE

from confidant_tui.errors import (
    DamagedDatabase,
    NotAVault,
    VaultExists,
    VaultInUse,
    WrongPassphrase,
)
from confidant_tui.paths import header_path
from confidant_tui.services import backups
from confidant_tui.vault import freshness, restore_journal
from confidant_tui.vault import restore as restoring
from confidant_tui.vault.header import read as read_header
from confidant_tui.vault.store import Vault


class Killed(BaseException):
    """Stands for a SIGKILL: nothing after it runs in the process."""


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


@pytest.fixture
def scene(tmp_path: Path) -> dict:
    """A vault with cases, its backup, then one more save in the vault (closed)."""
    vault = vault_with_cases(tmp_path / "v" / "confidant.vault")
    (tmp_path / "b").mkdir()
    made = backups.make_backup(vault, tmp_path / "b" / "backup.vault", now=NOW)
    add_marker(vault, "after the backup")
    vault.close()
    return {
        "vault": vault.path,
        "backup": made.path,
        "old": contents(vault.path),
        "restored": contents(made.path),
        "saves": made.saves,
    }


def test_restore_replaces_the_vault_and_is_not_a_rollback(scene: dict) -> None:
    target = scene["vault"]
    state_before = freshness.read_state(target, read_header(header_path(target)).vault_id)
    assert state_before.counter > scene["saves"]
    done = backups.restore_backup(scene["backup"], target, PASSPHRASE, replace_existing=True)
    assert done.replaced and done.saves == scene["saves"]
    assert contents(target) == scene["restored"]
    names = sorted(p.name for p in target.parent.iterdir())
    pending = [name for name in names if name.endswith(".pending")]
    assert len(pending) == 1  # the restore's audit entry, for the restored vault's writer
    assert [name for name in names if name not in pending] == [
        "confidant.vault",
        "confidant.vault.header",
        "confidant.vault.lock",
    ]
    assert read_header(header_path(target)).backup is None
    with Vault.open(target, PASSPHRASE) as vault:  # a writer would refuse a rollback
        assert not vault.freshness.went_back
        add_marker(vault, "continues")


def test_restore_onto_a_missing_vault_creates_it(scene: dict, tmp_path: Path) -> None:
    target = tmp_path / "new computer" / "deep" / "confidant.vault"
    done = backups.restore_backup(scene["backup"], target, PASSPHRASE, replace_existing=False)
    assert not done.replaced
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert contents(target) == scene["restored"]


def test_restore_needs_permission_to_replace(scene: dict) -> None:
    before = _folder(scene["vault"])
    with pytest.raises(VaultExists):
        backups.restore_backup(scene["backup"], scene["vault"], PASSPHRASE, replace_existing=False)
    assert _folder(scene["vault"]) == before


def test_restore_refuses_a_damaged_backup_and_changes_nothing(scene: dict) -> None:
    backup = scene["backup"]
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x10
    backup.write_bytes(bytes(data))
    before = _folder(scene["vault"])
    with pytest.raises(DamagedDatabase):
        backups.restore_backup(backup, scene["vault"], PASSPHRASE, replace_existing=True)
    assert _folder(scene["vault"]) == before


def test_restore_refuses_a_wrong_passphrase_and_a_vault(scene: dict, tmp_path: Path) -> None:
    before = _folder(scene["vault"])
    with pytest.raises(WrongPassphrase):
        backups.restore_backup(
            scene["backup"], scene["vault"], "not the passphrase at all", replace_existing=True
        )
    with pytest.raises(NotAVault):
        backups.restore_backup(
            scene["vault"], tmp_path / "x.vault", PASSPHRASE, replace_existing=True
        )
    assert _folder(scene["vault"]) == before


def test_restore_refuses_while_a_writer_holds_the_vault(scene: dict) -> None:
    with Vault.open(scene["vault"], PASSPHRASE):
        before = _folder(scene["vault"])
        with pytest.raises(VaultInUse):
            backups.restore_backup(
                scene["backup"], scene["vault"], PASSPHRASE, replace_existing=True
            )
        assert _folder(scene["vault"]) == before


def _kill_at_rename(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    real = os.rename
    calls = {"count": 0}

    def rename(source, target):
        calls["count"] += 1
        if calls["count"] == number:
            raise Killed
        real(source, target)

    monkeypatch.setattr(restore_journal.os, "rename", rename)


def _kill_at(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(owner, name, killed)


KILL_POINTS = [
    # the vault's database and header aside, then the new header and database in place
    *[("rename", n) for n in range(1, 5)],
    ("folder sync", 0),
    ("check", 0),
    ("state", 0),
]


@pytest.mark.parametrize(("point", "number"), KILL_POINTS)
def test_an_interrupted_restore_leaves_one_whole_vault(
    scene: dict, monkeypatch: pytest.MonkeyPatch, point: str, number: int
) -> None:
    target = scene["vault"]
    with monkeypatch.context() as patch:
        _kill_at(patch, restore_journal, "undo")  # a killed process undoes nothing
        if point == "rename":
            _kill_at_rename(patch, number)
        elif point == "check":
            _kill_at(patch, restoring, "_check_restored")
        elif point == "state":
            _kill_at(patch, restore_journal.fresh, "write_state")
        else:
            _kill_at(patch, restore_journal, "sync_folder")
        with pytest.raises(Killed):
            backups.restore_backup(scene["backup"], target, PASSPHRASE, replace_existing=True)
    assert restore_journal.journal_path(target).exists()
    # The next open finishes or undoes it; a writer would refuse a rollback.
    with Vault.open(target, PASSPHRASE) as vault:
        assert not vault.freshness.went_back
    found = contents(target)
    both_new_in_place = point in ("folder sync", "check", "state")
    assert found == (scene["restored"] if both_new_in_place else scene["old"])
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "confidant.vault",
        "confidant.vault.header",
        "confidant.vault.lock",
    ]


def test_an_interrupted_undo_is_finished_by_the_next_open(
    scene: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = scene["vault"]
    real_replace = os.replace
    calls = {"count": 0}

    def replace(source, destination):
        calls["count"] += 1
        if calls["count"] == 3:  # 1: the journal written; 2: the old header back in place
            raise Killed
        real_replace(source, destination)

    with monkeypatch.context() as patch:
        _kill_at(patch, restoring, "_check_restored")
        patch.setattr(restore_journal.os, "replace", replace)
        with pytest.raises(Killed):
            backups.restore_backup(scene["backup"], target, PASSPHRASE, replace_existing=True)
    assert restore_journal.journal_path(target).exists()
    with Vault.open(target, PASSPHRASE):
        pass
    assert contents(target) == scene["old"]
    assert not restore_journal.journal_path(target).exists()


def test_an_interrupted_restore_is_left_alone_while_another_process_holds_the_lock(
    scene: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = scene["vault"]
    with monkeypatch.context() as patch:
        _kill_at(patch, restore_journal, "undo")
        _kill_at_rename(patch, 2)  # the database is aside: the vault is mid-swap
        with pytest.raises(Killed):
            backups.restore_backup(scene["backup"], target, PASSPHRASE, replace_existing=True)
    lock = restore_journal.WriterLock(target)
    lock.acquire()  # stands for the restoring process
    try:
        with pytest.raises(VaultInUse):
            restoring.finish_interrupted_restore(target)
    finally:
        lock.release()
    restoring.finish_interrupted_restore(target)
    assert contents(target) == scene["old"]


def test_finish_is_cheap_without_a_journal(vault_path: Path) -> None:
    before = _folder(vault_path)
    restoring.finish_interrupted_restore(vault_path)
    assert _folder(vault_path) == before
