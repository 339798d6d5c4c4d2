"""Provides the commands that work on a closed vault's files: a new passphrase, a new
recovery key, recovery with the recovery key, a check; and stronger key derivation for a
vault just opened for writing.

They run beside an open app where they can (`check` takes no lock; the header changes take
the writer lock) and never migrate: they read the database only. Every header change is
atomic and verified: the new header is written to a temp file, synced and renamed over the
old one, then read back and unwrapped, so a crash at any instant leaves the old or the new
header, each of which opens the vault.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlcipher3

from confidant_tui.domain.audit import ChainCheck
from confidant_tui.errors import ConfidantError, DamagedDatabase, StorageError
from confidant_tui.i18n import _, ngettext
from confidant_tui.paths import header_path
from confidant_tui.vault import audit_chain, audit_pending, kdf, migrations
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault.checks import CheckResult, run_checks
from confidant_tui.vault.connection import connect
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import read_header_for, verify_identity
from confidant_tui.vault.sqlerrors import sqlite_errors
from confidant_tui.vault.store import Vault


def change_passphrase(
    path: Path, current: str, new: str, params: kdf.KdfParams | None = None
) -> None:
    """Re-wraps the data key under a new passphrase by replacing the header atomically.

    The database is only read: the unwrapped key must open it and it must be the header's
    own database, so a passphrase is never changed on a header that opens nothing. A fresh
    salt is always used; `params` may raise the costs (the default keeps the vault's
    current costs). The recovery wrap, the commit mark and a backup mark are kept: the
    recovery key still opens the vault afterwards.

    The data key itself does not change, so an old copy of the header still opens the
    vault with the old passphrase (`docs/vault-format.md`).

    Raises:
        WrongPassphrase: `current` is wrong (nothing is written).
        VaultInUse: another process has the vault open.
        DamagedDatabase, VaultTooNew: the database does not open with the header's key, or
            was written by a newer version (nothing is written).
        StorageError: the new header could not be written (the old one stays).
    """
    path = Path(path)
    with _writer(path) as parsed:
        data_key = header_file.unwrap(parsed, current)
        try:
            _verify_database(path, data_key, parsed.vault_id)
            new_params = (params or parsed.kdf_params).with_new_salt()
            replacement = header_file.rewrapped(parsed, data_key, new, new_params)
            _write_verified(path, parsed, replacement, data_key, new_passphrase=new)
            _leave_entry(path, data_key, parsed.vault_id, "passphrase.changed")
        finally:
            kdf.zero(data_key)


def set_recovery_key(path: Path, passphrase: str, recovery_key: bytes) -> None:
    """Makes `recovery_key` the vault's one recovery key, replacing the header atomically.

    The passphrase must open the vault and the database must be the header's own. The old
    recovery key (if any) stops working at the instant the new header is in place; the
    passphrase wrap, the commit mark and a backup mark stay as they were.

    Raises:
        WrongPassphrase: the passphrase is wrong (nothing is written).
        VaultInUse: another process has the vault open.
        DamagedDatabase, VaultTooNew: as for `change_passphrase` (nothing is written).
        StorageError: the new header could not be written (the old one stays).
    """
    path = Path(path)
    with _writer(path) as parsed:
        data_key = header_file.unwrap(parsed, passphrase)
        try:
            _verify_database(path, data_key, parsed.vault_id)
            wrap = header_file.wrap_recovery(data_key, recovery_key, parsed.vault_id)
            replacement = header_file.replace_recovery(parsed, wrap)
            _write_verified(path, parsed, replacement, data_key, recovery_key=recovery_key)
            _leave_entry(path, data_key, parsed.vault_id, "recovery_key.replaced")
        finally:
            kdf.zero(data_key)


def check_recovery_key(path: Path, recovery_key: bytes) -> None:
    """Checks that `recovery_key` opens the vault's header (no lock, nothing written; a
    fast key derivation, so a command can refuse a wrong key before it asks for more).

    Raises:
        VaultMissing, NotAVault, DamagedHeader, VaultTooNew: see `read_header_for`.
        WrongRecoveryKey: the vault has no recovery key, or this one is not it.
    """
    data_key = header_file.unwrap_recovery(read_header_for(Path(path)), recovery_key)
    kdf.zero(data_key)


def has_recovery_key(path: Path) -> bool:
    """Whether the vault's header holds a recovery wrap (reads the header only)."""
    return read_header_for(Path(path)).recovery is not None


