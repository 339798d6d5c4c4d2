"""Provides the consistent encrypted copy of a vault and its verification (backup, rekey-to).

The copy is made as SECURITY.md says works with SQLCipher: an own connection to the vault
(never the app's, whose mutex a long export would hold), an empty file beside the target
ATTACHed with a raw key, and `sqlcipher_export` inside one read transaction, so the copy is
one consistent snapshot even while the app commits. `sqlcipher_export` does not copy
`PRAGMA user_version`; it is set by hand in the same transaction, where the snapshot's
commit counter and case count are read too. The copy is a single file in rollback-journal
mode (no `-wal` to lose).

Before a copy gets its final name it is opened with its key, read-only, and must pass
every check (pages, structure, references), name the expected vault id, and hold the
snapshot's commit counter and number of cases. Otherwise it is removed and
`DamagedDatabase` raised: nothing is left behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.display_text import visible
from confidant_tui.errors import DamagedDatabase, StorageError, VaultExists
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import audit_chain, kdf
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault.checks import run_checks
from confidant_tui.vault.connection import (
    Connection,
    connect,
    raw_key_pragma,
    schema_version,
    single_row,
)
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import ensure_free, verify_identity
from confidant_tui.vault.sqlerrors import sqlite_errors
from confidant_tui.vault.store import Vault

JOURNAL_SUFFIX = "-journal"
"""SQLite's rollback journal beside a file in rollback-journal mode (the copy)."""


@dataclass(frozen=True)
class Snapshot:
    """What the copy holds, read in the same transaction as the export.

    Attributes:
        counter: the commit counter of the copy.
        cases: how many cases it holds.
    """

    counter: int
    cases: int
    head: bytes = audit_chain.EMPTY_HEAD
    """The audit chain's head in the copy (re-made under the new key for a rekey)."""


@dataclass(frozen=True)
class WrittenBackup:
    """A backup pair written and verified.

    Attributes:
        path: the database file.
        header_path: its header.
        cases: how many cases it holds.
        saves: its commit counter.
    """

    path: Path
    header_path: Path
    cases: int
    saves: int


def _key_literal(key: bytes | bytearray) -> str:
    """SQLCipher's raw-key form `x'<64 hex>'` (checked: 32 bytes)."""
    if len(key) != kdf.KEY_BYTES:
        raise ValueError("data key must be 32 bytes")
    return "x'" + bytes(key).hex() + "'"


def count_cases(conn: Connection) -> int:
    """How many cases the database holds."""
    return int(single_row(conn.execute("SELECT count(*) FROM cases"))[0])


def temp_beside(target: Path, label: str) -> Path:
    """A new, empty, private (0600) file in `target`'s folder, named after it."""
    folder = target.parent
    while True:
        candidate = folder / f".{target.name}.{secrets.token_hex(6)}.{label}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate


def remove_copy(path: Path) -> None:
    """Removes a copy and the rollback journal SQLite may have left beside it."""
    for item in (path, path.with_name(path.name + JOURNAL_SUFFIX)):
        with contextlib.suppress(OSError):
            item.unlink(missing_ok=True)


def export_copy(
    source: Path,
    source_key: bytes | bytearray,
    copy: Path,
    *,
    copy_key: bytes | bytearray,
    new_vault_id: str | None = None,
) -> Snapshot:
    """Exports the vault at `source` into the empty file `copy` under `copy_key`.

    Args:
        source: the vault's database file.
        source_key: its data key.
        copy: an empty file (see `temp_beside`).
        copy_key: the copy's key (the same data key for a backup).
        new_vault_id: for a new vault (rekey-to): the copy's vault id; its commit counter
            then starts again at 0.

    Returns:
        The snapshot's commit counter and case count (the copy's).

    Raises:
        StorageError, DamagedDatabase: SQLite refused (translated).
    """
    conn = connect(source, source_key, create=False)
    try:
        with sqlite_errors():
            conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(copy), _key_literal(copy_key)))
            try:
                conn.execute("BEGIN")
                try:
                    conn.execute("SELECT sqlcipher_export('backup')")
                    version = schema_version(conn)
                    conn.execute(f"PRAGMA backup.user_version = {int(version)}")
                    counter = fresh.database_counter(conn) or 0
                    cases = count_cases(conn)
                    head = audit_chain.head(conn)
                    if new_vault_id is not None:
                        conn.execute(
                            "UPDATE backup.meta SET value = ? WHERE key = 'vault_id'",
                            (new_vault_id,),
                        )
                        conn.execute("UPDATE backup.commit_counter SET value = 0")
                        counter = 0
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            finally:
                conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
    if new_vault_id is not None:
        head = _rechain(copy, copy_key)
    return Snapshot(counter, cases, head)


