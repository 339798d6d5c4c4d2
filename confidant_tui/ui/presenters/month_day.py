"""Provides `format_month_day` and `read_day_month`: a yearly date without a year.

An organisation's yearly report falls due on the same day every year, kept as "MM-DD"
(`OrganisationRules.report_due`). The adviser reads it as "1 maart" ("1 March"), never as
"03-01", which a Dutch reader takes for the third of January; and types it the way the app
takes dates, day first: "1-3", "01-03" or "1 maart".
"""

from __future__ import annotations

import datetime as dt
import re

from confidant_tui.domain.written_dates import MONTHS, day_and_month
from confidant_tui.i18n import _

_DAY_MONTH = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_DAY_NAME = re.compile(r"^(\d{1,2})\s+(\w+)\.?$")
_LEAP_YEAR = 2024
"""Any leap year: 29 February is a valid yearly date (it falls on 28 February otherwise)."""


def format_month_day(month_day: str) -> str:
    """Shows "03-01" as "1 maart" ("1 March" in English); a malformed value as it is."""
    try:
        month, day = (int(part) for part in month_day.split("-"))
        return day_and_month(dt.date(_LEAP_YEAR, month, day))
    except ValueError:
        return month_day


def _month_number(name: str) -> int | None:
    wanted = name.casefold()
    for number, month in enumerate(MONTHS, start=1):
        for spelling in (month, _(month)):
            full = spelling.casefold()
            if wanted == full or (len(wanted) >= 3 and full.startswith(wanted)):
                return number
    return None


def read_day_month(text: str) -> str:
    """Reads a day and month typed day first ("1-3", "01-03", "1 maart", "1 mar") as "MM-DD".

    Raises:
        ValueError: with a translated message when the text is no day of the year.
    """
    cleaned = text.strip()
    numbers = _DAY_MONTH.match(cleaned)
    named = _DAY_NAME.match(cleaned)
    month: int | None = None
    day = 0
    if numbers and cleaned.isascii():
        day, month = int(numbers.group(1)), int(numbers.group(2))
    elif named and named.group(1).isascii():
        day, month = int(named.group(1)), _month_number(named.group(2))
    try:
        if month is None:
            raise ValueError
        found = dt.date(_LEAP_YEAR, month, day)
    except ValueError:
        raise ValueError(
            _("Enter a day and month, day first: for example 1-3 or 1 March.")
        ) from None
    return f"{found.month:02d}-{found.day:02d}"
