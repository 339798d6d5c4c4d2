"""Provides dates written out for a reader: "1 maart", "1 maart 2027" ("1 March 2027").

Yearly dates (a report due date) and deadlines are shown with the month's name, never as
"03-01", which a Dutch reader takes for the third of January. One list of month names
serves the screens, the command line and the report files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from confidant_tui.i18n import N_, _

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
"""The months' names (English ids; lower case in Dutch, as Dutch writes them)."""


def month_name(month: int, translate: Callable[[str], str] = _) -> str:
    """The name of month 1-12 in the language of `translate` (default: the interface's)."""
    return translate(MONTHS[month - 1])


def day_and_month(day: dt.date, translate: Callable[[str], str] = _) -> str:
    """ "1 maart" / "1 March": a yearly date without its year."""
    return f"{day.day} {month_name(day.month, translate)}"


def long_date(day: dt.date, translate: Callable[[str], str] = _) -> str:
    """ "1 maart 2027" / "1 March 2027": day, month's name, year (the order of both languages)."""
    return f"{day_and_month(day, translate)} {day.year}"
