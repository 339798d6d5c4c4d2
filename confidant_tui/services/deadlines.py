"""Provides deadlines as use cases: what is due (the today view, `confidant due`, the case
list's overdue mark), marking a deadline done or snoozing it, and extending a report's
feedback term once.

The rules live in `domain.deadlines`; this module gathers their facts in one read snapshot
(the live cases, their routes, open protocol procedures, retention days, the organisations'
rules and published reports, the last backup on this computer) and stores the adviser's
decisions with an audit entry in the same transaction. An audit entry names the case by its
code and the deadline by its kind and day, never the reason (the adviser's own words stay
in the vault's mark).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from confidant_tui.domain.deadlines import (
    FEEDBACK_MONTHS,
    CaseTerms,
    Deadline,
    DeadlineFacts,
    DueItem,
    Mark,
    ProcedureTerms,
    ReportTerms,
    RouteTerms,
    assess,
    deadlines,
    describe,
    listed,
    sort_items,
    state_on,
)
from confidant_tui.domain.retention import retention_day
from confidant_tui.domain.route_rules import MELDING_ROUTES
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.i18n import _
from confidant_tui.services import backups
from confidant_tui.services.retention import report_published_on
from confidant_tui.settings import Settings
from confidant_tui.vault import deadlines_repo, freshness, organisations_repo, retention_repo
from confidant_tui.vault.store import Connection, Vault

__all__ = [
    "DEFAULT_DAYS",
    "MAX_REASON",
    "DueList",
    "case_items",
    "describe",
    "due_list",
    "extend_feedback",
    "extended_routes",
    "forget_cached",
    "mark_done",
    "overdue_case_ids",
    "prepare",
    "snooze",
]

DEFAULT_DAYS = 30
"""How far ahead a list looks by default (`confidant due` and the today view)."""
MAX_REASON = 500
"""The longest reason for a mark or an extension (characters)."""


@dataclass(frozen=True)
class DueList:
    """What is due, as the today view and `confidant due` show it.

    Attributes:
        today: the day it was worked out for.
        until: the last day it looks ahead to.
        items: the listed items, soonest first (overdue ones first by nature).
        snoozed: how many snoozed items were left out (their snooze ends after `until`).
    """

    today: dt.date
    until: dt.date
    items: tuple[DueItem, ...]
    snoozed: int = 0

    def of_state(self, *states: str) -> list[DueItem]:
        """The items in one of `states`."""
        return [item for item in self.items if item.state in states]


@dataclass(frozen=True)
class _VaultFacts:
    """What the deadlines read from the vault itself (not the settings or this computer's
    backup record), with the commit counter it was read at."""

    counter: int | None
    cases: tuple[CaseTerms, ...]
    closed: tuple[ClosedGroup, ...]
    routes: tuple[RouteTerms, ...]
    procedures: tuple[ProcedureTerms, ...]
    complaint_years: dict[int, int]
    reports: tuple[ReportTerms, ...]
    marks: tuple[Mark, ...]


_cache: dict[tuple[str, str], _VaultFacts] = {}
_assessing = threading.Lock()
"""Held while an assessment is looked up or worked out, so that callers at the same moment
(at unlock, the case list's overdue marks and the today view) work it out once."""
_assessments: dict[tuple[object, ...], tuple[_VaultFacts, tuple[DueItem, ...]]] = {}
"""The latest assessments (`_assessed`), each with the facts it was worked out from."""
_KEPT_ASSESSMENTS = 4
"""The latest facts read per vault (path, vault id), in memory only: reused while the
vault's commit counter is unchanged, so the case list can ask for its overdue marks after
every page without reading every case again."""


ClosedTerm = tuple[int, str, dt.date, dt.date]
"""A closed case as retention sees it: (case id, code, closing day, retention day)."""


@dataclass(frozen=True)
class ClosedGroup:
    """Closed cases that share their closing day and retention day (a vault of 50,000
    cases has a few thousand such groups; one object per case would cost tens of
    milliseconds at every read).

    Attributes:
        closed_on: the closing day.
        due: the retention day (`domain.retention.retention_day`).
        case_ids: the cases' ids.
        codes: their codes, in the same order.
    """

    closed_on: dt.date
    due: dt.date
    case_ids: tuple[int, ...]
    codes: tuple[str, ...]

    def terms(self) -> list[ClosedTerm]:
        """One term per case."""
        return [
            (case_id, code, self.closed_on, self.due)
            for case_id, code in zip(self.case_ids, self.codes, strict=True)
        ]


def _closed_groups(
    conn: Connection, years: dict[int, int], published: dict[tuple[int | None, int], dt.date]
) -> list[ClosedGroup]:
    """The closed cases with their retention day, in groups: the day is worked out once per
    closing day and organisation, and a case with a postponement (those are few) gets a
    group of its own."""
    postponed = deadlines_repo.postponements(conn)
    found = []
    for closed, org_id, case_ids, codes in deadlines_repo.closed_days(conn):
        closed_on = dt.date.fromisoformat(closed)
        kept_years = years.get(org_id, 2)
        published_on = report_published_on(published, org_id, closed_on.year)
        due = retention_day(closed_on, retention_years=kept_years, report_published_on=published_on)
        if postponed.keys().isdisjoint(case_ids):
            found.append(ClosedGroup(closed_on, due, tuple(case_ids), tuple(codes)))
            continue
        for case_id, code in zip(case_ids, codes, strict=True):
            until = postponed.get(case_id)
            own = due
            if until is not None:
                own = retention_day(
                    closed_on,
                    retention_years=kept_years,
                    report_published_on=published_on,
                    postponed_until=dt.date.fromisoformat(until),
                )
            found.append(ClosedGroup(closed_on, own, (case_id,), (code,)))
    return found


def _closed_case_terms(closed: tuple[ClosedGroup, ...]) -> tuple[CaseTerms, ...]:
    return tuple(
        CaseTerms(
            case_id=case_id,
            code=code,
            status="closed",
            opened=closed_on,
            organisation_id=0,
            retention_due=due,
            closed_on=closed_on,
        )
        for group in closed
        for case_id, code, closed_on, due in group.terms()
    )


def _read_vault_facts(conn: Connection, counter: int | None) -> _VaultFacts:
    organisations = organisations_repo.load_all(conn)
    cases = deadlines_repo.live_cases(conn)
    published = retention_repo.report_days(conn)
    closed = _closed_groups(conn, {o.id: o.rules.retention_years for o in organisations}, published)
    procedures = deadlines_repo.open_procedures(conn)
    with_procedures = {p.case_id for p in procedures} - {case.case_id for case in cases}
    missing: dict[int, str] = {}
    if with_procedures:  # procedures of closed cases (or of cases in neither list)
        for group in closed:
            if not with_procedures.isdisjoint(group.case_ids):
                missing.update((t[0], t[1]) for t in group.terms() if t[0] in with_procedures)
        missing.update(deadlines_repo.codes_of(conn, with_procedures - missing.keys()))
    cases += [
        CaseTerms(
            case_id=case_id, code=code, status="closed", opened=dt.date.min, organisation_id=0
        )
        for case_id, code in missing.items()
    ]
    vault_wide = {year for (org, year) in published if org is None}
    first_years = deadlines_repo.first_years(conn)
    reports = []
    for organisation in organisations:
        if not organisation.active:
            continue
        first = first_years.get(organisation.id)
        appointed = organisation.rules.appointed_on
        if appointed is not None:
            first = min(first or appointed.year, appointed.year)
        if first is None:
            continue
        reports.append(
            ReportTerms(
                organisation_id=organisation.id,
                name=organisation.name,
                first_year=first,
                published=frozenset(
                    {year for (org, year) in published if org == organisation.id} | vault_wide
                ),
                report_due=organisation.rules.report_due,
            )
        )
    return _VaultFacts(
        counter=counter,
        cases=tuple(cases),
        closed=tuple(closed),
        routes=tuple(deadlines_repo.route_terms(conn)),
        procedures=tuple(procedures),
        complaint_years={o.id: o.rules.complaint_period_years for o in organisations},
        reports=tuple(reports),
        marks=tuple(deadlines_repo.marks(conn)),
    )


def _vault_facts(vault: Vault) -> _VaultFacts:
    """The facts at the vault's current commit, read once per commit: the cache is looked
    at inside the read snapshot, which one caller holds at a time, so a caller that comes
    while another reads them waits and takes its result."""
    key = (str(vault.path), vault.vault_id)
    with vault.reading() as conn:
        counter = freshness.database_counter(conn)
        cached = _cache.get(key)
        if cached is not None and counter is not None and cached.counter == counter:
            return cached
        found = _read_vault_facts(conn, counter)
        _cache.clear()  # one vault at a time: never keep another vault's facts in memory
        _cache[key] = found
    return found


def forget_cached() -> None:
    """Drops the facts and assessments kept in memory (the app calls it when it locks)."""
    with _assessing:
        _cache.clear()
        _assessments.clear()


def _assessed(
    vault: Vault,
    settings: Settings,
    today: dt.date,
    until: dt.date,
    *,
    closed: bool = True,
) -> tuple[list[DueItem], _VaultFacts]:
    """Every deadline with its state; `closed=False` leaves out the closed cases' retention
    days (the callers that count those themselves).

    The result is kept (in memory) for the facts it was worked out from: the today view,
    the case list's overdue marks and every case opened ask the same question, and at
    50,000 cases working it out takes tens of milliseconds."""
    with _assessing:
        known = _vault_facts(vault)
        last = backups.last_backup(vault)
        last_day = last.astimezone().date() if last is not None else None
        key = (
            known.counter,
            today,
            until,
            closed,
            last_day,
            settings.backup_interval_days,
            settings.aftercare_weeks,
        )
        kept = _assessments.get(key)
        if kept is not None and known.counter is not None and kept[0] is known:
            return list(kept[1]), known
        facts = DeadlineFacts(
            cases=known.cases + _closed_case_terms(known.closed) if closed else known.cases,
            routes=known.routes,
            procedures=known.procedures,
            complaint_years=known.complaint_years,
            reports=known.reports,
            last_backup=last_day,
            backup_interval_days=settings.backup_interval_days,
            aftercare_weeks=settings.aftercare_weeks,
        )
        found = assess(deadlines(facts, today=today, until=until), known.marks, today=today)
        if any(kept[0] is not known for kept in _assessments.values()):
            _assessments.clear()
        while len(_assessments) >= _KEPT_ASSESSMENTS:
            del _assessments[next(iter(_assessments))]
        _assessments[key] = (known, tuple(found))
    return found, known


def _retention_items(
    closed: tuple[ClosedGroup, ...], today: dt.date, until: dt.date, group: int
) -> list[DueItem]:
    """The closed cases' retention days up to `until`, one item per case, except that a
    state with more than `group` of them becomes one item counting them (a vault never
    cleaned up would otherwise list thousands). Retention is handled on the destruction
    screen (postpone or destroy), never marked done or snoozed, so no mark applies."""
    by_state: dict[str, list[ClosedGroup]] = {}
    for days in closed:
        if days.due > until and days.due >= today:
            continue
        by_state.setdefault(state_on(days.due, today), []).append(days)
    found: list[DueItem] = []
    for state, groups in by_state.items():
        count = sum(len(days.case_ids) for days in groups)
        if count > group:
            deadline = Deadline(
                "retention",
                f"retention:{state}",
                min(days.due for days in groups),
                detail=str(count),
                target="retention",
            )
            found.append(DueItem(deadline, state))
            continue
        for days in groups:
            for case_id, code, closed_on, due in days.terms():
                deadline = Deadline(
                    "retention",
                    f"case:{case_id}",
                    due,
                    case_id,
                    code,
                    counts_from=closed_on,
                    target="retention",
                )
                found.append(DueItem(deadline, state))
    return found


def due_list(
    vault: Vault,
    *,
    today: dt.date,
    settings: Settings,
    until: dt.date | None = None,
    include_done: bool = False,
    group_retention: int | None = None,
) -> DueList:
    """Everything overdue, falling due by `until` (default: `DEFAULT_DAYS` ahead) or
    snoozed until a day by then; done items only with `include_done`.

    Args:
        group_retention: when given, the closed cases due for destruction in one state
            become one counting item once there are more than this many (the today view);
            None lists every case (`confidant due`).

    Raises:
        InvalidInput: `until` lies before today.
    """
    until = until or today + dt.timedelta(days=DEFAULT_DAYS)
    if until < today:
        raise InvalidInput(_("The end day lies before today."))
    items, known = _assessed(vault, settings, today, until, closed=group_retention is None)
    shown = listed(items, today=today, until=until, include_done=include_done)
    if group_retention is not None:
        shown = sort_items(shown + _retention_items(known.closed, today, until, group_retention))
    hidden = sum(1 for item in items if item.state == "snoozed") - sum(
        1 for item in shown if item.state == "snoozed"
    )
    return DueList(today, until, tuple(shown), hidden)


def _live_assessment(
    vault: Vault, settings: Settings, today: dt.date
) -> tuple[list[DueItem], _VaultFacts]:
    """The assessment the today view, the case list's overdue marks and the case file share:
    up to `DEFAULT_DAYS` ahead, closed cases counted apart (`until` only decides which
    yearly reports are listed, and those name no case, so the marks may use it too)."""
    return _assessed(vault, settings, today, today + dt.timedelta(days=DEFAULT_DAYS), closed=False)


def prepare(vault: Vault, *, today: dt.date, settings: Settings) -> None:
    """Reads the facts and works out the assessment that the today view, the case list's
    overdue marks and the case file share, so that they find it ready. Unlocking calls it
    in its worker as soon as the vault is open, while the screens are being built: at
    50,000 cases the first read takes a good part of unlocking."""
    _live_assessment(vault, settings, today)


def overdue_case_ids(vault: Vault, *, today: dt.date, settings: Settings) -> set[int]:
    """The cases with at least one overdue item (for the case list's mark); closed cases
    count by their retention day alone."""
    items, known = _live_assessment(vault, settings, today)
    found = {
        item.deadline.case_id
        for item in items
        if item.state == "overdue" and item.deadline.case_id is not None
    }
    for days in known.closed:
        if days.due < today:
            found.update(days.case_ids)
    return found


def case_items(vault: Vault, case_id: int, *, today: dt.date, settings: Settings) -> list[DueItem]:
    """The open items of one case that a list up to `DEFAULT_DAYS` ahead shows (for the
    case file), soonest first. Reads the closed cases' retention days without building an
    item for each (opening a case must not cost a pass over every closed case)."""
    until = today + dt.timedelta(days=DEFAULT_DAYS)
    items, known = _live_assessment(vault, settings, today)
    own = [
        ClosedGroup(
            days.closed_on, days.due, (case_id,), (days.codes[days.case_ids.index(case_id)],)
        )
        for days in known.closed
        if case_id in days.case_ids
    ]
    shown = listed(
        [item for item in items if item.deadline.case_id == case_id],
        today=today,
        until=until,
    )
    shown += _retention_items(tuple(own), today, until, group=len(own))
    return [item for item in sort_items(shown) if item.is_open]


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give a reason, in a few words."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            _("The reason is too long (at most {limit} characters).").format(limit=MAX_REASON)
        )
    return reason


