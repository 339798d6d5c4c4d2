"""Provides the deadline engine: every term an adviser promised or the law sets, derived from
the vault's facts, and its state on a given day.

Nothing here is stored: deadlines are worked out from the cases, routes, protocol procedures,
retention and the organisations' rules each time, so they can never disagree with the
dossier. What is stored is the adviser's decision about one deadline (a `Mark`: done, or
snoozed to a day, with a reason). A deadline is named by its kind, its subject and its due
day, so a mark stops applying once the deadline moves.

The rules (see `docs/deadlines.md` for the adviser's version):

- `follow_up`: the follow-up date agreed in a live case's latest conversation (a later
  conversation replaces it, as in the case list's follow-up column).
- `aftercare`: a check-in `aftercare_weeks` after a route ended, in a live case; met by a
  conversation held on or after that day.
- `complaint_period`: for an open case without a filed complaint, the last day a complaint
  can be filed (the organisation's period after the last incident); it shows from three
  months ahead (`route_rules.WARN_MONTHS`).
- `report_acknowledgement` / `report_feedback`: for an integrity report or a report to the
  whistleblower authority not ended yet, the acknowledgement within 7 days of the report and
  feedback within 3 months of the acknowledgement, or, when none came, of the end of those
  7 days (EU directive 2019/1937 art. 9; Wet bescherming klokkenluiders); one recorded
  extension adds 3 months.
- `retention`: a closed case's destruction day (`domain.retention`).
- `yearly_report`: the report on a year, due on the organisation's day the year after, until
  it is published for that organisation or for the whole vault.
- `backup`: the day the backup interval after the last verified backup ends (today when
  there never was one).
- `confidentiality_not_explained`: a live case where the limits of confidentiality were not
  recorded as explained (due at opening: it belongs to the intake).
- `protocol_idle`: an open protocol procedure without a step for 14 days.

A live case is one that is not closed: closing a case ends its follow-ups; a closed case
keeps only its retention day and any open protocol procedure. Pure: today is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from confidant_tui.domain.organisation import report_due_day
from confidant_tui.domain.route_rules import (
    MELDING_ROUTES,
    WARN_MONTHS,
    add_years,
    months_after,
    months_before,
)
from confidant_tui.domain.written_dates import long_date
from confidant_tui.i18n import N_, _, ngettext

__all__ = [
    "ACKNOWLEDGEMENT_DAYS",
    "FEEDBACK_MONTHS",
    "KINDS",
    "PROTOCOL_IDLE_DAYS",
    "STATES",
    "CaseTerms",
    "Deadline",
    "DeadlineFacts",
    "DueItem",
    "Mark",
    "ProcedureTerms",
    "ReportTerms",
    "RouteTerms",
    "assess",
    "deadlines",
    "describe",
    "feedback_due",
    "latest_marks",
    "listed",
    "report_made",
    "sort_items",
    "state_of",
    "state_on",
    "timing",
]

KINDS: dict[str, str] = {
    "follow_up": N_("Follow-up"),
    "aftercare": N_("Aftercare check-in"),
    "complaint_period": N_("Complaint period ends"),
    "report_acknowledgement": N_("Acknowledgement of the report"),
    "report_feedback": N_("Feedback on the report"),
    "retention": N_("Case to destroy"),
    "yearly_report": N_("Yearly report"),
    "backup": N_("Backup"),
    "confidentiality_not_explained": N_("Confidentiality not explained"),
    "protocol_idle": N_("Protocol procedure idle"),
}
"""Every kind (a stable key, also in `confidant due --json`) with its short label."""

STATES = ("overdue", "due", "upcoming", "snoozed", "done")
"""The states of a deadline on a day (stable keys, also in `confidant due --json`)."""

ACKNOWLEDGEMENT_DAYS = 7
"""Days within which a report must be acknowledged."""
FEEDBACK_MONTHS = 3
"""Months within which feedback on a report is due, and the length of one extension."""
PROTOCOL_IDLE_DAYS = 14
"""Days without a step after which an open protocol procedure is flagged."""
WEEK_DAYS = 7
"""Deadlines from today up to this many days ahead are `due` (this week); later, `upcoming`."""


@dataclass(frozen=True)
class CaseTerms:
    """What a case contributes to deadlines (no content beyond dates and flags).

    Attributes:
        case_id: its row id.
        code: its code.
        status: `open`, `aftercare` or `closed`.
        opened: its opening day.
        organisation_id: its organisation.
        follow_up: the latest conversation's follow-up date.
        follow_up_conversation: that conversation's id.
        last_conversation: the day of the latest conversation.
        confidentiality_explained: whether explaining the limits was recorded.
        complaint_start: the day the complaint period counts from.
        complaint_filed: whether a complaint route with a filing day exists.
        retention_due: the destruction day of a closed case.
        closed_on: the day a closed case was closed.
    """

    case_id: int
    code: str
    status: str
    opened: dt.date
    organisation_id: int
    follow_up: dt.date | None = None
    follow_up_conversation: int | None = None
    last_conversation: dt.date | None = None
    confidentiality_explained: bool = True
    complaint_start: dt.date | None = None
    complaint_filed: bool = False
    retention_due: dt.date | None = None
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class RouteTerms:
    """A route whose milestones set terms.

    Attributes:
        route_id: its row id.
        case_id: its case.
        route: the route key.
        date: its start day; `filed` the day the report was made, when recorded.
        extended: whether the one extension of the feedback term was recorded.
    """

    route_id: int
    case_id: int
    route: str
    date: dt.date
    filed: dt.date | None = None
    acknowledged: dt.date | None = None
    feedback: dt.date | None = None
    ended: dt.date | None = None
    extended: bool = False


@dataclass(frozen=True)
class ProcedureTerms:
    """An open protocol procedure and the day of its latest step (or of its opening)."""

    procedure_id: int
    case_id: int
    last_step: dt.date


@dataclass(frozen=True)
class ReportTerms:
    """An organisation's yearly report duty.

    Attributes:
        organisation_id: its row id.
        name: its name.
        first_year: the first year it has to report on (its first case or appointment).
        published: the years whose report was published for it (or for the whole vault).
        due_on: the due day of the report on a year (`OrganisationRules.report_due_on`),
            given as the month and day ("03-01").
    """

    organisation_id: int
    name: str
    first_year: int
    published: frozenset[int]
    report_due: str = "03-01"

    def due_on(self, year: int) -> dt.date:
        """The due day of the report on `year` (29 February falls on 28 February)."""
        return report_due_day(self.report_due, year)


@dataclass(frozen=True)
class DeadlineFacts:
    """Everything the engine reads, gathered by the storage layer in one read.

    Attributes:
        cases: the cases (live ones, and closed ones with their retention day).
        routes: routes of live cases with milestones still open or an end day.
        procedures: open protocol procedures.
        complaint_years: each organisation's complaint period in years.
        reports: each active organisation's yearly report duty.
        last_backup: the day of the last verified backup, None when never.
        backup_interval_days: the adviser's backup interval.
        aftercare_weeks: weeks after a route's end for the aftercare check-in.
    """

    cases: Sequence[CaseTerms] = ()
    routes: Sequence[RouteTerms] = ()
    procedures: Sequence[ProcedureTerms] = ()
    complaint_years: dict[int, int] = field(default_factory=dict)
    reports: Sequence[ReportTerms] = ()
    last_backup: dt.date | None = None
    backup_interval_days: int = 7
    aftercare_weeks: int = 6


@dataclass(frozen=True)
class Deadline:
    """One term.

    Attributes:
        kind: a key of `KINDS`.
        subject: what it is about, stable within its kind (`conversation:12`, `route:3`,
            `case:7`, `procedure:4`, `report:1:2025`, `backup`).
        due: its last day (the day it falls due).
        case_id: its case, None for the yearly report and the backup.
        code: its case's code.
        counts_from: the day the term counts from, when that helps to read it.
        shows_from: the first day it is listed before it falls due (the complaint period's
            three months' warning); None: listed by its due day alone.
        detail: a short extra (the organisation's name, the report's year, a reason).
        target: where the case opens for it (a timeline row key like `conv-12`,
            `procedure:4`, `report`, `backup`), for the screens.
    """

    kind: str
    subject: str
    due: dt.date
    case_id: int | None = None
    code: str | None = None
    counts_from: dt.date | None = None
    shows_from: dt.date | None = None
    detail: str | None = None
    target: str | None = None

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """What a mark is matched on: kind, subject and due day."""
        return (self.kind, self.subject, self.due)


@dataclass(frozen=True)
class Mark:
    """The adviser's decision about one deadline (the latest one counts).

    Attributes:
        act: `done` or `snoozed`.
        until: the day a snooze ends (the deadline is back on that day).
        reason: the adviser's own words.
        decided_at: when it was recorded.
    """

    kind: str
    subject: str
    due: dt.date
    act: str
    reason: str
    decided_at: dt.datetime
    until: dt.date | None = None
    id: int | None = None

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """The deadline it is about."""
        return (self.kind, self.subject, self.due)


@dataclass(frozen=True)
class DueItem:
    """A deadline with its state on a day and the mark that decides it, if any."""

    deadline: Deadline
    state: str
    mark: Mark | None = None

    @property
    def is_open(self) -> bool:
        """Whether it still asks for something (overdue, due or upcoming)."""
        return self.state in ("overdue", "due", "upcoming")


def deadlines(facts: DeadlineFacts, *, today: dt.date, until: dt.date) -> list[Deadline]:
    """Every deadline the facts imply, marks not applied (see the module docstring).

    Args:
        facts: what the vault holds.
        today: the adviser's today (a backup never made is due today).
        until: the last day the caller lists (the yearly reports owed up to then).
    """
    found: list[Deadline] = []
    codes = {case.case_id: case.code for case in facts.cases}
    live_cases = {case.case_id: case for case in facts.cases if case.status != "closed"}
    for case in facts.cases:
        found += _case_deadlines(case, facts)
    for route in facts.routes:
        live = live_cases.get(route.case_id)
        if live is not None:
            found += _route_deadlines(route, live, facts.aftercare_weeks)
    for procedure in facts.procedures:
        found.append(
            Deadline(
                "protocol_idle",
                f"procedure:{procedure.procedure_id}",
                procedure.last_step + dt.timedelta(days=PROTOCOL_IDLE_DAYS),
                procedure.case_id,
                codes.get(procedure.case_id),
                counts_from=procedure.last_step,
                target=f"procedure:{procedure.procedure_id}",
            )
        )
    found += _report_deadlines(facts, today, until)
    found.append(_backup_deadline(facts, today))
    return found


def _case_deadlines(case: CaseTerms, facts: DeadlineFacts) -> list[Deadline]:
    if case.status == "closed":
        if case.retention_due is None:
            return []
        return [
            Deadline(
                "retention",
                f"case:{case.case_id}",
                case.retention_due,
                case.case_id,
                case.code,
                counts_from=case.closed_on,
                target="retention",
            )
        ]
    found: list[Deadline] = []
    if case.follow_up is not None:
        found.append(
            Deadline(
                "follow_up",
                f"conversation:{case.follow_up_conversation}",
                case.follow_up,
                case.case_id,
                case.code,
                counts_from=case.last_conversation,
                target=f"conv-{case.follow_up_conversation}",
            )
        )
    if not case.confidentiality_explained:
        found.append(
            Deadline(
                "confidentiality_not_explained",
                f"case:{case.case_id}",
                case.opened,
                case.case_id,
                case.code,
                target="opened",
            )
        )
    years = facts.complaint_years.get(case.organisation_id)
    if case.status == "open" and not case.complaint_filed and years is not None:
        start = case.complaint_start or case.opened
        last_day = add_years(start, years)
        found.append(
            Deadline(
                "complaint_period",
                f"case:{case.case_id}",
                last_day,
                case.case_id,
                case.code,
                counts_from=start,
                shows_from=months_before(last_day, WARN_MONTHS),
                detail=ngettext("{years} year", "{years} years", years).format(years=years),
                target="opened",
            )
        )
    return found


def report_made(route: RouteTerms) -> dt.date:
    """The day a report (melding) was made: its filing day, else the route's start."""
    return route.filed or route.date


def feedback_due(route: RouteTerms) -> dt.date:
    """The last day for feedback on a report: 3 months after the acknowledgement, or after
    the end of the 7 days when none came; 3 months later after an extension."""
    start = route.acknowledged or report_made(route) + dt.timedelta(days=ACKNOWLEDGEMENT_DAYS)
    months = FEEDBACK_MONTHS * (2 if route.extended else 1)
    return months_after(start, months)


def _route_deadlines(route: RouteTerms, case: CaseTerms, aftercare_weeks: int) -> list[Deadline]:
    target = f"route-{route.route_id}"
    subject = f"route:{route.route_id}"
    if route.ended is not None:
        check_in = route.ended + dt.timedelta(weeks=aftercare_weeks)
        if case.last_conversation is not None and case.last_conversation >= check_in:
            return []
        return [
            Deadline(
                "aftercare",
                subject,
                check_in,
                case.case_id,
                case.code,
                counts_from=route.ended,
                target=target,
            )
        ]
    if route.route not in MELDING_ROUTES:
        return []
    found: list[Deadline] = []
    made = report_made(route)
    if route.acknowledged is None:
        found.append(
            Deadline(
                "report_acknowledgement",
                subject,
                made + dt.timedelta(days=ACKNOWLEDGEMENT_DAYS),
                case.case_id,
                case.code,
                counts_from=made,
                target=target,
            )
        )
    if route.feedback is None:
        found.append(
            Deadline(
                "report_feedback",
                subject,
                feedback_due(route),
                case.case_id,
                case.code,
                counts_from=route.acknowledged or made,
                detail=_("extended once") if route.extended else None,
                target=target,
            )
        )
    return found


REPORT_YEARS_BACK = 1
"""An unpublished yearly report is listed for at most this many years after its year."""


def _report_deadlines(facts: DeadlineFacts, today: dt.date, until: dt.date) -> list[Deadline]:
    """The yearly reports owed: each year from the organisation's first year on, from
    `REPORT_YEARS_BACK` years before today's year on (a report of this year or later only
    when it falls due by `until`), unless published."""
    found: list[Deadline] = []
    for report in facts.reports:
        first = max(report.first_year, today.year - REPORT_YEARS_BACK)
        for year in range(first, until.year):
            if year in report.published or (year >= today.year and report.due_on(year) > until):
                continue
            found.append(
                Deadline(
                    "yearly_report",
                    f"report:{report.organisation_id}:{year}",
                    report.due_on(year),
                    detail=f"{year} · {report.name}",
                    target="report",
                )
            )
    return found


def _backup_deadline(facts: DeadlineFacts, today: dt.date) -> Deadline:
    if facts.last_backup is None:
        return Deadline("backup", "backup", today, target="backup")
    return Deadline(
        "backup",
        "backup",
        facts.last_backup + dt.timedelta(days=facts.backup_interval_days),
        counts_from=facts.last_backup,
        target="backup",
    )


def latest_marks(marks: Iterable[Mark]) -> dict[tuple[str, str, dt.date], Mark]:
    """The mark that counts for each deadline: the latest decided (the highest id on a tie)."""
    latest: dict[tuple[str, str, dt.date], Mark] = {}
    for mark in sorted(marks, key=lambda m: (m.decided_at, m.id or 0)):
        latest[mark.key] = mark
    return latest


def state_of(deadline: Deadline, mark: Mark | None, today: dt.date) -> str:
    """The deadline's state on `today`: `done` and `snoozed` (until the snooze's day) by the
    mark; otherwise `overdue` after its due day, `due` from today up to a week ahead,
    `upcoming` later."""
    if mark is not None:
        if mark.act == "done":
            return "done"
        if mark.until is not None and mark.until > today:
            return "snoozed"
    return state_on(deadline.due, today)


def state_on(due: dt.date, today: dt.date) -> str:
    """The state of an unmarked deadline falling due on `due`: `overdue` after it, `due`
    from today up to a week ahead, `upcoming` later."""
    if due < today:
        return "overdue"
    if due < today + dt.timedelta(days=WEEK_DAYS):
        return "due"
    return "upcoming"


def assess(found: Iterable[Deadline], marks: Iterable[Mark], *, today: dt.date) -> list[DueItem]:
    """Every deadline with its state on `today`, soonest first (by due day, then kind and
    case code)."""
    latest = latest_marks(marks)
    items = [
        DueItem(
            deadline, state_of(deadline, latest.get(deadline.key), today), latest.get(deadline.key)
        )
        for deadline in found
    ]
    return sort_items(items)


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Soonest first: by due day, then kind (in `KINDS` order), case code and subject."""
    return sorted(items, key=_order)


_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}


def _order(item: DueItem) -> tuple[dt.date, int, str, str]:
    deadline = item.deadline
    return (deadline.due, _KIND_ORDER[deadline.kind], deadline.code or "", deadline.subject)


def listed(
    items: Iterable[DueItem],
    *,
    today: dt.date,
    until: dt.date,
    include_done: bool = False,
) -> list[DueItem]:
    """The items a list up to `until` shows: every overdue one; the ones falling due by
    `until` (or whose warning started by today); snoozed ones whose snooze ends by `until`;
    done ones only with `include_done` (those falling due by `until`)."""
    shown = []
    for item in items:
        deadline = item.deadline
        in_window = deadline.due <= until or (
            deadline.shows_from is not None and deadline.shows_from <= today
        )
        if item.state == "overdue" or (item.state in ("due", "upcoming") and in_window):
            shown.append(item)
        elif item.state == "snoozed":
            assert item.mark is not None and item.mark.until is not None
            if item.mark.until <= until:
                shown.append(item)
        elif item.state == "done" and include_done and deadline.due <= until:
            shown.append(item)
    return shown


def describe(deadline: Deadline) -> str:
    """What the deadline asks, in the interface's language (one line, no case code)."""
    kind = deadline.kind
    if kind == "follow_up":
        return _("Follow up with the reporter")
    if kind == "aftercare":
        return _("Aftercare: check in with the reporter (route ended {day})").format(
            day=long_date(deadline.counts_from) if deadline.counts_from else "?"
        )
    if kind == "complaint_period":
        return _("Complaint period ({years}) ends: last day to file a complaint").format(
            years=deadline.detail or ""
        )
    if kind == "report_acknowledgement":
        return _("Acknowledgement of the report due (report made {day})").format(
            day=long_date(deadline.counts_from) if deadline.counts_from else "?"
        )
    if kind == "report_feedback":
        text = _("Feedback on the report due (3 months)")
        return f"{text}; {deadline.detail}" if deadline.detail else text
    if kind == "retention":
        if deadline.case_id is None and deadline.detail:
            count = int(deadline.detail)
            return ngettext(
                "{count} closed case due for destruction (see the destruction screen)",
                "{count} closed cases due for destruction (see the destruction screen)",
                count,
            ).format(count=count)
        if deadline.counts_from is None:
            return _(KINDS[kind])
        return _("Due for destruction (closed {day})").format(day=long_date(deadline.counts_from))
    if kind == "yearly_report":
        return _("Yearly report {detail}").format(detail=deadline.detail or "")
    if kind == "backup":
        if deadline.counts_from is None:
            return _("Make a backup: none was made on this computer")
        return _("Make a backup (last one {day})").format(day=long_date(deadline.counts_from))
    if kind == "confidentiality_not_explained":
        return _("Explain the limits of confidentiality (not recorded)")
    if kind == "protocol_idle":
        return ngettext(
            "Protocol procedure without a step for {days} day",
            "Protocol procedure without a step for {days} days",
            PROTOCOL_IDLE_DAYS,
        ).format(days=PROTOCOL_IDLE_DAYS)
    return _(KINDS.get(kind, kind))


def timing(item: DueItem, today: dt.date) -> str:
    """When, in words: "overdue since 25 November 2026", "today", "until 1 March 2027",
    "snoozed until ...", "done"."""
    deadline = item.deadline
    if item.state == "done":
        return _("done")
    if item.state == "snoozed" and item.mark is not None and item.mark.until is not None:
        return _("snoozed until {day}").format(day=long_date(item.mark.until))
    if deadline.due < today:
        days = (today - deadline.due).days
        return ngettext(
            "{days} day overdue (since {day})", "{days} days overdue (since {day})", days
        ).format(days=days, day=long_date(deadline.due))
    if deadline.due == today:
        return _("today")
    if deadline.due == today + dt.timedelta(days=1):
        return _("tomorrow")
    return _("by {day}").format(day=long_date(deadline.due))
