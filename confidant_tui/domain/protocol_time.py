"""Provides the moments of the protocol and the consent ledger: local time, to the minute.

Every protocol step, consent and withdrawal is dated by a *moment*: a naive `datetime` in
the adviser's local time, at minute precision (`YYYY-MM-DDTHH:MM` in files and in the
vault). Rules compare moments, so seconds must never decide an order the adviser cannot
see; everything is truncated to the minute on the way in. The clock is injected (a
`Clock`), so rules and tests never read the system time themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""Returns "now" in the adviser's local time."""

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def to_minute(moment: dt.datetime) -> dt.datetime:
    """Drops seconds, microseconds and any time zone: the precision the rules work at."""
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def system_clock() -> dt.datetime:
    """The current local time, to the minute (the clock the app uses)."""
    return to_minute(dt.datetime.now())


def start_of_day(day: dt.date) -> dt.datetime:
    """The moment a date-only record counts from (00:00 of that day)."""
    return dt.datetime(day.year, day.month, day.day)


def moment_text(moment: dt.datetime) -> str:
    """The stored and exchanged form of a moment: `YYYY-MM-DDTHH:MM`."""
    return to_minute(moment).strftime(MOMENT_FORMAT)


def parse_moment(text: str) -> dt.datetime:
    """Parses `YYYY-MM-DDTHH:MM` (exactly that form).

    Raises:
        ValueError: the text is not such a moment (the caller words the message).
    """
    if not isinstance(text, str) or not _MOMENT.fullmatch(text):
        raise ValueError("not a moment")
    return dt.datetime.strptime(text, MOMENT_FORMAT)


def parse_day(text: str) -> dt.date:
    """Parses a date `YYYY-MM-DD` (exactly that form).

    Raises:
        ValueError: the text is not such a date.
    """
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise ValueError("not a date")
    return dt.date.fromisoformat(text)


def parse_moment_or_date(text: str) -> dt.datetime:
    """Parses a moment, or a date `YYYY-MM-DD` meaning 00:00 of that day.

    Raises:
        ValueError: neither form.
    """
    if isinstance(text, str) and _DATE.fullmatch(text):
        return start_of_day(dt.date.fromisoformat(text))
    return parse_moment(text)


def is_future(moment: dt.datetime, now: dt.datetime) -> bool:
    """Whether `moment` lies after the current minute."""
    return to_minute(moment) > to_minute(now)