def _current(vault: Vault, deadline: Deadline, settings: Settings, today: dt.date) -> Deadline:
    """The deadline as the vault has it now (refused when it no longer exists: its case was
    destroyed, its date changed or its term was met meanwhile)."""
    until = max(deadline.due, today)
    items, _known = _assessed(vault, settings, today, until)
    for item in items:
        if item.deadline.key == deadline.key:
            return item.deadline
    raise NotFound(_("This deadline no longer exists; the list has been refreshed."))


def _mark(
    vault: Vault,
    deadline: Deadline,
    *,
    act: str,
    reason: str,
    now: dt.datetime,
    settings: Settings,
    until: dt.date | None = None,
) -> None:
    reason = _reason(reason)
    current = _current(vault, deadline, settings, now.date())
    stamp = now.replace(second=0, microsecond=0)
    mark = Mark(current.kind, current.subject, current.due, act, reason, stamp, until)
    detail = f"{current.kind} {current.due.isoformat()}"
    if until is not None:
        detail += f" -> {until.isoformat()}"
    with vault.transaction() as conn:
        deadlines_repo.add_mark(conn, mark, current.case_id)
        vault.append_audit(
            conn,
            at=now.replace(microsecond=0),
            action="deadline.done" if act == "done" else "deadline.snoozed",
            case_code=current.code,
            detail=detail,
        )


