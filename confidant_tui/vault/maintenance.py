"""Provides the commands that work on a closed vault's files: a new passphrase, a check.

Both run beside an open app where they can (`check` takes no lock; `passwd` takes the
writer lock) and never migrate: they read the database only.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import sqlcipher3

from confidant_tui.errors import DamagedDatabase
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import freshness as fresh
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf, migrations
from confidant_tui.vault.checks import CheckResult, run_checks
from confidant_tui.vault.connection import connect
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.opening import read_header_for, verify_identity
from confidant_tui.vault.sqlerrors import sqlite_errors


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
                    verify_identity(conn, parsed.vault_id)
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
            results.append(_schema_result(version))
            try:
                with sqlite_errors():
                    counter = fresh.database_counter(conn)
            except DamagedDatabase as error:
                results.append(CheckResult(_("Saves"), False, error.message))
                return results
            key = fresh.mac_key(data_key)
            try:
                results.append(_saves_result(fresh.assess(counter, parsed, state, key), parsed))
            finally:
                kdf.zero(key)
            return results
        finally:
            conn.close()
    finally:
        kdf.zero(data_key)


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
