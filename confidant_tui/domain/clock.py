"""Provides `Clock`: where the app and the command line read the date, the time and idle seconds.

Nothing in Confidant asks the system for "today" or "now" on its own: the app factory
(`ui.app.make_app`) and the command line (`cli.common.command_context`) build one clock and
hand dates and moments from it to the services as arguments. Tests build the app with a
`FixedClock`, which stands still until the test moves it, so a test that records a consent
"now" knows which minute that is and an idle-lock test advances the clock instead of
sleeping.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol

from confidant_tui.domain.protocol_time import to_minute


class Clock(Protocol):
    """The three readings of time the app uses."""

    def today(self) -> dt.date:
        """Today's date in the adviser's local time."""
        ...

    def now(self) -> dt.datetime:
        """The current moment in the adviser's local time (naive)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, for measuring idle time; only differences count."""
        ...


class SystemClock:
    """The computer's clock: the clock of the app and of every command."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now()

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that stands still until it is moved (tests, benchmarks).

    Args:
        moment: the local time it shows; "today" is its date. Default: the time of creation,
            to the minute.
        seconds: the first monotonic reading.
    """

    def __init__(self, moment: dt.datetime | None = None, *, seconds: float = 1000.0) -> None:
        self.moment = moment if moment is not None else to_minute(dt.datetime.now())
        self.seconds = seconds

    def today(self) -> dt.date:
        return self.moment.date()

    def now(self) -> dt.datetime:
        return self.moment

    def monotonic(self) -> float:
        return self.seconds

    def set(self, moment: dt.datetime | dt.date) -> None:
        """Shows `moment` from now on (a date: noon of that day); idle seconds do not move."""
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(12, 0))
        self.moment = moment

    def advance(self, seconds: float) -> None:
        """Moves the clock forward: the idle seconds and the local time alike."""
        self.seconds += seconds
        self.moment += dt.timedelta(seconds=seconds)
