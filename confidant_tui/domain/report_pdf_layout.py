"""Provides the layout decisions of the yearly report PDF: which rows, which values, bar sizes.

Pure Python, no fpdf2: the writer in `services/report_pdf.py` draws what this module decides,
so the rules (suppressed cells never get a bar, last year beside this year, the same figures
as the JSON) are tested without a PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from confidant_tui.domain.report_json import BreakdownField, Cell, CountField, ReportDocument
from confidant_tui.domain.written_dates import long_date
from confidant_tui.i18n import N_

KEY_FIGURES: tuple[tuple[CountField, str], ...] = (
    ("cases_opened", N_("New cases opened")),
    ("open_at_end", N_("Cases still open at the end of the year")),
    ("cases_closed", N_("Cases closed in the year")),
    ("conversations", N_("Conversations held")),
    ("routes_ended", N_("Routes ended in the year")),
)
"""The headline figures of the report, in the order printed."""

TIME_TITLE = N_("Time spent (hours)")

TIME_FIGURES: tuple[tuple[CountField, str], ...] = (
    ("hours", N_("Time spent in conversations (hours)")),
    ("activity_hours", N_("Time spent on work outside cases (hours)")),
    ("total_hours", N_("Total time spent (hours)")),
)
"""The time spent (*tijdsbesteding*), in whole hours, in the order printed."""

ABSENT = "-"
"""Printed for a figure the year before does not have (published before it was counted)."""

SECTIONS: tuple[tuple[BreakdownField, str, str], ...] = (
    (
        "by_category",
        N_("What the reports were about"),
        N_("One case can be about more than one subject, so these add up to more than the cases."),
    ),
    ("by_role", N_("Who came to the confidential adviser"), ""),
    ("by_relation", N_("About whom, seen from the reporter"), ""),
    ("power_imbalance", N_("Power imbalance between the people involved"), ""),
    ("by_level", N_("Where in the organisation it happened"), ""),
    ("by_route", N_("Routes chosen"), N_("Counted per case, for routes started in the year.")),
    ("by_referral", N_("Referrals to other help"), ""),
    (
        "by_protocol_ground",
        N_("Information shared outside the adviser"),
        N_("With the reporter's consent, or under the protocol for breaking confidentiality."),
    ),
    ("by_outcome", N_("Outcome of the cases closed"), ""),
    ("by_experience", N_("How the reporters experienced the outcome"), ""),
    (
        "by_route_outcome",
        N_("Outcome of the routes ended"),
        N_("Complaints, reports and informal steps that ended in the year."),
    ),
    ("by_measure", N_("Measures taken"), N_("For the routes ended in the year.")),
    (
        "by_activity",
        N_("The adviser's work outside cases"),
        N_("Advice to the board, information sessions, consultations, peer supervision, training."),
    ),
)
"""Each breakdown: (report field, title, note under the title; "" for none)."""

POWER_IMBALANCE_LABELS: dict[str, str] = {
    "true": N_("With a power imbalance"),
    "false": N_("Without a power imbalance"),
}
"""Labels for the keys of `power_imbalance` (translate them before use)."""

FIELD_KINDS: dict[str, str] = {
    "by_category": "category",
    "by_role": "reporter_role",
    "by_relation": "relation",
    "by_level": "level",
    "by_route": "route",
    "by_referral": "destination",
    "by_outcome": "outcome",
    "by_experience": "experience",
    "by_route_outcome": "route_outcome",
    "by_measure": "measure",
    "by_activity": "activity",
}
"""The taxonomy kind (`domain/taxonomy.py`) whose labels name the keys of each breakdown."""


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: the label, both years' cells as printed, and bar lengths.

    Attributes:
        key: the stable key of the row (`bullying`, `formal.complaint`).
        label: the label for the reader.
        previous: last year's cell as printed, or None when there is no last year.
        current: this year's cell as printed.
        previous_bar: last year's bar as a fraction 0..1, None when it must not be drawn.
        current_bar: this year's bar as a fraction 0..1, None when it must not be drawn.
    """

    key: str
    label: str
    previous: str | None
    current: str
    previous_bar: float | None
    current_bar: float | None


def is_suppressed(value: Cell | None) -> bool:
    """Tells whether a cell was hidden (`"<k"` or `"x"`); such a cell never gets a bar."""
    return isinstance(value, str)


def format_count(value: Cell | None) -> str:
    """Prints a cell: an int as digits, a suppressed cell as given, an absent key as 0."""
    if value is None:
        return "0"
    if isinstance(value, bool):
        raise TypeError("a count is never a bool")
    return str(value)


def figure_cell(figures: Mapping[str, Any], field: str) -> str:
    """Prints a single figure of a year; `ABSENT` when that year's report does not have it."""
    if field not in figures:
        return ABSENT
    return format_count(figures[field])


def heading_lines(report: ReportDocument, translate: Callable[[str], str]) -> list[str]:
    """The lines under the organisation's name: who receives the report and when it is due.

    The recipients are the adviser's own words: escape them for the output they go into.
    """
    lines = []
    recipients = report.get("recipients")
    if recipients:
        lines.append(translate(N_("For: {recipients}")).format(recipients=recipients))
    due = report.get("due")
    if due:
        when = long_date(dt.date.fromisoformat(due), translate)
        lines.append(translate(N_("Due on {date}")).format(date=when))
    return lines


def _fraction(value: Cell | None, scale: int) -> float | None:
    if isinstance(value, str):  # suppressed: `is_suppressed`
        return None
    if not value or scale <= 0:
        return 0.0
    return value / scale


def breakdown_rows(
    report: ReportDocument, field: BreakdownField, label: Callable[[str], str]
) -> list[Row]:
    """Builds the rows of one breakdown, this year's keys first in the report's order.

    A key present in only one year counts 0 in the other (the JSON leaves zero keys out).
    Bars share one scale per breakdown (the largest visible count of either year), so the two
    years compare at a glance.

    Args:
        report: the yearly report as the JSON-shaped dict (with `previous`, or without).
        field: the breakdown, e.g. `"by_category"`.
        label: gives the reader's label for a key.

    Returns:
        The rows; empty when neither year has any count.
    """
    current: Mapping[str, Cell] = report.get(field) or {}
    previous_report = report.get("previous")
    previous: Mapping[str, Cell] | None = (
        (previous_report.get(field) or {}) if previous_report else None
    )
    # A year published before this breakdown was counted: its cells are unknown, not 0.
    absent = previous_report is not None and field not in previous_report
    keys = list(current)
    keys += [key for key in (previous or {}) if key not in current]
    visible = [v for v in current.values() if not is_suppressed(v)]
    visible += [v for v in (previous or {}).values() if not is_suppressed(v)]
    scale = max((int(v) for v in visible), default=0)
    rows: list[Row] = []
    for key in keys:
        rows.append(
            Row(
                key=key,
                label=label(key),
                previous=(
                    None
                    if previous is None
                    else ABSENT
                    if absent
                    else format_count(previous.get(key))
                ),
                current=format_count(current.get(key)),
                previous_bar=(
                    None
                    if previous is None
                    else 0.0
                    if absent
                    else _fraction(previous.get(key), scale)
                ),
                current_bar=_fraction(current.get(key), scale),
            )
        )
    return rows


def humanise_key(key: str) -> str:
    """A readable fallback label for a key without a label (`informal.self` -> `Informal - self`)."""
    parts = [part.replace("_", " ") for part in key.split(".")]
    text = " - ".join(parts)
    return text[:1].upper() + text[1:]
