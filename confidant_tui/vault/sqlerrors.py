"""Provides the translation of SQLite errors into errors the adviser can act on.

A full disk, an I/O error and a damaged page each have their own message; any other SQLite
error is a program fault and stays one (it is never dressed up as the adviser's problem).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3

from confidant_tui.errors import ConfidantError, DamagedDatabase, StorageError
from confidant_tui.i18n import _

ERR_READONLY, ERR_IOERR, ERR_CORRUPT, ERR_FULL, ERR_NOTADB = 8, 10, 11, 13, 26
"""SQLite's primary result codes (the low byte of an extended code)."""


def primary_code(error: Exception) -> int | None:
    """The primary SQLite result code of `error`, or None when it carries none."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def translate_sqlite_error(error: Exception) -> ConfidantError | None:
    """Maps a SQLite error to an adviser-facing error, or None when it is a program fault."""
    primary = primary_code(error)
    if primary is None:
        return None
    if primary == ERR_FULL:
        return StorageError(
            _("The disk is full. Nothing was saved; free some space and try again.")
        )
    if primary in (ERR_IOERR, ERR_READONLY):
        return StorageError(_("The disk refused to write. Nothing was saved."))
    if primary in (ERR_CORRUPT, ERR_NOTADB):
        return DamagedDatabase(
            _("The vault database is damaged. Run 'confidant check' and restore a backup.")
        )
    return None


@contextmanager
def sqlite_errors() -> Iterator[None]:
    """Re-raises SQLite's disk and damage errors as adviser-facing errors."""
    try:
        yield
    except sqlcipher3.Error as error:
        mapped = translate_sqlite_error(error)
        if mapped is None:
            raise
        raise mapped from None
