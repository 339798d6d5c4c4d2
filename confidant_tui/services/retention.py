"""Provides retention as use cases: which closed cases are due, postponing, and destroying.

The rule is `domain.retention`: a closed case is due once the yearly report covering the
year it was closed has been published for its organisation, and at the latest the
organisation's `retention_years` after closing; the latest postponement moves that day.

Destroying a case keeps its anonymous statistical record (no code, no date finer than the
year), removes the case with everything under it and appends `case.destroyed` (code and
date only), in one transaction per case; afterwards the full-text index is optimised, the
`-wal` checkpointed and truncated, and the file vacuumed, so no page of the vault, free pages
included, still holds the case's text. Only a case that is due is destroyed, unless the
caller passes `early=True` (an adviser honouring a reporter's request to erase a closed
case before its day); an open or aftercare case is never destroyed.

The UI and the command line call these functions; they never import `confidant_tui.vault`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from confidant_tui.vault.store import Vault

__all__ = [
    "DestroyDone",
    "DueCase",
    "destroy",
    "due_cases",
    "known_backups",
    "postpone",
    "postponed_cases",
]


@dataclass(frozen=True)
class DueCase:
    """A closed case with its retention day.

    Attributes:
        code: the case code.
        organisation: the organisation's name.
        closed_on: the day it was closed.
        due_on: the day it is (or becomes) due for destruction.
        reason: why it is due then, in words ("gesloten 3 februari 2024, 2 jaar bewaard").
        postponed_until: the latest postponement's day, if any.
        postponement_reason: the adviser's reason for it (their own words).
    """

    code: str
    organisation: str
    closed_on: dt.date
    due_on: dt.date
    reason: str
    postponed_until: dt.date | None = None
    postponement_reason: str | None = None


@dataclass(frozen=True)
class DestroyDone:
    """What a destruction did.

    Attributes:
        destroyed: the codes of the destroyed cases, in order.
        records_kept: how many anonymous statistical records were kept (a case whose
            reporter withdrew the statistics keeps none).
    """

    destroyed: tuple[str, ...]
    records_kept: int


def due_cases(vault: Vault, *, today: dt.date) -> list[DueCase]:
    """The closed cases due for destruction on `today`, the longest due first."""
    raise NotImplementedError


def postponed_cases(vault: Vault, *, today: dt.date) -> list[DueCase]:
    """The closed cases whose postponement keeps them past `today`, soonest due first."""
    raise NotImplementedError


def postpone(vault: Vault, code: str, *, until: dt.date, reason: str, now: dt.datetime) -> None:
    """Postpones a closed case's destruction to `until` for `reason` (audited
    `retention.postponed` with the code and the day, never the reason).

    Raises:
        NotFound: no case has that code.
        InvalidInput: the case is not closed, `until` is not after today, or the reason is
            empty.
    """
    raise NotImplementedError


def destroy(
    vault: Vault, codes: Sequence[str], *, now: dt.datetime, early: bool = False
) -> DestroyDone:
    """Destroys the cases (see the module docstring), then leaves no trace in the file.

    Raises:
        NotFound: a code names no case (nothing is destroyed).
        InvalidInput: a case is not due on `now`'s day (and `early` is False), or not
            closed (nothing is destroyed).
    """
    raise NotImplementedError


def known_backups(vault: Vault) -> list[tuple[Path, dt.datetime]]:
    """The backups of this vault made on this computer, oldest first: each file's path and
    when it was made (aware, UTC). A listed file may since have been moved or deleted."""
    raise NotImplementedError
