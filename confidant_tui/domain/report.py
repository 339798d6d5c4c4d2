"""Provides the true counts of the yearly report (`ReportFigures`), counted from `StatRecord`s.

These are exact, unsuppressed figures: they never leave the vault as they are.
`domain.suppression` turns them into what may be published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import get_args

from confidant_tui.domain.report_json import BreakdownField, CountField
from confidant_tui.domain.statistics import StatRecord

CASE_SINGLE = ("by_role", "by_level", "power_imbalance")
"""Breakdowns of the cases opened where each case has exactly one key: they add up to
`cases_opened`."""

CASE_MULTI = ("by_category", "by_relation")
"""Breakdowns of the cases opened where a case counts once per key it has (at least one):
each cell is at most `cases_opened` and together they are at least `cases_opened`."""

EVENT_BREAKDOWNS = ("by_route", "by_referral", "by_protocol_ground", "by_activity")
"""Breakdowns of things dated in the year (routes per case, referral and protocol entries,
the adviser's work outside cases); no published figure is their total."""


@dataclass(frozen=True)
class Group:
    """Breakdowns of one set of things that a published count totals (see docs/report.md).

    Attributes:
        total: the count of the set (`cases_opened`, `cases_closed`, `routes_ended`).
        single: breakdowns with exactly one key per member: they add up to the total.
        multi: breakdowns where a member counts once per key it has (at least one): each
            cell is at most the total, together they are at least the total.
        subset: breakdowns of some members, one key each: each cell is at most the total,
            together they are at most the total.
        derivable: a reader may know the total exactly even when it is hidden (the cases
            closed follow from the cases still open at the end of both years and the cases
            opened), so the audit takes its true value as known.
    """

    total: str
    single: tuple[str, ...] = ()
    multi: tuple[str, ...] = ()
    subset: tuple[str, ...] = ()
    derivable: bool = False

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """Every breakdown of the group."""
        return (*self.single, *self.multi, *self.subset)


GROUPS: tuple[Group, ...] = (
    Group("cases_opened", single=CASE_SINGLE, multi=CASE_MULTI),
    Group("cases_closed", single=("by_outcome", "by_experience"), derivable=True),
    Group("routes_ended", single=("by_route_outcome",), subset=("by_measure",)),
)
"""The case breakdowns and the totals they hang together with, for the disclosure audit."""

BREAKDOWNS: tuple[BreakdownField, ...] = get_args(BreakdownField)
"""Every breakdown, in the order of the JSON report."""

COUNTS: tuple[CountField, ...] = (
    "cases_opened",
    "open_at_end",
    "conversations",
    "cases_closed",
    "routes_ended",
)
"""The single counts of the report (hours is a quantity, not a count of anything)."""


def hours_from_minutes(minutes: int) -> int:
    """Whole hours: the total minutes / 60, rounded half up (90 -> 2, 89 -> 1)."""
    return (minutes + 30) // 60


@dataclass(frozen=True)
class ReportFigures:
    """The true counts for one organisation and one calendar year.

    Attributes:
        year: the calendar year.
        cases_opened: cases opened in the year.
        open_at_end: cases whose status on 31 December was not closed.
        conversations: conversations dated in the year, whatever year their case was opened.
        minutes: the total minutes of those conversations.
        breakdowns: for each name in `BREAKDOWNS`, key -> count; zero counts are absent.
        cases_closed: cases closed in the year (`StatRecord.closed_in`).
        routes_ended: routes whose end is dated in the year.
        activity_minutes: the minutes of the adviser's work outside cases dated in the year.
    """

    year: int
    cases_opened: int = 0
    open_at_end: int = 0
    conversations: int = 0
    minutes: int = 0
    breakdowns: Mapping[str, Mapping[str, int]] = field(
        default_factory=lambda: {name: {} for name in BREAKDOWNS}
    )
    cases_closed: int = 0
    routes_ended: int = 0
    activity_minutes: int = 0

    @property
    def hours(self) -> int:
        """The time spent in conversations in whole hours (half up)."""
        return hours_from_minutes(self.minutes)

    @property
    def activity_hours(self) -> int:
        """The time spent on work outside cases in whole hours (half up)."""
        return hours_from_minutes(self.activity_minutes)

    @property
    def total_hours(self) -> int:
        """Both, as printed (the sum of the rounded figures, so the table adds up)."""
        return self.hours + self.activity_hours

    def count(self, name: str) -> int:
        """One of `COUNTS` by name."""
        if name not in COUNTS:
            raise KeyError(name)
        return int(getattr(self, name))


def count_year(
    records: Iterable[StatRecord],
    year: int,
    activities: Mapping[str, tuple[int, int]] | None = None,
) -> ReportFigures:
    """Counts the report's figures for `year` over the given records.

    The records must already be those of one organisation. A record whose reporter withdrew
    the consent to be counted is left out of every figure.

    Args:
        records: the statistical records (of live and of destroyed cases).
        year: the calendar year to count.
        activities: the adviser's work outside cases in that year: kind -> (number,
            minutes); None for none.

    Returns:
        The exact figures (zero cells left out of the breakdowns).
    """
    tallies: dict[str, Counter[str]] = {name: Counter() for name in BREAKDOWNS}
    opened = open_at_end = conversations = minutes = closed = ended = 0
    for record in records:
        if record.statistics_withdrawn:
            continue
        if record.year_opened == year:
            opened += 1
            tallies["by_category"].update(record.categories)
            tallies["by_relation"].update(record.relations)
            tallies["by_role"][record.role] += 1
            tallies["by_level"][record.level] += 1
            tallies["power_imbalance"][record.power_key()] += 1
        status = record.status_at_end(year)
        if status is not None and status != "closed":
            open_at_end += 1
        for when, number, spent in record.conversations:
            if when == year:
                conversations += number
                minutes += spent
        tallies["by_route"].update({route for when, route in record.routes if when == year})
        for when, destination, number in record.referrals:
            if when == year:
                tallies["by_referral"][destination] += number
        for when, ground, number in record.protocol_grounds:
            if when == year:
                tallies["by_protocol_ground"][ground] += number
        if record.closed_in(year):
            closed += 1
            tallies["by_outcome"][record.outcome] += 1
            tallies["by_experience"][record.experience] += 1
        for when, outcome, number in record.route_outcomes:
            if when == year:
                ended += number
                tallies["by_route_outcome"][outcome] += number
        for when, measure, number in record.measures:
            if when == year:
                tallies["by_measure"][measure] += number
    activity_minutes = 0
    for kind, (number, spent) in (activities or {}).items():
        tallies["by_activity"][kind] += number
        activity_minutes += spent
    return ReportFigures(
        year=year,
        cases_opened=opened,
        open_at_end=open_at_end,
        conversations=conversations,
        minutes=minutes,
        cases_closed=closed,
        routes_ended=ended,
        activity_minutes=activity_minutes,
        breakdowns={
            name: {key: n for key, n in sorted(tally.items()) if n > 0}
            for name, tally in tallies.items()
        },
    )


def add_figures(first: ReportFigures, second: ReportFigures) -> ReportFigures:
    """The figures of two disjoint sets of records of one year, counted together.

    Every figure is a sum over records, so counting the live cases (by SQL, in the vault)
    and the kept records of destroyed cases (`count_year`) apart and adding them up gives
    what `count_year` gives over both.

    Raises:
        ValueError: the figures are of different years.
    """
    if first.year != second.year:
        raise ValueError("figures of different years")
    breakdowns: dict[str, Mapping[str, int]] = {}
    for name in BREAKDOWNS:
        tally = Counter(first.breakdowns.get(name, {}))
        tally.update(second.breakdowns.get(name, {}))
        breakdowns[name] = {key: n for key, n in sorted(tally.items()) if n > 0}
    return ReportFigures(
        year=first.year,
        cases_opened=first.cases_opened + second.cases_opened,
        open_at_end=first.open_at_end + second.open_at_end,
        conversations=first.conversations + second.conversations,
        minutes=first.minutes + second.minutes,
        breakdowns=breakdowns,
        cases_closed=first.cases_closed + second.cases_closed,
        routes_ended=first.routes_ended + second.routes_ended,
        activity_minutes=first.activity_minutes + second.activity_minutes,
    )
