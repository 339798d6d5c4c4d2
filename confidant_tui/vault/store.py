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

import datetime as dt
import os
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlcipher3

from confidant_tui.domain.audit import ChainCheck
from confidant_tui.errors import (
    ConfidantError,
    StorageError,
    VaultLocked,
    VaultRolledBack,
    VaultUnusable,
)
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import audit_chain, audit_pending, kdf
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault.checks import CheckResult, run_checks
from confidant_tui.vault.connection import Connection, connect, migrate, schema_version
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import check_schema, ensure_free, read_header_for
from confidant_tui.vault.restore_journal import sweep_stale_temps
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
        freshness: fresh.Freshness | None = None,
    ) -> None:
        self.path = path
        self.vault_id = vault_id
        self.read_only = read_only
        self._conn: Connection | None = conn
        self._data_key = data_key
        self._mac_key = fresh.mac_key(data_key)
        self._audit_key = audit_chain.audit_key(data_key)
        self._writer_lock = writer_lock
        self._mutex = threading.RLock()
        self.freshness = freshness or fresh.Freshness(database=0, header=0, state=None)
        """How the database's commit counter compared with the header and this computer's
        record when the vault was opened (see `vault.freshness`)."""

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        params: kdf.KdfParams,
        *,
        recovery_key: bytes | None = None,
    ) -> Vault:
        """Creates a new vault (database and header) and returns it open for writing.

        Args:
            path: the database file to create.
            passphrase: the adviser's passphrase.
            params: the Argon2id parameters.
            recovery_key: a recovery key (`domain.recovery_key`) that also opens the vault;
                None makes a vault without one.

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
            made = header_file.wrap(data_key, passphrase, params, vault_id)
            if recovery_key is not None:
                made = header_file.replace_recovery(
                    made, header_file.wrap_recovery(data_key, recovery_key, vault_id)
                )
            made = made.with_commit(fresh.mark_for(fresh.mac_key(data_key), vault_id, 0))
            header_file.write_atomically(head, made)
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
    def open(
        cls,
        path: Path,
        passphrase: str,
        *,
        read_only: bool = False,
        accept_rollback: bool = False,
    ) -> Vault:
        """Opens an existing vault with the passphrase.

        Args:
            path: the database file.
            passphrase: the adviser's passphrase.
            read_only: open without the writer lock and refuse writes (for `check`,
                `report`, `backup`, which may run while the app is open). A reader only
                reports (in `freshness`) a vault that went back in time.
            accept_rollback: for a writer: open a vault that went back in time all the same
                (the adviser said so); its counter then continues above every number seen.

        Raises:
            VaultMissing, NotAVault, DamagedHeader, VaultTooNew, VaultInUse,
            WrongPassphrase, DamagedDatabase: each with its message for the adviser.
            VaultRolledBack: a writer found saves missing and `accept_rollback` is False.
        """
        path = Path(path)
        parsed = read_header_for(path)
        lock: WriterLock | None = None
        if not read_only:
            lock = WriterLock(path)
            lock.acquire()
            sweep_stale_temps(path)
        try:
            data_key = header_file.unwrap(parsed, passphrase)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls.open_with_key(
            path, parsed, data_key, lock, read_only=read_only, accept_rollback=accept_rollback
        )

    @classmethod
    def open_with_key(
        cls,
        path: Path,
        parsed: header_file.Header,
        data_key: bytearray,
        lock: WriterLock | None,
        *,
        read_only: bool,
        accept_rollback: bool = False,
    ) -> Vault:
        """Opens the vault with a data key already unwrapped from `parsed` (by the passphrase
        or the recovery key); takes ownership of `data_key` and `lock` (released on error).

        This computer's record is read before the database snapshot (see `vault.freshness`:
        a commit in between then makes the database look ahead, never behind).
        """
        try:
            state = fresh.read_state(path, parsed.vault_id)
            conn = connect(path, data_key, create=False)
            try:
                check_schema(conn, parsed.vault_id, upgrade=not read_only)
                if read_only:
                    conn.execute("PRAGMA query_only = ON")
                with sqlite_errors():
                    counter = fresh.database_counter(conn)
                    head = audit_chain.head(conn)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            kdf.zero(data_key)
            if lock is not None:
                lock.release()
            raise
        key = fresh.mac_key(data_key)
        found = fresh.assess(counter, parsed, state, key, head)
        kdf.zero(key)
        vault = cls(
            path,
            conn,
            data_key,
            parsed.vault_id,
            read_only=read_only,
            writer_lock=lock,
            freshness=found,
        )
        if not read_only:
            try:
                vault._settle_counter(accept_rollback)
                with suppress(ConfidantError):
                    vault.fold_pending_audit()
            except BaseException:
                vault.close()
                raise
        return vault

    def _settle_counter(self, accept_rollback: bool) -> None:
        """For a writer, right after opening: refuse (or, when the adviser accepted it, move
        past) a vault that went back in time, and bring a lagging header and state record
        up to the database's counter."""
        found = self.freshness
        moment = dt.datetime.now().replace(microsecond=0)
        if found.went_back:
            if not accept_rollback:
                raise VaultRolledBack(fresh.rollback_message(found), found.missing)
            with self.transaction() as conn:
                fresh.set_counter(conn, found.highest)
                self.append_audit(
                    conn, at=moment, action="vault.rollback_accepted", detail=str(found.missing)
                )
            return  # the transaction's commit mirrored the new counter
        if found.tail_cut:
            # The next mirror would make the header agree with the shortened log: the chain
            # itself keeps the evidence instead.
            with self.transaction() as conn:
                self.append_audit(conn, at=moment, action="audit.tail_cut")
            return
        if found.database is not None and (
            found.header != found.database or found.state != found.database
        ):
            with self.reading() as conn:
                head = audit_chain.head(conn)
            self._mirror(found.database, head)

    def close(self) -> None:
        """Checkpoints the WAL, closes the connection, forgets the key, releases the lock.

        The data key is zeroed in memory; the hex copy in SQLCipher's `PRAGMA key` text was a
        Python string and cannot be wiped (documented in `docs/vault-format.md`).
        """
        with self._mutex:
            if self._conn is not None:
                with suppress(ConfidantError, sqlcipher3.Error):
                    self.fold_pending_audit()
                try:
                    if not self.read_only:
                        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlcipher3.Error:
                    pass
                finally:
                    self._conn.close()
                    self._conn = None
                kdf.zero(self._data_key)
                kdf.zero(self._mac_key)
                kdf.zero(self._audit_key)
            if self._writer_lock is not None:
                self._writer_lock.release()
                self._writer_lock = None

    def data_key_copy(self) -> bytearray:
        """A copy of the data key, for the vault layer's own copies of the database (a
        backup, a new vault under a new key). The caller zeroes it (`kdf.zero`) when done.

        Raises:
            VaultLocked: the vault was closed.
        """
        with self._mutex:
            self._connection()
            return bytearray(self._data_key)

    def header(self) -> header_file.Header:
        """The vault's header as it is on disk now."""
        return header_file.read(header_path(self.path))

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
                changes_before = conn.total_changes
                try:
                    yield conn
                    wrote = conn.total_changes != changes_before
                    counter = fresh.bump_counter(conn) if wrote else None
                    head = audit_chain.head(conn) if wrote else audit_chain.EMPTY_HEAD
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            if counter is not None:
                self._mirror(counter, head)

    def append_audit(
        self,
        conn: Connection,
        *,
        at: dt.datetime,
        action: str,
        case_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Appends an audit entry inside the caller's write transaction (`transaction()`),
        so the act and its entry are saved together or not at all."""
        audit_chain.append(
            conn, self._audit_key, at=at, action=action, case_code=case_code, detail=detail
        )

    def record_audit(
        self,
        action: str,
        *,
        at: dt.datetime,
        case_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Records an act that has no write transaction of its own (an unlock, an export).

        A writer appends it to the chain at once; a read-only process leaves it beside the
        vault for the next writer (`vault.audit_pending`).

        Raises:
            StorageError: it could not be recorded.
        """
        if self.read_only:
            with self._mutex:
                self._connection()
                try:
                    audit_pending.leave(
                        self.path,
                        self._data_key,
                        self.vault_id,
                        at=at,
                        action=action,
                        case_code=case_code,
                        detail=detail,
                    )
                except OSError:
                    raise StorageError(
                        _("The act could not be recorded in the vault's audit log.")
                    ) from None
            return
        with self.transaction() as conn:
            self.append_audit(conn, at=at, action=action, case_code=case_code, detail=detail)

    def verify_audit(self) -> ChainCheck:
        """Recomputes every MAC of the audit chain (see `vault.audit_chain.verify`)."""
        with self.reading() as conn:
            return audit_chain.verify(conn, self._audit_key)

    def fold_pending_audit(self) -> int:
        """Folds the audit entries that read-only processes left beside the vault into the
        chain (a writer only; at opening and closing); returns how many."""
        if self.read_only:
            return 0
        found = audit_pending.gather(self.path, self._data_key, self.vault_id)
        if not found:
            return 0
        with self.transaction() as conn:
            for entry in found:
                self.append_audit(
                    conn,
                    at=entry.at,
                    action=entry.action,
                    case_code=entry.case_code,
                    detail=entry.detail,
                )
        audit_pending.remove(found)
        return len(found)

    def compact_after_destruction(self) -> None:
        """Leaves no page of the file holding destroyed text: merges the full-text index
        (FTS5 keeps deleted tokens in older segments until `optimize`), checkpoints and
        truncates the `-wal`, rebuilds the file with `VACUUM` (no free pages left) and
        truncates the `-wal` again. Outside a transaction, under the mutex; a writer only.

        Raises:
            VaultLocked: the vault was closed.
            StorageError: the disk refused; the data is unchanged.
        """
        with self._mutex:
            conn = self._connection()
            if self.read_only:
                raise VaultUnusable(_("This vault was opened read-only."))
            with sqlite_errors():
                conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _mirror(self, counter: int, head: bytes) -> None:
        """Mirrors the commit counter into the header, then into this computer's record.

        Runs after the commit, so a crash in between leaves the header behind the database:
        harmless (see `vault.freshness`). A disk that refuses only makes the records lag,
        so the adviser's save is not reported as failed.
        """
        mark = fresh.mark_for(self._mac_key, self.vault_id, counter, head)
        header_file_path = header_path(self.path)
        try:
            current = header_file.read(header_file_path)
            if current.vault_id != self.vault_id:
                return
            if current.commit != mark or current.backup is not None:
                updated = header_file.replace_commit(current, mark)
                header_file.write_atomically(header_file_path, updated, sync_folder=False)
            fresh.write_state(self.path, self.vault_id, mark)
        except (ConfidantError, OSError):
            pass

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
