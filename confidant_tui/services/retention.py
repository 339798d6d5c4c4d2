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

from confidant_tui.domain.retention import Retention, is_due, retention_for
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.i18n import _
from confidant_tui.vault import cases_repo, freshness, organisations_repo, retention_repo
from confidant_tui.vault.store import Connection, Vault

__all__ = [
    "DestroyDone",
    "DueCase",
    "destroy",
    "due_cases",
    "known_backups",
    "postpone",
    "postponed_cases",
    "report_published_on",
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


MAX_REASON = 500
"""The longest postponement reason (characters)."""


def report_published_on(
    reports: dict[tuple[int | None, int], dt.date], organisation_id: int, year: int
) -> dt.date | None:
    """When the report covering `year` was first published for the organisation, its own or
    one over the whole vault (`retention_repo.report_days` gives `reports`)."""
    days = [
        day
        for day in (reports.get((organisation_id, year)), reports.get((None, year)))
        if day is not None
    ]
    return min(days) if days else None


def _assessed(conn: Connection, code: str | None = None) -> list[tuple[DueCase, Retention]]:
    years = {org.id: org.rules.retention_years for org in organisations_repo.load_all(conn)}
    reports = retention_repo.report_days(conn)
    found = []
    for case in retention_repo.closed_cases(conn, code):
        retention = retention_for(
            case.closed_on,
            retention_years=years.get(case.organisation_id, 2),
            report_published_on=report_published_on(
                reports, case.organisation_id, case.closed_on.year
            ),
            postponed_until=case.postponed_until,
        )
        due = DueCase(
            code=case.code,
            organisation=case.organisation,
            closed_on=case.closed_on,
            due_on=retention.due_on,
            reason=retention.reason,
            postponed_until=case.postponed_until,
            postponement_reason=case.postponement_reason,
        )
        found.append((due, retention))
    return found


def due_cases(vault: Vault, *, today: dt.date) -> list[DueCase]:
    """The closed cases due for destruction on `today`, the longest due first."""
    with vault.reading() as conn:
        assessed = _assessed(conn)
    due = [case for case, retention in assessed if is_due(retention, today)]
    return sorted(due, key=lambda case: (case.due_on, case.closed_on, case.code))


def postponed_cases(vault: Vault, *, today: dt.date) -> list[DueCase]:
    """The closed cases whose postponement keeps them past `today`, soonest due first."""
    with vault.reading() as conn:
        assessed = _assessed(conn)
    kept = [
        case for case, retention in assessed if retention.postponed and not is_due(retention, today)
    ]
    return sorted(kept, key=lambda case: (case.due_on, case.code))


def _closed_case(conn: Connection, code: str) -> tuple[DueCase, Retention]:
    found = _assessed(conn, code)
    if found:
        return found[0]
    if cases_repo.case_id_for_code(conn, code) is None:
        raise NotFound(_("There is no case {code}.").format(code=code))
    raise InvalidInput(
        _("Case {code} is not closed; only a closed case can be destroyed or postponed.").format(
            code=code
        )
    )


def postpone(vault: Vault, code: str, *, until: dt.date, reason: str, now: dt.datetime) -> None:
    """Postpones a closed case's destruction to `until` for `reason` (audited
    `retention.postponed` with the code and the day, never the reason).

    Raises:
        NotFound: no case has that code.
        InvalidInput: the case is not closed, `until` is not after today, or the reason is
            empty or too long.
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give a reason for postponing the destruction."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            _("The reason is too long (at most {limit} characters).").format(limit=MAX_REASON)
        )
    if until <= now.date():
        raise InvalidInput(_("Postpone the destruction to a day after today."))
    with vault.transaction() as conn:
        _closed_case(conn, code)
        case_id = cases_repo.case_id_for_code(conn, code)
        assert case_id is not None
        retention_repo.add_postponement(conn, case_id, until=until, reason=reason, decided_at=now)
        vault.append_audit(
            conn,
            at=now.replace(microsecond=0),
            action="retention.postponed",
            case_code=code,
            detail=until.isoformat(),
        )


def _check_destroyable(conn: Connection, code: str, today: dt.date, early: bool) -> None:
    case, retention = _closed_case(conn, code)
    if not early and not is_due(retention, today):
        raise InvalidInput(
            _("Case {code} is not due for destruction until {day}.").format(
                code=code, day=case.due_on.isoformat()
            )
        )


def destroy(
    vault: Vault, codes: Sequence[str], *, now: dt.datetime, early: bool = False
) -> DestroyDone:
    """Destroys the cases (see the module docstring), then leaves no trace in the file.

    Every code is checked before any case is destroyed; each case is then destroyed in its
    own transaction (its statistical record, the deletion and its audit entry together).

    Raises:
        NotFound: a code names no case (nothing is destroyed).
        InvalidInput: a case is not due on `now`'s day (and `early` is False), or not
            closed (nothing is destroyed).
    """
    wanted = list(dict.fromkeys(codes))
    today = now.date()
    with vault.reading() as conn:
        for code in wanted:
            _check_destroyable(conn, code, today, early)
    destroyed: list[str] = []
    kept = 0
    try:
        for code in wanted:
            with vault.transaction() as conn:
                _check_destroyable(conn, code, today, early)
                case_id = cases_repo.case_id_for_code(conn, code)
                assert case_id is not None
                kept += retention_repo.destroy_case(conn, case_id)
                vault.append_audit(
                    conn, at=now.replace(microsecond=0), action="case.destroyed", case_code=code
                )
            destroyed.append(code)
    finally:
        if destroyed:
            vault.compact_after_destruction()
    return DestroyDone(tuple(destroyed), kept)


def known_backups(vault: Vault) -> list[tuple[Path, dt.datetime]]:
    """The backups of this vault made on this computer, oldest first: each file's path and
    when it was made (aware, UTC). A listed file may since have been moved or deleted."""
    found = []
    for path, made_at in freshness.known_backups(vault.path, vault.vault_id):
        try:
            moment = dt.datetime.strptime(made_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        found.append((Path(path), moment))
    return sorted(found, key=lambda item: item[1])
