"""Provides the adviser's work outside cases: `Activity`, its rules, and durations as h:mm.

Yearly reports show more than cases: advice to the board (asked and unasked), information
sessions, periodic consultations, peer supervision, training. Each entry has a kind (taxonomy
kind `activity`), a date, a duration, an organisation, a short subject and the adviser's own
notes, never case content. Problems are (field, message) pairs as in `case_rules`, so a form
can show each one beside its field; "today" is a parameter, so the rules are deterministic.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from confidant_tui.domain.case_rules import (
    Problem,
    key_problems,
    past_problems,
    raise_if_any,
    text_problems,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _

MAX_MINUTES = 1440
"""The longest duration of one entry: a whole day."""
MAX_SUBJECT = 200
"""Most characters in a subject (the table's `CHECK` holds the same bound)."""
MAX_NOTES = 20_000
"""Most characters in the notes: minutes of a meeting fit, a case file does not."""

_DURATION = re.compile(r"(\d{1,4})|(\d{1,2})[:uU](\d{2})")
"""Minutes ("90") or hours and minutes ("1:30", "1u30")."""


@dataclass(frozen=True)
class Activity:
    """One piece of work outside cases.

    Attributes:
        organisation: the name of the organisation it was done for.
        kind: a key of the taxonomy kind `activity`.
        date: the day it took place.
        minutes: how long it took (0 to 1440).
        subject: a short subject, shown in the list (1 to 200 characters, one line).
        notes: the adviser's own minutes or notes (optional).
        id: the stored row's id (None before it is stored).
    """

    organisation: str
    kind: str
    date: dt.date
    minutes: int
    subject: str
    notes: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class ActivityFilter:
    """Which entries to list: all by default; `start` and `end` are inclusive."""

    organisation: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str | None = None

    @classmethod
    def for_year(cls, year: int | None, organisation: str | None = None) -> ActivityFilter:
        """The entries of one calendar year (every year when `year` is None)."""
        if year is None:
            return cls(organisation)
        return cls(organisation, dt.date(year, 1, 1), dt.date(year, 12, 31))


@dataclass(frozen=True)
class KindTotal:
    """How many entries of one kind, and their minutes together."""

    kind: str
    count: int
    minutes: int


def parse_duration(text: str) -> int | None:
    """Reads a typed duration: minutes ("90") or hours and minutes ("1:30"); empty is None.

    Raises:
        ValueError: with a translated message when the text is no duration.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _DURATION.fullmatch(cleaned)
    if match is None:
        raise ValueError(_("Enter the duration in minutes (90) or as hours:minutes (1:30)."))
    if match.group(1) is not None:
        return int(match.group(1))
    hours, minutes = int(match.group(2)), int(match.group(3))
    if minutes >= 60:
        raise ValueError(_("Enter the duration in minutes (90) or as hours:minutes (1:30)."))
    return hours * 60 + minutes


def format_duration(minutes: int) -> str:
    """A duration as hours:minutes ("1:30"), the way the list and the totals show it."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def clean_subject(subject: str) -> str:
    """The subject as stored: surrounding spaces taken off."""
    return subject.strip()


def subject_problems(subject: str, path: str = "subject") -> list[Problem]:
    """A subject has 1 to 200 characters on one line, without control characters."""
    if not subject.strip():
        return [(path, _("Enter a short subject."))]
    if len(subject) > MAX_SUBJECT:
        return [
            (
                path,
                _("The subject is too long (at most {count} characters).").format(
                    count=MAX_SUBJECT
                ),
            )
        ]
    if any(unicodedata.category(char) == "Cc" for char in subject):
        return [(path, _("The subject cannot hold control characters or line breaks."))]
    return text_problems(subject, path, MAX_SUBJECT)


def activity_problems(activity: Activity, taxonomy: Taxonomy, today: dt.date) -> list[Problem]:
    """Everything wrong with `activity` (empty when it may be stored).

    The organisation is checked by the service, which knows the vault's organisations.
    """
    problems: list[Problem] = []
    if not activity.kind:
        problems.append(("kind", _("Choose the kind of work.")))
    else:
        problems += key_problems(taxonomy, "activity", activity.kind, "kind")
    problems += past_problems(activity.date, "date", today)
    if not 0 <= activity.minutes <= MAX_MINUTES:
        problems.append(("minutes", _("The duration must be from 0 to 1440 minutes.")))
    problems += subject_problems(activity.subject)
    problems += text_problems(activity.notes, "notes", MAX_NOTES)
    return problems


def check_activity(activity: Activity, taxonomy: Taxonomy, today: dt.date) -> None:
    """Raises `ValidationError` listing every problem of `activity`, if it has any."""
    raise_if_any(activity_problems(activity, taxonomy, today))
