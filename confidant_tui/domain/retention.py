"""Provides the retention rule: when a closed case is due for destruction, and why.

Practice (`DOMAIN.md` §7) is to destroy a dossier once it is closed and counted in the
yearly report, and at the latest a set time after it was fully handled. So, per closed case:

- it is due on the day the yearly report covering the year it was closed was published for
  its organisation (a report over the whole vault counts for every organisation), but never
  before the day it was closed;
- and at the latest `retention_years` (the organisation's rule, default 2) after closing,
  even when no report was published: that term is a ceiling, not a minimum;
- the adviser's latest postponement keeps it until its own day (a postponement never makes a
  case due earlier than the rule does).

A case is due on its day and every day after. Pure: the caller passes today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confidant_tui.domain.route_rules import add_years
from confidant_tui.domain.written_dates import long_date
from confidant_tui.i18n import _, ngettext

__all__ = ["Retention", "is_due", "retention_day", "retention_for"]


@dataclass(frozen=True)
class Retention:
    """When a closed case becomes due, and why.

    Attributes:
        due_on: the first day it is due for destruction.
        reason: why that day, in words ("gesloten 3 februari 2024, 2 jaar bewaard";
            "jaarverslag 2024 uitgebracht op 1 maart 2025"; with "; uitgesteld tot ..."
            after a postponement).
        postponed: whether a postponement set the day.
    """

    due_on: dt.date
    reason: str
    postponed: bool = False


def retention_for(
    closed_on: dt.date,
    *,
    retention_years: int,
    report_published_on: dt.date | None = None,
    postponed_until: dt.date | None = None,
) -> Retention:
    """The retention day of a case closed on `closed_on`.

    Args:
        closed_on: the day the case was closed.
        retention_years: the organisation's longest term after closing.
        report_published_on: when the yearly report of `closed_on`'s year was first
            published for the case's organisation, or None.
        postponed_until: the latest postponement's day, or None.
    """
    ceiling = add_years(closed_on, retention_years)
    due_on = ceiling
    reason = ngettext(
        "closed {closed}, kept {years} year", "closed {closed}, kept {years} years", retention_years
    ).format(closed=long_date(closed_on), years=retention_years)
    if report_published_on is not None:
        counted = max(report_published_on, closed_on)
        if counted < ceiling:
            due_on = counted
            reason = _("{year} report published on {published}").format(
                year=closed_on.year, published=long_date(report_published_on)
            )
    if postponed_until is not None and postponed_until > due_on:
        return Retention(
            postponed_until,
            _("{reason}; postponed until {until}").format(
                reason=reason, until=long_date(postponed_until)
            ),
            postponed=True,
        )
    return Retention(due_on, reason)


def retention_day(
    closed_on: dt.date,
    *,
    retention_years: int,
    report_published_on: dt.date | None = None,
    postponed_until: dt.date | None = None,
) -> dt.date:
    """The first day a case closed on `closed_on` is due, as `retention_for` has it, without
    putting the reason into words (the deadlines read every closed case)."""
    ceiling = add_years(closed_on, retention_years)
    due_on = ceiling
    if report_published_on is not None:
        due_on = min(ceiling, max(report_published_on, closed_on))
    if postponed_until is not None and postponed_until > due_on:
        return postponed_until
    return due_on


def is_due(retention: Retention, today: dt.date) -> bool:
    """Whether the case is due for destruction on `today` (on its day and after)."""
    return today >= retention.due_on
