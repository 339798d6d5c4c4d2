"""Provides the backup use cases: make and verify a backup, restore one, move to a new key.

A backup is a pair like a vault: the encrypted database file `DEST` and its header
`DEST.header`, so `confidant check --vault DEST` checks it. It is encrypted with the vault's
own data key and opens with the vault's passphrase and recovery key (or, with a separate
passphrase, with that one and the recovery key). The vault layer does the copying and the
checks (`vault.backup`, `vault.restore`); this module adds the passphrase policy, this
computer's record of the last verified backup, and the reminder's arithmetic.

The UI and the command line call these functions; they never import `confidant_tui.vault`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from confidant_tui.display_text import visible
from confidant_tui.domain.passphrase import check_passphrase
from confidant_tui.domain.recovery_key import new_recovery_key
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.services import audit_acts, exports
from confidant_tui.vault import backup as backup_file
from confidant_tui.vault import freshness, kdf
from confidant_tui.vault import restore as restoring
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.store import Vault

__all__ = [
    "BackupInfo",
    "BackupMade",
    "RestoreDone",
    "backup_overdue",
    "check_backup",
    "check_destination",
    "ensure_restorable",
    "last_backup",
    "make_backup",
    "rekey_to",
    "restore_backup",
    "suggested_backup_path",
    "target_exists",
]

_MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class BackupMade:
    """A backup written and verified.

    Attributes:
        path: the backup's database file.
        header_path: its header (`DEST.header`).
        cases: how many cases it holds (equal to the vault's at the snapshot).
        saves: the snapshot's commit counter.
        made_at: when it was made (aware, UTC, to the second).
    """

    path: Path
    header_path: Path
    cases: int
    saves: int
    made_at: dt.datetime


@dataclass(frozen=True)
class BackupInfo:
    """A backup that passed every check (nothing was changed).

    Attributes:
        path: the backup's database file.
        cases: how many cases it holds.
        saves: its commit counter (equal to its header's).
        made_at: when it was made (aware, UTC); None for a pair without a backup mark.
    """

    path: Path
    cases: int
    saves: int
    made_at: dt.datetime | None


@dataclass(frozen=True)
class RestoreDone:
    """A restore that finished: the restored vault opened and passed its checks.

    Attributes:
        path: the restored vault's database file.
        cases: how many cases it holds.
        saves: its commit counter.
        made_at: when the backup was made (aware, UTC).
        replaced: whether an existing vault was replaced.
    """

    path: Path
    cases: int
    saves: int
    made_at: dt.datetime | None
    replaced: bool


def _utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as an aware UTC moment to the second (a naive one is local time)."""
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _parse_moment(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, _MOMENT_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def check_destination(destination: Path, vault_path: Path, *, replace: bool = False) -> Path:
    """Checks both files of a backup at `destination` before anything is asked or read
    (`services.exports.check_output_path`); returns the database file's absolute path.

    Raises:
        OutputRefused, OutputExists, StorageError: see `check_output_path`.
    """
    target = exports.check_output_path(destination, vault_path=vault_path, replace=replace)
    exports.check_output_path(header_path(target), vault_path=vault_path, replace=replace)
    return target


def make_backup(
    vault: Vault,
    destination: Path,
    *,
    now: dt.datetime,
    replace: bool = False,
    separate_passphrase: str | None = None,
) -> BackupMade:
    """Writes a consistent, encrypted, verified backup of the open vault.

    The copy is made from its own connection and one read snapshot, so the vault may be
    in use meanwhile (also by the app); it is verified (every page, the structure, the
    references, its vault id, its count of saves and of cases) before it gets its name.

    Args:
        vault: the open vault (read-only is enough).
        destination: the backup's database file; its header goes beside it.
        now: the moment recorded as the backup's (naive: local time).
        replace: existing files at the destination may be replaced (`--force`).
        separate_passphrase: the backup opens with this passphrase instead of the
            vault's (the vault's recovery key still opens it).

    Raises:
        WeakPassphrase: the separate passphrase is too weak.
        OutputRefused, OutputExists, StorageError: see `services.exports`.
        DamagedDatabase: the written copy failed its checks (nothing is left behind).
    """
    if separate_passphrase is not None:
        check_passphrase(separate_passphrase)
    moment = _utc(now)
    made_at = moment.strftime(_MOMENT_FORMAT)
    target = check_destination(destination, vault.path, replace=replace)
    try:
        written = backup_file.write_backup(
            vault,
            target,
            made_at=made_at,
            replace=replace,
            separate_passphrase=separate_passphrase,
        )
    except FileExistsError as error:
        existing = Path(error.filename) if error.filename else target
        raise exports.OutputExists(
            _("{path} already exists; it was not replaced.").format(path=visible(existing)),
            existing,
        ) from None
    except OSError as error:
        raise exports.storage_error(error, target) from None
    # The backup exists and is verified; a refused record only leaves the reminder unaware.
    with contextlib.suppress(OSError):
        freshness.record_backup(vault.path, vault.vault_id, made_at, written.path)
    # A read-only process (the app is open) leaves the entry for the next writer.
    audit_acts.note(vault, "export.backup", at=now)
    return BackupMade(written.path, written.header_path, written.cases, written.saves, moment)


def last_backup(vault: Vault) -> dt.datetime | None:
    """When the last verified backup of the vault was made on this computer (aware UTC),
    or None."""
    return _parse_moment(freshness.last_backup(vault.path, vault.vault_id))


def backup_overdue(last: dt.datetime | None, *, interval_days: int, now: dt.datetime) -> bool:
    """Whether a backup is due: none yet, or the last is `interval_days` days old or more.

    Args:
        last: the last verified backup (aware), or None.
        interval_days: the setting `backup_interval_days`.
        now: the current moment (naive: local time).
    """
    if last is None:
        return True
    return _utc(now) - last >= dt.timedelta(days=interval_days)


def suggested_backup_path(vault_path: Path, today: dt.date) -> Path:
    """A name to offer for a new backup: `confidant-back-up-YYYY-MM-DD.vault` in the home
    folder (in the vault's folder when the home folder is unknown)."""
    name = f"confidant-back-up-{today.isoformat()}.vault"
    try:
        folder = Path.home()
    except RuntimeError:
        folder = Path(vault_path).expanduser().resolve().parent
    candidate = folder / name
    if candidate in exports.vault_files(Path(vault_path).expanduser()):
        candidate = folder / f"confidant-back-up-{today.isoformat()}-1.vault"
    return candidate


def check_backup(source: Path, passphrase: str) -> BackupInfo:
    """Checks a backup fully (header, passphrase, every page, structure, references, vault
    id, count of saves against its header) without changing a byte of it.

    Raises:
        VaultMissing, NotAVault, DamagedHeader, VaultTooNew: the header.
        WrongPassphrase: the passphrase does not open it.
        DamagedDatabase: a check failed.
    """
    found = restoring.check_backup(Path(source).expanduser(), passphrase)
    return BackupInfo(found.path, found.cases, found.saves, _parse_moment(found.made_at))


def target_exists(target: Path) -> bool:
    """Whether a vault (its database or its header) exists at `target`: restoring there
    replaces it and needs the adviser's confirmation."""
    return restoring.target_exists(Path(target).expanduser())


def ensure_restorable(target: Path) -> None:
    """Refuses, before any passphrase is asked, a restore onto a vault another process has
    open for writing (nothing is changed).

    Raises:
        VaultInUse: the app (or another command) has the vault at `target` open.
    """
    target = Path(target).expanduser()
    if restoring.target_exists(target) and target.parent.is_dir():
        probe = WriterLock(target)
        probe.acquire()
        probe.release()


def restore_backup(
    source: Path, target: Path, passphrase: str, *, replace_existing: bool
) -> RestoreDone:
    """Restores a backup to `target` (created when missing; its folder 0700).

    The backup is checked fully before anything changes; the existing vault is kept aside
    until the restored one opened and passed its checks; a restore that is interrupted is
    finished or undone by the next open. The restored vault opens with the backup's
    passphrase, and this computer's record follows the restored count of saves (so it is
    not reported as having gone back in time).

    Raises:
        WrongPassphrase, DamagedHeader, DamagedDatabase, NotAVault, VaultMissing: the backup
            (nothing changed).
        VaultExists: a vault exists at `target` and `replace_existing` is False.
        VaultInUse: another process has the target open.
        StorageError: the disk refused (the old vault is back in place).
    """
    done = restoring.restore(
        Path(source).expanduser(),
        Path(target).expanduser(),
        passphrase,
        replace_existing=replace_existing,
    )
    return RestoreDone(
        done.path, done.cases, done.saves, _parse_moment(done.made_at), done.replaced
    )


def rekey_to(
    vault: Vault, new_path: Path, new_passphrase: str, *, params: kdf.KdfParams | None
) -> bytes:
    """Copies the whole vault into a new vault under a new data key and a new vault id.

    After a leaked passphrase (changing the passphrase does not change the data key: an
    old header still opens the vault), the adviser moves to the new vault and destroys the
    old one and its backups. The new vault gets its own recovery key.

    Args:
        vault: the open vault (read-only is enough).
        new_path: the new vault's database file (must not exist).
        new_passphrase: its passphrase (refused when weak).
        params: Argon2id parameters (None: calibrated as `init` does).

    Returns:
        The new vault's recovery key (16 bytes; `domain.recovery_key.format_recovery_key`).

    Raises:
        WeakPassphrase, VaultExists, StorageError, DamagedDatabase.
    """
    check_passphrase(new_passphrase)
    recovery_key = new_recovery_key()
    backup_file.rekey_copy(
        vault,
        Path(new_path).expanduser(),
        new_passphrase,
        params if params is not None else kdf.calibrate(),
        recovery_key=recovery_key,
    )
    return recovery_key
