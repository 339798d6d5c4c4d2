"""Provides the checks around opening a vault: is it there, is it ours, is its schema current.

Before the key is derived (`ensure_free`, `read_header_for`: cheap file checks, no Argon2)
and after the database opens (`verify_identity`, `check_schema`: the database is the
header's own and its schema is brought up to date). `store.Vault` and the maintenance
commands (`maintenance.py`) share them.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from confidant_tui.errors import (
    DamagedDatabase,
    NotAVault,
    StorageError,
    VaultExists,
    VaultMissing,
    VaultTooNew,
    VaultUnusable,
)
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import migrations
from confidant_tui.vault.connection import Connection, migrate, schema_version
from confidant_tui.vault.restore_journal import finish_interrupted_restore
from confidant_tui.vault.sqlerrors import sqlite_errors

SQLITE_MAGIC = b"SQLite format 3\x00"


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
    finish_interrupted_restore(path)
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


def verify_identity(conn: Connection, vault_id: str) -> int:
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


def check_schema(conn: Connection, vault_id: str, *, upgrade: bool) -> None:
    """Checks that the database is the header's and brings its schema up to date.

    Args:
        conn: the open connection.
        vault_id: the header's vault id.
        upgrade: apply the missing migrations (only when opening for writing); when
            False, a vault that needs them is refused.

    Raises:
        VaultTooNew, DamagedDatabase: see `verify_identity`.
        VaultUnusable: the vault needs an upgrade and `upgrade` is False, or a migration
            step failed (the vault then stays at the last whole step before it).
        StorageError: the disk refused the upgrade (the same holds).
    """
    with sqlite_errors():
        version = verify_identity(conn, vault_id)
    if version >= migrations.latest_version():
        return
    if not upgrade:
        raise VaultUnusable(
            _("This vault needs an upgrade. Open it once in Confidant, then try again.")
        )
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
