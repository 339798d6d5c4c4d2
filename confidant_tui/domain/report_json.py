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

CountField = Literal["cases_opened", "open_at_end", "conversations", "hours"]
"""The single figures of a year (`hours` is time, never hidden)."""

BreakdownField = Literal[
    "by_category",
    "by_role",
    "by_relation",
    "by_level",
    "by_route",
    "by_referral",
    "by_protocol_ground",
    "power_imbalance",
]
"""The breakdowns of a year."""


class YearFigures(TypedDict):
    """The published figures of one year (the `previous` object of the report).

    `withheld` (the breakdowns hidden whole) is only in the copy kept in the vault.
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
    withheld: NotRequired[list[str]]


class ReportDocument(YearFigures):
    """The yearly report: the year's figures, the organisation and the year before.

    Attributes:
        organisation: the organisation's name (None when the vault does not say).
        previous: the figures of the year before (absent when there are none).
    """

    organisation: str | None
    previous: NotRequired[YearFigures]
