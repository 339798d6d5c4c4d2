"""Provides restoring a backup: check it fully, copy it beside the vault, swap under a journal.

Order of a restore (see `vault.restore_journal` for the swap and its repair):

1. The backup is checked fully before anything is touched: its header parses and is a
   backup's, the passphrase unwraps the data key, its commit mark is genuine, and the
   database (opened read-only, so not a byte changes) passes every check, names the
   header's vault id and holds the header's count of saves. A damaged backup is refused
   (`DamagedDatabase` / `DamagedHeader`, exit 4) and nothing changes.
2. The writer lock of the target is taken (`VaultInUse` when the app has it open), and an
   older interrupted restore there is finished or undone first.
3. The backup's database is copied to a temp file beside the target and the copy is
   checked again; the new header (the backup's without its backup mark) goes to another
   temp file.
4. The journal is written, the old files are moved aside, the new ones into place.
5. The restored vault is opened (WAL mode from now on) and checked; this computer's record
   follows the restored count of saves (a deliberate restore is not a rollback); the old
   files aside and the journal are removed. Any failure in 4–5 puts the old vault back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from confidant_tui.display_text import visible
from confidant_tui.errors import (
    DamagedDatabase,
    DamagedHeader,
    InvalidInput,
    NotAVault,
    StorageError,
    VaultExists,
)
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import audit_pending, kdf
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault import restore_journal as journal
from confidant_tui.vault.backup import remove_copy, temp_beside, verify_copy
from confidant_tui.vault.checks import run_checks
from confidant_tui.vault.connection import connect
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import read_header_for, verify_identity
from confidant_tui.vault.sqlerrors import sqlite_errors

finish_interrupted_restore = journal.finish_interrupted_restore


@dataclass(frozen=True)
class CheckedBackup:
    """A backup that passed every check.

    Attributes:
        path: its database file.
        header: its parsed header.
        cases: how many cases it holds.
        saves: its commit counter (equal to its header's mark).
        made_at: when it was made (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    """

    path: Path
    header: header_file.Header
    cases: int
    saves: int
    made_at: str | None


@dataclass(frozen=True)
class Restored:
    """A finished restore.

    Attributes:
        path: the restored vault's database file.
        cases, saves, made_at: as in `CheckedBackup`.
        replaced: whether an existing vault was replaced.
    """

    path: Path
    cases: int
    saves: int
    made_at: str | None
    replaced: bool


def target_exists(target: Path) -> bool:
    """Whether a vault's database or header exists at `target`."""
    return os.path.lexists(target) or os.path.lexists(header_path(target))


def _checked(source: Path, passphrase: str) -> tuple[CheckedBackup, bytearray]:
    """Checks the backup at `source`; returns it with its data key (the caller zeroes it)."""
    parsed = read_header_for(source)
    if parsed.backup is None:
        raise NotAVault(
            _(
                "{path} is a vault, not a backup made by 'confidant backup'. Make a backup "
                "of it first, and restore that."
            ).format(path=visible(source))
        )
    mark = parsed.commit
    if mark is None:
        raise DamagedHeader(_("The backup's header is damaged (it has no count of saves)."))
    data_key = header_file.unwrap(parsed, passphrase)
    try:
        mac = fresh.mac_key(data_key)
        try:
            genuine = fresh.is_genuine(mac, parsed.vault_id, mark)
        finally:
            kdf.zero(mac)
        if not genuine:
            raise DamagedHeader(
                _("The backup's header is damaged: its count of saves fails its check.")
            )
        cases = verify_copy(source, data_key, parsed.vault_id, counter=mark.counter)
    except BaseException:
        kdf.zero(data_key)
        raise
    found = CheckedBackup(source, parsed, cases, mark.counter, parsed.backup.made_at)
    return found, data_key


def check_backup(source: Path, passphrase: str) -> CheckedBackup:
    """Checks a backup fully without changing a byte of it (see the module's step 1).

    Raises:
        VaultMissing, NotAVault, DamagedHeader, VaultTooNew: its header.
        WrongPassphrase: the passphrase does not open it.
        DamagedDatabase: a check failed.
    """
    found, data_key = _checked(source, passphrase)
    kdf.zero(data_key)
    return found


def _utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _copy_file(source: Path, target: Path) -> None:
    """Copies `source`'s bytes into the existing empty file `target` and syncs it."""
    with open(source, "rb") as reader, open(target, "r+b") as writer:
        shutil.copyfileobj(reader, writer, 1024 * 1024)
        writer.flush()
        os.fsync(writer.fileno())


def _write_bytes(target: Path, data: bytes) -> None:
    with open(target, "r+b") as writer:
        writer.write(data)
        writer.flush()
        os.fsync(writer.fileno())


def _check_restored(target: Path, key: bytearray, vault_id: str, counter: int) -> None:
    """Opens the restored vault as a vault (WAL from now on) and checks it."""
    conn = connect(target, key, create=False)
    try:
        failed = [result for result in run_checks(conn) if not result.ok]
        if failed:
            raise DamagedDatabase(_("The restored vault failed its check."))
        with sqlite_errors():
            verify_identity(conn, vault_id)
            found = fresh.database_counter(conn)
    except sqlcipher3.Error:
        raise DamagedDatabase(_("The restored vault cannot be read.")) from None
    finally:
        conn.close()
    if found != counter:
        raise DamagedDatabase(_("The restored vault does not hold the backup's saves."))


def _storage(error: OSError) -> StorageError:
    return StorageError(
        _("The backup could not be restored ({reason}); the vault was left as it was.").format(
            reason=error.strerror or error.__class__.__name__
        )
    )


def restore(source: Path, target: Path, passphrase: str, *, replace_existing: bool) -> Restored:
    """Restores the backup at `source` to the vault at `target` (see the module's steps).

    Raises:
        WrongPassphrase, NotAVault, DamagedHeader, DamagedDatabase, VaultMissing: the backup
            (nothing changed).
        InvalidInput: the backup and the target are the same file.
        VaultExists: a vault exists at `target` and `replace_existing` is False.
        VaultInUse: another process has the target open.
        StorageError: the disk refused (the old vault is back in place).
    """
    source = Path(os.path.abspath(source))
    target = Path(os.path.abspath(target))
    for own in (target, header_path(target)):
        if os.path.isdir(own):
            raise InvalidInput(
                _("{path} is a folder; name the vault's file.").format(path=visible(own))
            )
    if target_exists(target) and not replace_existing:
        raise _exists(target)
    found, data_key = _checked(source, passphrase)
    try:
        for own in (target, header_path(target)):
            if os.path.lexists(own) and os.path.samefile(own, source):
                raise InvalidInput(_("The backup cannot be restored onto itself."))
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise _storage(error) from None
        lock = WriterLock(target)
        lock.acquire()
        try:
            journal.repair(target)
            replaced = target_exists(target)
            if replaced and not replace_existing:
                raise _exists(target)
            _restore_locked(found, data_key, target)
        finally:
            lock.release()
    finally:
        kdf.zero(data_key)
    return Restored(target, found.cases, found.saves, found.made_at, replaced)


def _exists(target: Path) -> VaultExists:
    return VaultExists(
        _("A vault already exists at {path}; confirm that the restore may replace it.").format(
            path=visible(target)
        )
    )


def _restore_locked(found: CheckedBackup, data_key: bytearray, target: Path) -> None:
    """Steps 3–5 of a restore, with the writer lock held."""
    journal.sweep_stale_temps(target)
    restored_header = dataclasses.replace(found.header, backup=None)
    new_database: Path | None = None
    new_header: Path | None = None
    try:
        new_database = temp_beside(target, "restoring")
        _copy_file(found.path, new_database)
        verify_copy(
            new_database, data_key, found.header.vault_id, counter=found.saves, cases=found.cases
        )
        new_header = temp_beside(header_path(target), "restoring")
        _write_bytes(new_header, restored_header.to_json().encode("utf-8"))
        written = journal.write_journal(
            target,
            vault_id=found.header.vault_id,
            new_database=new_database,
            new_header=new_header,
            stamp=_utc_stamp(),
        )
    except BaseException as error:
        for temp in (new_database, new_header):
            if temp is not None:
                remove_copy(temp)
        if isinstance(error, OSError):
            raise _storage(error) from None
        raise
    entry: Path | None = None
    try:
        journal.swap(target, written)
        _check_restored(target, data_key, found.header.vault_id, found.saves)
        # The restored vault's first writer folds this entry into its chain. It is left
        # while the journal still stands, so a crash from here on finishes the restore
        # (both new files are in place) and keeps the entry.
        entry = audit_pending.leave(
            target,
            data_key,
            found.header.vault_id,
            at=dt.datetime.now().replace(microsecond=0),
            action="vault.restored",
            detail=found.made_at,
        )
        journal.finish(target, written)
    except BaseException as error:
        if entry is not None:
            entry.unlink(missing_ok=True)
        journal.undo(target, written)
        if isinstance(error, OSError):
            raise _storage(error) from None
        raise


__all__ = [
    "CheckedBackup",
    "Restored",
    "check_backup",
    "finish_interrupted_restore",
    "restore",
    "target_exists",
]