def recover(path: Path, recovery_key: bytes, new: str, params: kdf.KdfParams | None = None) -> None:
    """Opens the vault with the recovery key and sets a new passphrase, atomically.

    The recovery key unwraps the data key; the database must open with it and be the
    header's own. The data key is then wrapped under the new passphrase with a fresh salt
    (costs: `params`, else the header's), the recovery wrap is kept (the recovery key still
    works until a new one is made), and the old passphrase stops working.

    Raises:
        WrongRecoveryKey: the vault has no recovery key, or this one does not open it
            (nothing is written).
        VaultInUse: another process has the vault open.
        DamagedDatabase, VaultTooNew: as for `change_passphrase` (nothing is written).
        StorageError: the new header could not be written (the old one stays).
    """
    path = Path(path)
    with _writer(path) as parsed:
        data_key = header_file.unwrap_recovery(parsed, recovery_key)
        try:
            _verify_database(path, data_key, parsed.vault_id)
            new_params = (params or parsed.kdf_params).with_new_salt()
            replacement = header_file.rewrapped(parsed, data_key, new, new_params)
            _write_verified(path, parsed, replacement, data_key, new_passphrase=new)
            _leave_entry(path, data_key, parsed.vault_id, "passphrase.recovered")
        finally:
            kdf.zero(data_key)


def strengthen_key_derivation(vault: Vault, passphrase: str, params: kdf.KdfParams) -> None:
    """Re-wraps the data key of a vault open for writing under stronger Argon2id costs.

    The open vault already holds the writer lock (taking it again in this process would
    block on the second descriptor), so the header is rewritten directly: the header as it
    is on disk now, with the passphrase wrap made anew under `params` (a fresh salt) and
    the recovery wrap, commit mark and backup mark kept; written atomically, read back and
    unwrapped with the passphrase. If that check fails, the previous header is put back.

    Raises:
        StorageError: the new header could not be written (the old one stays).
        DamagedDatabase: the written header did not give the data key back (the previous
            header was put back).
    """
    if vault.read_only:
        raise ValueError("only a writer may rewrite the header")
    current = vault.header()
    if current.vault_id != vault.vault_id:
        return
    data_key = vault.data_key_copy()
    try:
        replacement = header_file.rewrapped(current, data_key, passphrase, params.with_new_salt())
        _write_verified(vault.path, current, replacement, data_key, new_passphrase=passphrase)
    finally:
        kdf.zero(data_key)
    vault.record_audit("key_derivation.strengthened", at=_now())


@contextmanager
def _writer(path: Path) -> Iterator[header_file.Header]:
    """Holds the writer lock around a header change and yields the header as it is now.

    The header is checked before the lock is taken (a missing or damaged vault is reported
    as such, not as "in use"), and read again under the lock: a writer that closed
    meanwhile may have mirrored a newer commit mark into it.
    """
    read_header_for(path)
    lock = WriterLock(path)
    lock.acquire()
    try:
        header_file.remove_stale_temps(header_path(path))
        audit_pending.remove_stale_temps(path)
        yield read_header_for(path)
    finally:
        lock.release()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _leave_entry(path: Path, data_key: bytearray, vault_id: str, action: str) -> None:
    """Records a header change in the audit log: no vault is open here (only its writer
    lock is held), so the entry is left beside the vault for the next writer to fold in
    (`vault.audit_pending`).

    Raises:
        StorageError: the entry could not be written (the header change itself stands).
    """
    try:
        audit_pending.leave(path, data_key, vault_id, at=_now(), action=action)
    except OSError:
        raise StorageError(_("The act could not be recorded in the vault's audit log.")) from None


def _verify_database(path: Path, data_key: bytearray, vault_id: str) -> None:
    """The data key opens the database and it is the header's own (reads only)."""
    conn = connect(path, data_key, create=False)
    try:
        with sqlite_errors():
            verify_identity(conn, vault_id)
    finally:
        conn.close()