def _rechain(copy: Path, copy_key: bytes | bytearray) -> bytes:
    """Re-makes every audit MAC of a new vault's copy under its own key (a vault under a new
    data key keeps its history, and its chain verifies with its own key); returns the new
    head. The append-only triggers are lifted for this and put back as they were, in one
    transaction on the copy (which no one else has open yet; it stays in rollback-journal
    mode)."""
    conn: Connection = sqlcipher3.connect(
        copy.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None
    )
    key = audit_chain.audit_key(copy_key)
    try:
        with sqlite_errors():
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(raw_key_pragma(copy_key))
            conn.execute("PRAGMA cipher_compatibility = 4")
            if not audit_chain.has_log(conn):
                return audit_chain.EMPTY_HEAD
            conn.execute("BEGIN IMMEDIATE")
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_log'"
            ).fetchall()
            for name, _sql in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            previous = audit_chain.EMPTY_HEAD
            rows = conn.execute(
                "SELECT id, at, action, case_code, detail FROM audit_log ORDER BY id"
            ).fetchall()
            for entry_id, at, action, case_code, detail in rows:
                previous = audit_chain.entry_mac(
                    key, previous, int(entry_id), str(at), str(action), case_code, detail
                )
                conn.execute(
                    "UPDATE audit_log SET mac = ? WHERE id = ?", (previous.hex(), entry_id)
                )
            for _name, sql in triggers:
                conn.execute(str(sql))
            conn.execute("COMMIT")
            return previous
    finally:
        kdf.zero(key)
        conn.close()


