"""Provides `MomentField`: a date and a time (to the minute) for a protocol step or a consent.

The protocol's order is decided to the minute (the reporter must be informed *before* the
disclosure), so every step asks for both. The date is typed the Dutch way (or "vandaag"),
the time as 14:30 (or 1430). Nothing typed is ever thrown away: `problem` says why the
text is not a moment, and the form shows it.
"""

from __future__ import annotations

import datetime as dt
import re

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input

from confidant_tui.i18n import _
from confidant_tui.ui.widgets.date_field import DateField

_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]?([0-5][0-9])")


def read_time(text: str) -> dt.time | None:
    """Reads a time typed as 14:30, 14.30 or 1430; None for empty text.

    Raises:
        ValueError: with a translated message when the text is no time.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _TIME.fullmatch(cleaned)
    if match is None:
        raise ValueError(_("Not a valid time: use hh:mm, for example 14:30."))
    return dt.time(int(match.group(1)), int(match.group(2)))


class MomentField(Horizontal):
    """A date and a time next to each other; `moment` is the datetime typed, or None.

    Args:
        value: the moment shown first.
        id_prefix: ids of the two inputs are `<prefix>-date` and `<prefix>-time`.
    """

    DEFAULT_CSS = """
    MomentField { height: auto; width: auto; }
    MomentField > Input.moment-time { width: 12; }
    """

    def __init__(self, value: dt.datetime | None, *, id_prefix: str = "at") -> None:
        super().__init__(id=id_prefix)
        self._first = value
        self.prefix = id_prefix

    def compose(self) -> ComposeResult:
        today = self._first.date() if self._first else None
        yield DateField(today, today=today, id=f"{self.prefix}-date")
        yield Input(
            self._first.strftime("%H:%M") if self._first else "",
            placeholder=_("hh:mm"),
            id=f"{self.prefix}-time",
            classes="moment-time",
        )

    def focus(self, scroll_visible: bool = True) -> MomentField:
        """Focuses the date."""
        self.query_one(DateField).focus(scroll_visible)
        return self

    @property
    def value(self) -> tuple[str, str]:
        """The two texts as typed (for "was something typed?")."""
        return (self.query_one(DateField).value, self.query_one(".moment-time", Input).value)

    @property
    def problem(self) -> str | None:
        """Why the texts are no moment (translated), or None when they are one."""
        date_field = self.query_one(DateField)
        if date_field.problem:
            return date_field.problem
        if date_field.date is None:
            return _("Give the date.")
        try:
            if read_time(self.query_one(".moment-time", Input).value) is None:
                return _("Give the time (hh:mm).")
        except ValueError as error:
            return str(error)
        return None

    @property
    def moment(self) -> dt.datetime | None:
        """The moment typed, or None (see `problem`)."""
        if self.problem is not None:
            return None
        day = self.query_one(DateField).date
        time = read_time(self.query_one(".moment-time", Input).value)
        assert day is not None and time is not None
        return dt.datetime.combine(day, time)
