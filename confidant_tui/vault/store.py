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
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from confidant_tui.errors import (
    StorageError,
    VaultLocked,
    VaultUnusable,
)
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf
from confidant_tui.vault.checks import CheckResult, run_checks
from confidant_tui.vault.connection import Connection, connect, migrate, schema_version
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import check_schema, ensure_free, read_header_for
from confidant_tui.vault.sqlerrors import sqlite_errors, translate_sqlite_error

__all__ = [
    "CheckResult",
    "Connection",
    "Vault",
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
                check_schema(conn, parsed.vault_id, upgrade=not read_only)
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