def mark_done(
    vault: Vault, deadline: Deadline, *, reason: str, now: dt.datetime, settings: Settings
) -> None:
    """Marks a deadline done for `reason` (audited `deadline.done`).

    Raises:
        InvalidInput: the reason is empty or too long.
        NotFound: the deadline no longer exists.
    """
    _mark(vault, deadline, act="done", reason=reason, now=now, settings=settings)


def snooze(
    vault: Vault,
    deadline: Deadline,
    *,
    until: dt.date,
    reason: str,
    now: dt.datetime,
    settings: Settings,
) -> None:
    """Snoozes a deadline until `until` for `reason`: it is back on that day (audited
    `deadline.snoozed`).

    Raises:
        InvalidInput: `until` is not after today, or the reason is empty or too long.
        NotFound: the deadline no longer exists.
    """
    if until <= now.date():
        raise InvalidInput(_("Snooze to a day after today."))
    _mark(vault, deadline, act="snoozed", reason=reason, now=now, settings=settings, until=until)


def extend_feedback(vault: Vault, route_id: int, *, reason: str, now: dt.datetime) -> None:
    """Records the one extension by `FEEDBACK_MONTHS` months of a report's feedback term
    (audited `route.extended`).

    Raises:
        NotFound: there is no such route.
        InvalidInput: the route is no report, its term was extended already, or the reason
            is empty or too long.
    """
    reason = _reason(reason)
    with vault.transaction() as conn:
        found = deadlines_repo.case_id_of_route(conn, route_id)
        if found is None:
            raise NotFound(_("There is no such route."))
        _case_id, code, route = found
        if route not in MELDING_ROUTES:
            raise InvalidInput(
                _(
                    "Only the feedback term of an integrity report or a report to the "
                    "whistleblower authority can be extended."
                )
            )
        if deadlines_repo.is_extended(conn, route_id):
            raise InvalidInput(_("The feedback term of this report was extended already."))
        deadlines_repo.add_extension(conn, route_id, reason=reason, decided_at=now)
        vault.append_audit(
            conn,
            at=now.replace(microsecond=0),
            action="route.extended",
            case_code=code,
            detail=f"{route} +{FEEDBACK_MONTHS}",
        )


def extended_routes(vault: Vault, route_ids: set[int]) -> set[int]:
    """Which of `route_ids` had their report's feedback term extended (for the case file's
    timeline, which states a report's terms)."""
    if not route_ids:
        return set()
    with vault.reading() as conn:
        return {route_id for route_id in route_ids if deadlines_repo.is_extended(conn, route_id)}
