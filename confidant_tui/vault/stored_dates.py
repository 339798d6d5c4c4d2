"""Provides the stored form of dates and times (ISO text) and the way back."""

from __future__ import annotations

import datetime as dt


def iso(value: dt.date | None) -> str | None:
    """A date as stored (ISO text), or None."""
    return value.isoformat() if value is not None else None


def day(value: str | None) -> dt.date | None:
    """A stored date back as a date, or None."""
    return dt.date.fromisoformat(value) if value else None


def clock(value: dt.time | None) -> str | None:
    """A time of day as stored (`HH:MM`), or None."""
    return value.strftime("%H:%M") if value is not None else None
