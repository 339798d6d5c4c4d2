"""Provides `Vault`: the one encrypted SQLCipher connection, its transactions and lifecycle.

Opening checks, in this order and before anything is written: that the path exists, that
the header parses and its parameters are within the caps, that no other process writes the
vault, that the passphrase unwraps the data key, and only then the SQLCipher key. The
pragmas and their reasons are in `docs/vault-format.md`.

All access to the connection is serialised by one lock, so thread workers in the UI may
call services safely. Every write goes through `transaction()`: one user action, one
transaction.
"""

from __future__ import annotations

import os
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlcipher3

from confidant_tui.errors import (
    DamagedDatabase,
    NotAVault,
    StorageError,
    VaultExists,
    VaultLocked,
    VaultMissing,
    VaultTooNew,
    VaultUnusable,
)
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf, migrations
from confidant_tui.vault.checks import CheckResult, run_checks
from confidant_tui.vault.connection import Connection, connect, migrate, schema_version
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.sqlerrors import sqlite_errors, translate_sqlite_error

SQLITE_MAGIC = b"SQLite format 3\x00"

__all__ = [
    "CheckResult",
    "Connection",
    "Vault",
    "change_passphrase",
    "check_file",
    "ensure_free",
    "read_header_for",
    "sqlite_errors",
    "translate_sqlite_error",
]


class Vault:
    """An open vault: the SQLCipher connection, the data key and the writer lock.

    Create one with `Vault.create` or `Vault.open`; close it with `close()` (also on lock).
    """

    def __init__(
        self,
        path: Path,
        conn: Connection,
        data_key: bytearray,
        vault_id: str,
        *,
        read_only: bool,
        writer_lock: WriterLock | None,
    ) -> None:
        self.path = path
        self.vault_id = vault_id
        self.read_only = read_only
        self._conn: Connection | None = conn
        self._data_key = data_key
        self._writer_lock = writer_lock
        self._mutex = threading.RLock()

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str, params: kdf.KdfParams) -> Vault:
        """Creates a new vault (database and header) and returns it open for writing.

        Raises:
            VaultExists: a database or header already exists at the path.
        """
        path = Path(path)
        head = header_path(path)
        ensure_free(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        except OSError:
            ensure_free(path)  # another process made it meanwhile: say so
            raise StorageError(
                _("The vault cannot be created at {path}: the folder is not writable.").format(
                    path=path
                )
            ) from None
        lock = WriterLock(path)
        conn: Connection | None = None
        data_key = bytearray(secrets.token_bytes(32))
        vault_id = uuid.uuid4().hex
        try:
            lock.acquire()
            with sqlite_errors():
                conn = connect(path, data_key, create=True)
                migrate(conn)
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('vault_id', ?), ('created_by', ?)",
                    (vault_id, "confidant"),
                )
            header_file.write_atomically(
                head, header_file.wrap(data_key, passphrase, params, vault_id)
            )
        except BaseException:
            # Nothing usable was made: remove the half-made database (we created it with
            # O_EXCL above, so it is ours), so that `init` can simply be run again.
            if conn is not None:
                conn.close()
            for leftover in (path, *_sqlite_sidecars(path)):
                leftover.unlink(missing_ok=True)
            lock.release()
            kdf.zero(data_key)
            raise
        return cls(path, conn, data_key, vault_id, read_only=False, writer_lock=lock)

    @classmethod
    def open(cls, path: Path, passphrase: str, *, read_only: bool = False) -> Vault:
        """Opens an existing vault.

        Args:
            path: the database file.
            passphrase: the adviser's passphrase.
            read_only: open without the writer lock and refuse writes (for `check`,
                `report`, `backup`, which may run while the app is open).

        Raises:
            VaultMissing, NotAVault, DamagedHeader, VaultTooNew, VaultInUse,
            WrongPassphrase, DamagedDatabase: each with its message for the adviser.
        """
        path = Path(path)
        parsed = read_header_for(path)
        lock: WriterLock | None = None
        if not read_only:
            lock = WriterLock(path)
            lock.acquire()
        data_key: bytearray | None = None
        try:
            data_key = header_file.unwrap(parsed, passphrase)
            conn = connect(path, data_key, create=False)
            try:
                _check_schema(conn, parsed.vault_id, upgrade=not read_only)
                if read_only:
                    conn.execute("PRAGMA query_only = ON")
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if data_key is not None:
                kdf.zero(data_key)
            if lock is not None:
                lock.release()
            raise
        return cls(path, conn, data_key, parsed.vault_id, read_only=read_only, writer_lock=lock)

    def close(self) -> None:
        """Checkpoints the WAL, closes the connection, forgets the key, releases the lock.

        The data key is zeroed in memory; the hex copy in SQLCipher's `PRAGMA key` text was a
        Python string and cannot be wiped (documented in `docs/vault-format.md`).
        """
        with self._mutex:
            if self._conn is not None:
                try:
                    if not self.read_only:
                        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlcipher3.Error:
                    pass
                finally:
                    self._conn.close()
                    self._conn = None
                kdf.zero(self._data_key)
            if self._writer_lock is not None:
                self._writer_lock.release()
                self._writer_lock = None

    @property
    def is_open(self) -> bool:
        """Whether the connection is open (False after `close`)."""
        return self._conn is not None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- access ----------------------------------------------------------------------------

    def _connection(self) -> Connection:
        if self._conn is None:
            raise VaultLocked(_("The vault is locked."))
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back on any error.

        Raises:
            VaultLocked: the vault was closed.
            StorageError: the disk refused the write; nothing was changed.
        """
        with self._mutex:
            conn = self._connection()
            if self.read_only:
                raise VaultUnusable(_("This vault was opened read-only."))
            with sqlite_errors():
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent read snapshot (a deferred transaction that is never committed)."""
        with self._mutex:
            conn = self._connection()
            with sqlite_errors():
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")

    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self.reading() as conn:
            return schema_version(conn)

    def check(self) -> list[CheckResult]:
        """Runs SQLCipher's page check, SQLite's integrity and foreign-key checks."""
        with self._mutex:
            return run_checks(self._connection())