def verify_copy(
    path: Path,
    key: bytes | bytearray,
    vault_id: str,
    *,
    counter: int,
    cases: int | None = None,
) -> int:
    """Opens a copy read-only with its key and checks it fully; returns its case count.

    Args:
        path: the copy (a single file in rollback-journal mode; not a byte is changed).
        key: its data key.
        vault_id: the vault id it must carry.
        counter: the commit counter it must hold.
        cases: the number of cases it must hold (None: any).

    Raises:
        DamagedDatabase: a check failed, or the copy is not what it should be.
        VaultTooNew: it was written by a newer version.
    """
    conn = connect(path, key, create=False, read_only_file=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        failed = [result for result in run_checks(conn) if not result.ok]
        if failed:
            details = "; ".join(f"{result.name}: {result.detail}" for result in failed)
            raise DamagedDatabase(
                _("The copy failed its check ({details}).").format(details=details)
            )
        with sqlite_errors():
            verify_identity(conn, vault_id)
            found_counter = fresh.database_counter(conn)
            found_cases = count_cases(conn)
    except sqlcipher3.Error:
        raise DamagedDatabase(_("The copy cannot be read: it is damaged.")) from None
    finally:
        conn.close()
    if found_counter != counter:
        raise DamagedDatabase(
            _("The copy does not hold the number of saves it should: it is damaged.")
        )
    if cases is not None and found_cases != cases:
        raise DamagedDatabase(
            _("The copy does not hold as many cases as the vault: it is damaged.")
        )
    return found_cases


def sync_file(path: Path) -> None:
    """Flushes a file's content to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _place(temp: Path, target: Path, *, replace: bool) -> None:
    """Gives the finished `temp` the name `target`; without `replace` an existing target is
    never touched (FileExistsError)."""
    if replace:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise _exists(target) from None
    except OSError:
        # A filesystem without hard links: the check and the rename are not one step.
        if os.path.lexists(target):
            raise _exists(target) from None
        os.replace(temp, target)
        return
    temp.unlink()


STALE_AFTER_SECONDS = 3600
"""A backup temp file this old was left by a killed backup (a live one is minutes old)."""


def _sweep_stale(target: Path) -> None:
    """Removes temp files a killed backup left beside `target` (`.<name>.<hex>.backup-tmp`
    and SQLite's `-journal` of one), once they are an hour old: a backup to the same
    place that is running right now is never disturbed."""
    prefix = f".{target.name}."
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    now = time.time()
    for item in entries:
        name = item.name
        if not (name.startswith(prefix) and name.endswith((".backup-tmp", ".backup-tmp-journal"))):
            continue
        with contextlib.suppress(OSError):
            if now - item.lstat().st_mtime > STALE_AFTER_SECONDS:
                item.unlink()


def _exists(path: Path) -> FileExistsError:
    return FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def backup_header(
    vault_header: header_file.Header,
    data_key: bytes | bytearray,
    *,
    counter: int,
    head: bytes,
    made_at: str,
    separate_passphrase: str | None,
) -> header_file.Header:
    """The backup's header: the vault's (same vault id, passphrase and recovery wraps) with
    the snapshot's commit mark and a backup mark; with a separate passphrase the passphrase
    wrap is made anew under it (the vault's costs, a new salt)."""
    key = fresh.mac_key(data_key)
    try:
        mark = fresh.mark_for(key, vault_header.vault_id, counter, head)
    finally:
        kdf.zero(key)
    made = dataclasses.replace(
        vault_header, commit=mark, backup=header_file.BackupMark(made_at=made_at)
    )
    if separate_passphrase is not None:
        made = header_file.rewrapped(
            made, data_key, separate_passphrase, vault_header.kdf_params.with_new_salt()
        )
    return made


def write_backup(
    vault: Vault,
    target: Path,
    *,
    made_at: str,
    replace: bool,
    separate_passphrase: str | None,
) -> WrittenBackup:
    """Writes a verified backup pair: `target` and `target.header`.

    The caller checked both paths (`services.exports.check_output_path`). The copy is made
    in a temp file beside `target`, verified, then renamed; the header follows.

    Raises:
        FileExistsError: a file appeared at a target and `replace` is False (the other
            target is left as it was).
        OSError: the disk refused (nothing is left behind).
        DamagedDatabase: the copy failed its checks (nothing is left behind).
    """
    data_key = vault.data_key_copy()
    temp: Path | None = None
    head_temp: Path | None = None
    placed = False
    head = header_path(target)
    try:
        made_header = vault.header()
        _sweep_stale(target)
        temp = temp_beside(target, "backup-tmp")
        snapshot = export_copy(vault.path, data_key, temp, copy_key=data_key)
        verify_copy(temp, data_key, vault.vault_id, counter=snapshot.counter, cases=snapshot.cases)
        sync_file(temp)
        header = backup_header(
            made_header,
            data_key,
            counter=snapshot.counter,
            head=snapshot.head,
            made_at=made_at,
            separate_passphrase=separate_passphrase,
        )
        # Both files are complete and synced before either gets its name, so replacing an
        # older backup leaves a mismatched pair only for the instant between two renames.
        head_temp = temp_beside(target, "backup-tmp")
        head_temp.write_bytes(header.to_json().encode("utf-8"))
        sync_file(head_temp)
        _place(temp, target, replace=replace)
        placed = True
        temp = None
        _place(head_temp, head, replace=replace)
        head_temp = None
    except BaseException:
        for leftover in (temp, head_temp):
            if leftover is not None:
                remove_copy(leftover)
        if placed:
            remove_copy(target)
        raise
    finally:
        kdf.zero(data_key)
    return WrittenBackup(target, head, snapshot.cases, snapshot.counter)


def rekey_copy(
    vault: Vault,
    new_path: Path,
    passphrase: str,
    params: kdf.KdfParams,
    *,
    recovery_key: bytes,
) -> None:
    """Copies the vault into a new vault at `new_path` under a new data key and vault id.

    The new vault's commit counter starts at 0; it opens with `passphrase` and
    `recovery_key`; this computer's record of it is written.

    Raises:
        VaultExists: something exists at `new_path` or its header.
        VaultInUse: another process holds the new path's lock.
        StorageError, DamagedDatabase: see `write_backup` (nothing is left behind).
    """
    ensure_free(new_path)
    try:
        new_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise _storage(error) from None
    lock = WriterLock(new_path)
    lock.acquire()
    old_key = vault.data_key_copy()
    new_key = bytearray(secrets.token_bytes(kdf.KEY_BYTES))
    new_id = uuid.uuid4().hex
    temp: Path | None = None
    placed = False
    try:
        ensure_free(new_path)
        temp = temp_beside(new_path, "rekey-tmp")
        snapshot = export_copy(vault.path, old_key, temp, copy_key=new_key, new_vault_id=new_id)
        verify_copy(temp, new_key, new_id, counter=0, cases=snapshot.cases)
        sync_file(temp)
        made = header_file.wrap(new_key, passphrase, params, new_id)
        made = header_file.replace_recovery(
            made, header_file.wrap_recovery(new_key, recovery_key, new_id)
        )
        mac = fresh.mac_key(new_key)
        try:
            mark = fresh.mark_for(mac, new_id, 0, snapshot.head)
        finally:
            kdf.zero(mac)
        made = made.with_commit(mark)
        try:
            _place(temp, new_path, replace=False)
            placed = True
            temp = None
            write_private_atomically(
                header_path(new_path), made.to_json().encode("utf-8"), replace=False
            )
        except FileExistsError:
            raise VaultExists(
                _("A file already exists at {path}; Confidant will not overwrite it.").format(
                    path=visible(new_path)
                )
            ) from None
        except OSError as error:
            raise _storage(error) from None
        with contextlib.suppress(OSError):  # the record only lags: never a rollback
            fresh.write_state(new_path, new_id, mark)
    except BaseException:
        if temp is not None:
            remove_copy(temp)
        if placed:
            remove_copy(new_path)
        raise
    finally:
        kdf.zero(old_key)
        kdf.zero(new_key)
        lock.release()


def _storage(error: OSError) -> StorageError:
    return StorageError(
        _("The new vault could not be written ({reason}). Nothing was changed.").format(
            reason=error.strerror or error.__class__.__name__
        )
    )
