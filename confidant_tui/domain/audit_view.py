"""Provides what the audit screen and `confidant audit` both say about the audit log.

The state of the chain in one sentence (as `confidant check` says it), an entry's moment to
the second, a count with the language's thousands separator, and the period typed by the
adviser (from and to, either left open).
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.audit import ChainCheck
from confidant_tui.i18n import _, format_date, get_language, ngettext, parse_date


def format_count(count: int) -> str:
    """A whole number with thousands grouped: "1.234" in Dutch, "1,234" in English."""
    grouped = f"{count:,}"
    return grouped.replace(",", ".") if get_language() == "nl" else grouped


def format_at(at: dt.datetime) -> str:
    """An entry's moment as the adviser reads dates, to the second: "02-12-2026 14:03:05"."""
    return f"{format_date(at.date())} {at.strftime('%H:%M:%S')}"


def chain_summary(check: ChainCheck) -> str:
    """The chain's state for the adviser: its number of entries and whether it holds; when
    broken, which entry fails and what to do (the words of `confidant check`)."""
    if check.intact:
        return ngettext(
            "{count} entry, the chain is intact",
            "{count} entries, the chain is intact",
            check.count,
        ).format(count=format_count(check.count))
    detail = _(
        "entry {number} (of {count} read) fails its check: an entry was altered, removed, "
        "moved or inserted at or just before it"
    ).format(number=check.first_broken, count=check.count)
    return _(
        "The chain is broken: {detail}. confidant check says the same (exit code 8); keep "
        "this vault as it is, it is the evidence."
    ).format(detail=detail)


def parse_period(since: str, until: str) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a period typed as two dates (empty: open on that side).

    Raises:
        ValueError: with a translated message: a date is not valid, or the period ends
            before it starts.
    """
    first = parse_date(since) if since.strip() else None
    last = parse_date(until) if until.strip() else None
    if first is not None and last is not None and last < first:
        raise ValueError(_("The period ends before it starts."))
    return first, last
