"""Provides the JSON shape of the yearly report (`ReportDocument`), as `docs/report.md` describes it.

The report travels in this shape from building to every format (JSON, CSV, Markdown, PDF),
to the vault when it is published, and to the report screen; typing it lets mypy check
every field that is read or written on the way. The JSON keeps the key order in which
`domain.report_formats.report_document` builds the dict.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Cell = int | str
"""A published cell: an integer, `"<k"` (a true value of 1..k-1) or `"x"` (hidden)."""

Breakdown = dict[str, Cell]
"""Key -> cell; zero cells are absent, except in a breakdown withheld whole."""

CountField = Literal[
    "cases_opened",
    "open_at_end",
    "conversations",
    "cases_closed",
    "routes_ended",
    "hours",
    "activity_hours",
    "total_hours",
]
"""The single figures of a year (the three `*hours` are time, never hidden)."""

BreakdownField = Literal[
    "by_category",
    "by_role",
    "by_relation",
    "by_level",
    "by_route",
    "by_referral",
    "by_protocol_ground",
    "power_imbalance",
    "by_outcome",
    "by_experience",
    "by_route_outcome",
    "by_measure",
    "by_activity",
]
"""The breakdowns of a year."""


class YearFigures(TypedDict):
    """The published figures of one year (the `previous` object of the report).

    `withheld` (the breakdowns hidden whole) is only in the copy kept in the vault. The
    figures of outcomes and of work outside cases (`NotRequired`) are absent from reports
    published before they were counted; such a report is still read as `previous`.
    """

    year: int
    threshold: int
    cases_opened: Cell
    open_at_end: Cell
    conversations: Cell
    hours: int
    by_category: Breakdown
    by_role: Breakdown
    by_relation: Breakdown
    by_level: Breakdown
    by_route: Breakdown
    by_referral: Breakdown
    by_protocol_ground: Breakdown
    power_imbalance: Breakdown
    cases_closed: NotRequired[Cell]
    routes_ended: NotRequired[Cell]
    activity_hours: NotRequired[int]
    total_hours: NotRequired[int]
    by_outcome: NotRequired[Breakdown]
    by_experience: NotRequired[Breakdown]
    by_route_outcome: NotRequired[Breakdown]
    by_measure: NotRequired[Breakdown]
    by_activity: NotRequired[Breakdown]
    withheld: NotRequired[list[str]]


class ReportDocument(YearFigures):
    """The yearly report: the year's figures, the organisation and the year before.

    Attributes:
        organisation: the organisation's name (None when the vault does not say).
        recipients: who receives the report, in the organisation's words (None: not set).
        due: the day the report is due, ISO `YYYY-MM-DD`.
        previous: the figures of the year before (absent when there are none).
    """

    organisation: str | None
    recipients: NotRequired[str | None]
    due: NotRequired[str]
    previous: NotRequired[YearFigures]