def _write_verified(
    path: Path,
    previous: header_file.Header,
    replacement: header_file.Header,
    data_key: bytearray,
    *,
    new_passphrase: str | None = None,
    recovery_key: bytes | None = None,
) -> None:
    """Writes `replacement` atomically, reads it back and unwraps it with the new secret.

    A header that does not give the data key back is replaced by `previous` again.

    Raises:
        StorageError: the write failed; `previous` is still in place.
        DamagedDatabase: the written header could not be verified.
    """
    head = header_path(path)
    header_file.write_atomically(head, replacement)
    try:
        written = header_file.read(head)
        if recovery_key is not None:
            check = header_file.unwrap_recovery(written, recovery_key)
        else:
            check = header_file.unwrap(written, new_passphrase or "")
    except ConfidantError:
        check = bytearray()
    try:
        if not hmac.compare_digest(bytes(check), bytes(data_key)):
            header_file.write_atomically(head, previous)
            raise DamagedDatabase(_("The new header could not be verified."))
    finally:
        kdf.zero(check)


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
    # This computer's record is read before the database snapshot (see vault.freshness).
    state = fresh.read_state(path, parsed.vault_id)
    data_key = header_file.unwrap(parsed, passphrase)
    try:
        try:
            conn = connect(path, data_key, create=False, read_only_file=parsed.backup is not None)
        except DamagedDatabase as error:
            return [CheckResult(_("Database"), False, error.message)]
        try:
            with suppress(sqlcipher3.Error):
                conn.execute("PRAGMA query_only = ON")
            results = run_checks(conn)
            try:
                with sqlite_errors():
                    version = verify_identity(conn, parsed.vault_id)
            except DamagedDatabase as error:
                results.append(CheckResult(_("Vault"), False, error.message))
                return results
            try:
                with sqlite_errors():
                    # One snapshot for the counter and the chain: beside a writer, a commit
                    # between two reads would pair counter N with the head of N + 1 and look
                    # like a cut-off tail.
                    conn.execute("BEGIN")
                    chain_key = audit_chain.audit_key(data_key)
                    try:
                        counter = fresh.database_counter(conn)
                        chain = audit_chain.verify(conn, chain_key)
                    finally:
                        kdf.zero(chain_key)
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
            except DamagedDatabase as error:
                results.append(CheckResult(_("Saves"), False, error.message))
            else:
                key = fresh.mac_key(data_key)
                try:
                    found = fresh.assess(counter, parsed, state, key, chain.head)
                    results.append(_saves_result(found, parsed))
                finally:
                    kdf.zero(key)
                results.append(_chain_result(chain, found))
            results.append(_schema_result(version))
            return results
        finally:
            conn.close()
    finally:
        kdf.zero(data_key)


def _chain_result(chain: ChainCheck, found: fresh.Freshness) -> CheckResult:
    """The "Audit log" line of `check`: every entry's MAC, and its last entry against the
    header's and this computer's mark."""
    name = _("Audit log")
    if chain.first_broken is not None:
        detail = _(
            "entry {number} (of {count} read) fails its check: an entry was altered, removed, "
            "moved or inserted at or just before it"
        ).format(number=chain.first_broken, count=chain.count)
        return CheckResult(name, False, detail, chain_broken=True)
    if found.tail_cut:
        detail = ngettext(
            "its {count} entry holds, but entries after it were cut off: the header names "
            "another last entry",
            "its {count} entries hold together, but entries after them were cut off: the "
            "header names another last entry",
            chain.count,
        ).format(count=chain.count)
        return CheckResult(name, False, detail, chain_broken=True)
    detail = ngettext(
        "{count} entry, every one in place", "{count} entries, every one in place", chain.count
    ).format(count=chain.count)
    return CheckResult(name, True, detail)


def _saves_result(found: fresh.Freshness, parsed: header_file.Header) -> CheckResult:
    """The "Saves" line of `check`: is the database as far as its header and this
    computer's record of it (a backup: as far as its own header)?"""
    name = _("Saves")
    if found.database is None:
        return CheckResult(name, True, _("not counted yet in this older vault"))
    if not found.header_genuine:
        detail = _("the header's count of saves fails its check: it was altered")
        return CheckResult(name, False, detail, went_back=True)
    if found.went_back:
        return CheckResult(name, False, found.explanation(), went_back=True)
    if parsed.backup is not None:
        detail = _("a backup made {moment} UTC; its {count} saves match its header").format(
            moment=parsed.backup.made_at.replace("T", " ").removesuffix("Z"),
            count=found.database,
        )
        return CheckResult(name, True, detail)
    if found.header_lags:
        detail = _(
            "{count} saves; the header lags behind (a crash right after a save): Confidant "
            "brings it up to date the next time the vault is opened"
        ).format(count=found.database)
        return CheckResult(name, True, detail)
    detail = _("{count} saves, as many as its header and this computer recorded").format(
        count=found.database
    )
    return CheckResult(name, True, detail)


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
