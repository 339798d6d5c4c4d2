"""Provides the damage checks behind `confidant check`: pages, structure and references.

Each check runs on its own, so a damaged page that makes SQLite's structure check fail
still shows up as a damaged page, and one unreadable part never hides the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlcipher3

from confidant_tui.i18n import _, ngettext
from confidant_tui.vault.connection import Connection
from confidant_tui.vault.sqlerrors import translate_sqlite_error


@dataclass(frozen=True)
class CheckResult:
    """One line of `confidant check`.

    Attributes:
        name: what was checked, for the adviser.
        ok: whether it passed.
        detail: a short explanation.
        needs_upgrade: the check failed only because the vault was made by an older
            version of Confidant and has not been upgraded yet: no damage.
        went_back: the check failed because the vault went back in time (see
            `vault.freshness`).
    """

    name: str
    ok: bool
    detail: str
    needs_upgrade: bool = False
    went_back: bool = False
    """The check failed because saves are missing (exit code 7), not because of damage."""
    chain_broken: bool = False
    """The check failed because the audit chain was altered (exit code 8)."""


RETRY_PAUSES = (0.05, 0.25, 1.0)
"""Seconds waited before each new read of a page that failed its check (see check_pages)."""


def _problems(count: int) -> str:
    return ngettext("{count} problem", "{count} problems", count).format(count=count)


def _failed(name: str, error: sqlcipher3.Error) -> CheckResult:
    mapped = translate_sqlite_error(error)
    return CheckResult(name, False, mapped.message if mapped else _("unreadable"))


def check_pages(conn: Connection) -> CheckResult:
    """SQLCipher's `cipher_integrity_check`: every page's HMAC, in the whole file."""
    name = _("Encrypted pages")
    try:
        bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        # The page check reads the file itself, not a snapshot: beside the app, a checkpoint
        # that is copying pages (or has grown the file for them and not yet written them)
        # reads as damaged pages, and on a busy computer that window can outlast three
        # quick reads (seen in CI: 4 pages, three times). Real damage stays; only pages that
        # fail every read, spread over about 1.3 s, are reported.
        for pause in RETRY_PAUSES:
            if not bad:
                break
            time.sleep(pause)
            again = set(conn.execute("PRAGMA cipher_integrity_check").fetchall())
            bad = [row for row in bad if row in again]
    except sqlcipher3.Error as error:
        return _failed(name, error)
    if not bad:
        return CheckResult(name, True, _("all pages pass their check"))
    detail = ngettext("{count} damaged page", "{count} damaged pages", len(bad))
    return CheckResult(name, False, detail.format(count=len(bad)))


def check_structure(conn: Connection) -> CheckResult:
    """SQLite's `integrity_check`: b-trees, indexes, constraints."""
    name = _("Database structure")
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlcipher3.Error as error:
        return _failed(name, error)
    ok = rows == ["ok"]
    return CheckResult(name, ok, _("no errors found") if ok else _problems(len(rows)))


def check_references(conn: Connection) -> CheckResult:
    """SQLite's `foreign_key_check`."""
    name = _("References")
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlcipher3.Error as error:
        return _failed(name, error)
    return CheckResult(name, not rows, _("no errors found") if not rows else _problems(len(rows)))


def run_checks(conn: Connection) -> list[CheckResult]:
    """Runs every check on an open connection; reads only.

    Args:
        conn: a connection with the key applied.

    Returns:
        One result per check, in a fixed order.
    """
    return [check_pages(conn), check_structure(conn), check_references(conn)]
