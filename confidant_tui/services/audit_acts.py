"""Provides the audit entry of an act, for the services that do the act.

`append` writes the entry inside the act's own write transaction (the act and its entry are
saved together or not at all); `note` records an act that has no transaction of its own (an
unlock, an export), which a read-only process leaves beside the vault for the next writer
(`services.audit.record`). Entries name the case by its code and never carry content.

The moment of an entry is when the act happened on this computer, read from the system
clock (`SystemClock`), to the second: it is evidence of when something was done, not a
date the adviser entered, so it is the one reading of the clock the services make
themselves where the caller passes no `now` (the date of a conversation, a step or a
status stays the caller's).
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.clock import SystemClock
from confidant_tui.services import audit
from confidant_tui.vault.store import Connection, Vault


def moment() -> dt.datetime:
    """Now on this computer's clock, to the second."""
    return SystemClock().now().replace(microsecond=0)


def append(
    vault: Vault,
    conn: Connection,
    action: str,
    *,
    case_code: str | None = None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Appends the act's entry inside its write transaction (`vault.transaction()`); `at`
    is the caller's `now` where the service takes one, else this computer's clock."""
    if action not in audit.ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    stamp = (at if at is not None else moment()).replace(microsecond=0)
    vault.append_audit(conn, at=stamp, action=action, case_code=case_code, detail=detail)


def note(
    vault: Vault,
    action: str,
    *,
    case_code: str | None = None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Records an act without a transaction of its own (see `services.audit.record`);
    `at` as for `append`.

    Raises:
        StorageError: it could not be recorded.
    """
    stamp = at if at is not None else moment()
    audit.record(vault, action, now=stamp, case_code=case_code, detail=detail)
