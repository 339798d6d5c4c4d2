"""The backups a vault knows of (for the destruction's warning): each verified backup's path
and moment, once per path, oldest first; an old record without the list still reads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from confidant_tui.services import backups, retention
from confidant_tui.vault import freshness
from confidant_tui.vault.store import Vault

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_each_backup_is_listed_once_per_path(vault: Vault, tmp_path: Path) -> None:
    assert retention.known_backups(vault) == []
    first, second = tmp_path / "a.vault", tmp_path / "b.vault"
    backups.make_backup(vault, first, now=NOW)
    backups.make_backup(vault, second, now=NOW + dt.timedelta(hours=1))
    backups.make_backup(vault, first, now=NOW + dt.timedelta(hours=2), replace=True)
    assert retention.known_backups(vault) == [
        (second, NOW + dt.timedelta(hours=1)),
        (first, NOW + dt.timedelta(hours=2)),
    ]
    assert backups.last_backup(vault) == NOW + dt.timedelta(hours=2)


def test_a_record_without_the_list_still_reads(vault: Vault, tmp_path: Path) -> None:
    record = freshness.backup_record_path(vault.path, vault.vault_id)
    record.parent.mkdir(parents=True, exist_ok=True)
    old = {
        "format": freshness.BACKUP_FORMAT,
        "version": 1,
        "vault_id": vault.vault_id,
        "last_verified_backup": "2026-03-01T08:00:00Z",
    }
    record.write_text(json.dumps(old))
    assert backups.last_backup(vault) == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert retention.known_backups(vault) == []
    freshness.record_backup(vault.path, vault.vault_id, "2026-03-02T09:30:00Z", tmp_path / "c")
    assert retention.known_backups(vault) == [(tmp_path / "c", NOW)]
