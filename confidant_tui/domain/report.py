"""Provides the true counts of the yearly report (`ReportFigures`), counted from `StatRecord`s.

These are exact, unsuppressed figures: they never leave the vault as they are.
`domain.suppression` turns them into what may be published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from confidant_tui.domain.report_json import BreakdownField, CountField
from confidant_tui.domain.statistics import StatRecord

CASE_SINGLE = ("by_role", "by_level", "power_imbalance")
"""Breakdowns of the cases opened where each case has exactly one key: they add up to
`cases_opened`."""

CASE_MULTI = ("by_category", "by_relation")
"""Breakdowns of the cases opened where a case counts once per key it has (at least one):
each cell is at most `cases_opened` and together they are at least `cases_opened`."""

EVENT_BREAKDOWNS = ("by_route", "by_referral", "by_protocol_ground")
"""Breakdowns of things dated in the year (routes per case, referral and protocol entries);
no published figure is their total."""

BREAKDOWNS: tuple[BreakdownField, ...] = (
    "by_category",
    "by_role",
    "by_relation",
    "by_level",
    "by_route",
    "by_referral",
    "by_protocol_ground",
    "power_imbalance",
)
"""Every breakdown, in the order of the JSON report."""

COUNTS: tuple[CountField, ...] = ("cases_opened", "open_at_end", "conversations")
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
    """

    year: int
    cases_opened: int = 0
    open_at_end: int = 0
    conversations: int = 0
    minutes: int = 0
    breakdowns: Mapping[str, Mapping[str, int]] = field(
        default_factory=lambda: {name: {} for name in BREAKDOWNS}
    )

    @property
    def hours(self) -> int:
        """The time spent in whole hours (half up)."""
        return hours_from_minutes(self.minutes)

    def count(self, name: str) -> int:
        """One of `COUNTS` by name."""
        if name not in COUNTS:
            raise KeyError(name)
        return int(getattr(self, name))


def count_year(records: Iterable[StatRecord], year: int) -> ReportFigures:
    """Counts the report's figures for `year` over the given records.

    The records must already be those of one organisation. A record whose reporter withdrew
    the consent to be counted is left out of every figure.

    Args:
        records: the statistical records (of live and of destroyed cases).
        year: the calendar year to count.

    Returns:
        The exact figures (zero cells left out of the breakdowns).
    """
    tallies: dict[str, Counter[str]] = {name: Counter() for name in BREAKDOWNS}
    opened = open_at_end = conversations = minutes = 0
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
    return ReportFigures(
        year=year,
        cases_opened=opened,
        open_at_end=open_at_end,
        conversations=conversations,
        minutes=minutes,
        breakdowns={
            name: {key: n for key, n in sorted(tally.items()) if n > 0}
            for name, tally in tallies.items()
        },
    )
