"""Acts of read-only processes reach the audit chain: `confidant backup` and a draft
`confidant report`, run while a writer holds the vault, leave pending entries beside it; when
the writer closes, the chain holds them, in order and intact (`check` exits 0), and no pending
file remains. A crash between the fold's commit and the deletion of the files, or in the
middle of the fold, never loses an entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from test_vault_commands import cli

from confidant_tui.errors import StorageError
from confidant_tui.services import audit
from confidant_tui.vault import audit_chain, audit_pending
from confidant_tui.vault.store import Vault

MOMENT = dt.datetime(2026, 11, 30, 9, 0, 0)


def _pending(vault_path: Path) -> list[Path]:
    return sorted(vault_path.parent.glob(f".{vault_path.name}.audit.*.pending"))


def _acts(vault: Vault) -> list[tuple[str, str | None]]:
    return [(e.action, e.detail) for e in reversed(audit.entries(vault))]


def test_backup_and_draft_report_beside_a_writer_reach_the_chain(
    vault_path: Path, tmp_path: Path
) -> None:
    writer = Vault.open(vault_path, PASSPHRASE)
    try:
        before = _acts(writer)
        backup = tmp_path / "backups" / "copy.vault"
        backup.parent.mkdir()
        made = cli(
            "backup",
            str(backup),
            "--vault",
            str(vault_path),
            "--passphrase-stdin",
            stdin=PASSPHRASE + "\n",
        )
        assert made.returncode == 0, made.stderr
        assert len(_pending(vault_path)) == 1
        # Entries are kept to the second: the fold orders them by moment, then by file name.
        report = cli(
            "report",
            "--year",
            "2026",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "r.csv"),
            "--vault",
            str(vault_path),
            "--passphrase-stdin",
            stdin=PASSPHRASE + "\n",
        )
        assert report.returncode == 0, report.stderr
        assert len(_pending(vault_path)) == 2
        assert _acts(writer) == before  # nothing reached the chain while the writer is open
    finally:
        writer.close()
    assert _pending(vault_path) == []
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
        acts = _acts(reader)
        assert reader.verify_audit().intact
    assert acts[len(before) :] == [("export.backup", None), ("export.report", "csv")]
    checked = cli("check", "--vault", str(vault_path), "--passphrase-stdin", stdin=PASSPHRASE)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _leave_two(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
        reader.record_audit("export.backup", at=MOMENT)
        reader.record_audit("export.report", at=MOMENT + dt.timedelta(seconds=1), detail="md")
    assert len(_pending(vault_path)) == 2


def test_a_crash_between_the_fold_and_the_deletion_loses_nothing(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leave_two(vault_path)
    with monkeypatch.context() as patched:
        patched.setattr(audit_pending, "remove", lambda entries: None)  # "killed" before it
        Vault.open(vault_path, PASSPHRASE).close()
    assert len(_pending(vault_path)) == 2  # folded, but the files are still there
    with Vault.open(vault_path, PASSPHRASE) as writer:
        acts = _acts(writer)
        assert writer.verify_audit().intact
    assert _pending(vault_path) == []
    assert acts.count(("export.backup", None)) >= 1
    assert acts.count(("export.report", "md")) >= 1


def test_a_crash_in_the_middle_of_the_fold_loses_nothing(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leave_two(vault_path)
    real_append = audit_chain.append
    calls: list[str] = []

    def dies_after_the_first(*args: object, **kwargs: object) -> object:
        calls.append(str(kwargs.get("action")))
        if len(calls) >= 2:  # every append after the first one fails
            raise StorageError("the disk went away")
        return real_append(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(audit_chain, "append", dies_after_the_first)
        Vault.open(vault_path, PASSPHRASE).close()
    assert calls[:2] == ["export.backup", "export.report"]
    assert len(_pending(vault_path)) == 2  # the fold was rolled back whole
    with Vault.open(vault_path, PASSPHRASE) as writer:
        acts = _acts(writer)
        assert writer.verify_audit().intact
    assert _pending(vault_path) == []
    assert acts[-2:] == [("export.backup", None), ("export.report", "md")]
    assert acts.count(("export.backup", None)) == 1