def _sqlite_sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's `-wal` and `-shm` files beside the database."""
    return (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def ensure_free(path: Path) -> None:
    """Refuses to create a vault over an existing database or header.

    Raises:
        VaultExists: naming the file that is in the way.
    """
    for existing in (path, header_path(path)):
        if existing.exists():
            raise VaultExists(
                _("A file already exists at {path}; Confidant will not overwrite it.").format(
                    path=existing
                )
            )


def read_header_for(path: Path) -> header_file.Header:
    """Checks that `path` is an existing vault and returns its parsed header (no Argon2).

    Raises:
        VaultMissing: nothing exists at the path.
        NotAVault: the path is a folder, a plain SQLite file, or a file without header.
        DamagedHeader, VaultTooNew: see `header.parse`.
    """
    head = header_path(path)
    if not path.exists():
        if head.exists():
            raise VaultMissing(
                _("The vault database {path} is missing (only its header is there).").format(
                    path=path
                )
            )
        raise VaultMissing(_("There is no vault at {path}.").format(path=path))
    if not path.is_file():
        raise NotAVault(_("{path} is not a vault file.").format(path=path))
    try:
        with open(path, "rb") as handle:
            start = handle.read(16)
    except OSError:
        raise StorageError(
            _("The vault {path} cannot be read; check its permissions.").format(path=path)
        ) from None
    if not start:
        # SQLite would treat an empty file as a new database and write to it.
        raise DamagedDatabase(
            _("The vault database {path} is empty: it is damaged.").format(path=path)
        )
    if start == SQLITE_MAGIC:
        raise NotAVault(
            _("{path} is an unencrypted SQLite database, not a Confidant vault.").format(path=path)
        )
    if not head.exists():
        raise NotAVault(
            _("{path} has no vault header beside it, so it is not a Confidant vault.").format(
                path=path
            )
        )
    return header_file.read(head)


def _verify_identity(conn: Connection, vault_id: str) -> int:
    """Refuses a database from a newer version or one that is not the header's; returns
    its schema version. Reads only."""
    version = schema_version(conn)
    if version > migrations.latest_version():
        raise VaultTooNew(
            _("This vault was made by a newer version of Confidant. Update Confidant to open it.")
        )
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
    except sqlcipher3.OperationalError:
        row = None
    if row is None or row[0] != vault_id:
        raise DamagedDatabase(_("The vault header does not belong to this database."))
    return version


def _needs_upgrade_message() -> str:
    return _("This vault needs an upgrade. Open it once in Confidant, then try again.")


def _check_schema(conn: Connection, vault_id: str, *, upgrade: bool) -> None:
    """Checks that the database is the header's and brings its schema up to date.

    Args:
        conn: the open connection.
        vault_id: the header's vault id.
        upgrade: apply the missing migrations (only when opening for writing); when
            False, a vault that needs them is refused.

    Raises:
        VaultTooNew, DamagedDatabase: see `_verify_identity`.
        VaultUnusable: the vault needs an upgrade and `upgrade` is False, or a migration
            step failed (the vault then stays at the last whole step before it).
        StorageError: the disk refused the upgrade (the same holds).
    """
    with sqlite_errors():
        version = _verify_identity(conn, vault_id)
    if version >= migrations.latest_version():
        return
    if not upgrade:
        raise VaultUnusable(_needs_upgrade_message())
    try:
        with sqlite_errors():
            migrate(conn)
    except sqlcipher3.Error as error:
        raise VaultUnusable(
            _(
                "This vault could not be upgraded to this version of Confidant; the failed "
                "step was undone. Please report this problem (without case details)."
            )
        ) from error


def change_passphrase(
    path: Path, current: str, new: str, params: kdf.KdfParams | None = None
) -> None:
    """Re-wraps the data key under a new passphrase by replacing the header atomically.

    The database is only read: the unwrapped key must open it and it must be the header's
    own database, so a passphrase is never changed on a header that opens nothing. A fresh
    salt is always used; `params` may raise the costs (the default keeps the vault's
    current costs).

    Raises:
        WrongPassphrase: `current` is wrong (nothing is written).
        VaultInUse: another process has the vault open.
        DamagedDatabase, VaultTooNew: the database does not open with the header's key, or
            was written by a newer version (nothing is written).
        StorageError: the new header could not be written (the old one stays).
    """
    path = Path(path)
    parsed = read_header_for(path)
    lock = WriterLock(path)
    lock.acquire()
    try:
        header_file.remove_stale_temps(header_path(path))
        data_key = header_file.unwrap(parsed, current)
        try:
            conn = connect(path, data_key, create=False)
            try:
                with sqlite_errors():
                    _verify_identity(conn, parsed.vault_id)
            finally:
                conn.close()
            new_params = (params or parsed.kdf_params).with_new_salt()
            replacement = header_file.wrap(data_key, new, new_params, parsed.vault_id)
            header_file.write_atomically(header_path(path), replacement)
            check = header_file.unwrap(header_file.read(header_path(path)), new)
            if bytes(check) != bytes(data_key):
                raise DamagedDatabase(_("The new header could not be verified."))
            kdf.zero(check)
        finally:
            kdf.zero(data_key)
    finally:
        lock.release()


def check_file(path: Path, passphrase: str) -> list[CheckResult]:
    """Checks a closed or open vault without the writer lock and without writing.

    Unlike `Vault.open(read_only=True)` followed by `check`, this still reports which pages
    are damaged when the damage stops the vault from opening normally. A vault made by an
    older version is checked all the same (nothing is migrated); its last result, "Schema
    version", then fails with `needs_upgrade` set, so the caller can tell an old vault from
    a damaged one.

    Raises:
        VaultMissing, NotAVault, DamagedHeader, VaultTooNew: see `read_header_for`.
        WrongPassphrase: the passphrase does not unwrap the data key.
        VaultTooNew: the database was written by a newer version (after the checks ran).
    """
    path = Path(path)
    parsed = read_header_for(path)
    data_key = header_file.unwrap(parsed, passphrase)
    try:
        try:
            conn = connect(path, data_key, create=False)
        except DamagedDatabase as error:
            return [CheckResult(_("Database"), False, error.message)]
        try:
            with suppress(sqlcipher3.Error):
                conn.execute("PRAGMA query_only = ON")
            results = run_checks(conn)
            try:
                with sqlite_errors():
                    version = _verify_identity(conn, parsed.vault_id)
            except DamagedDatabase as error:
                results.append(CheckResult(_("Vault"), False, error.message))
            else:
                results.append(_schema_result(version))
            return results
        finally:
            conn.close()
    finally:
        kdf.zero(data_key)


def _schema_result(version: int) -> CheckResult:
    """The schema line of `check`: current, or older (an upgrade is needed, no damage)."""
    name = _("Schema version")
    latest = migrations.latest_version()
    if version >= latest:
        return CheckResult(name, True, _("version {version}, current").format(version=version))
    detail = _(
        "version {version}; this Confidant uses version {latest}: open the vault once in "
        "Confidant to upgrade it"
    ).format(version=version, latest=latest)
    return CheckResult(name, False, detail, needs_upgrade=True)
