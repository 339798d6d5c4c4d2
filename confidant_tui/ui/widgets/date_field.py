"""Provides `DateField`: an input for a date typed as dd-mm-jjjj or ISO, checked as typed.

The adviser types dates the Dutch way (14-03-2025) or as ISO (2025-03-14); "vandaag" (or
"today", "t") fills in today. The field never throws the typed text away: a date it cannot
read stays in the box, and the form shows why next to it (`problem`).
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.i18n import _, format_date, parse_date
from confidant_tui.ui.widgets.literal_fields import LiteralInput

TODAY_WORDS = frozenset({"t", "vandaag", "today"})
"""Words that mean today's date."""


def read_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """Reads a typed date; empty text is no date.

    Args:
        text: what the adviser typed.
        today: the date "vandaag" stands for (default: the system date).

    Returns:
        The date, or None for empty text.

    Raises:
        ValueError: with a translated message when the text is no valid date.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    if cleaned.lower() in TODAY_WORDS:
        return today or dt.date.today()
    return parse_date(cleaned)


class DateField(LiteralInput):
    """An `Input` for one date; `date` gives the date read, `problem` why it cannot be read.

    Args:
        value: the date to show first (None: empty).
        today: the date "vandaag" stands for.
        **kwargs: passed on to `Input` (id, classes, ...).
    """

    DEFAULT_CSS = """
    DateField { width: 18; }
    """

    def __init__(
        self, value: dt.date | str | None = None, *, today: dt.date | None = None, **kwargs: object
    ) -> None:
        text = value if isinstance(value, str) else format_date(value)
        # The form a date is shown in: ISO in English, "dd-mm-jjjj" in Dutch (`format_date`).
        kwargs.setdefault("placeholder", _("yyyy-mm-dd"))
        super().__init__(text, **kwargs)
        self.today = today

    @property
    def date(self) -> dt.date | None:
        """The date typed; None when empty or unreadable (see `problem`)."""
        try:
            return read_date(self.value, self.today)
        except ValueError:
            return None

    @property
    def problem(self) -> str | None:
        """Why the text is no date, in the adviser's language; None when it is fine."""
        try:
            read_date(self.value, self.today)
        except ValueError as error:
            return str(error)
        return None

    def set_date(self, value: dt.date | None) -> None:
        """Shows `value` in the adviser's date format."""
        self.value = format_date(value)

    def on_blur(self) -> None:
        """Rewrites a readable date in the standard form when the adviser leaves the field."""
        if self.problem is None and self.value.strip():
            self.set_date(self.date)
