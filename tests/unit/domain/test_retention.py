"""The retention rule at its edges, with a frozen clock: the day before, on and after; the
yearly report before the ceiling; a leap day; a postponement."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui import i18n
from confidant_tui.domain.retention import is_due, retention_for

CLOSED = dt.date(2024, 2, 3)


def _due(retention_days: dt.date, today: dt.date) -> bool:
    return is_due(retention_for(CLOSED, retention_years=2), today)


@pytest.mark.parametrize(
    ("today", "due"),
    [(dt.date(2026, 2, 2), False), (dt.date(2026, 2, 3), True), (dt.date(2026, 2, 4), True)],
)
def test_the_ceiling_is_due_on_the_anniversary_and_after(today: dt.date, due: bool) -> None:
    retention = retention_for(CLOSED, retention_years=2)
    assert retention.due_on == dt.date(2026, 2, 3)
    assert is_due(retention, today) is due
    assert retention.reason == "gesloten 3 februari 2024, 2 jaar bewaard"
    assert not retention.postponed


@pytest.mark.parametrize(
    ("today", "due"),
    [(dt.date(2025, 2, 28), False), (dt.date(2025, 3, 1), True), (dt.date(2025, 3, 2), True)],
)
def test_a_published_report_makes_it_due_before_the_ceiling(today: dt.date, due: bool) -> None:
    retention = retention_for(CLOSED, retention_years=2, report_published_on=dt.date(2025, 3, 1))
    assert retention.due_on == dt.date(2025, 3, 1)
    assert is_due(retention, today) is due
    assert retention.reason == "jaarverslag 2024 uitgebracht op 1 maart 2025"


def test_the_ceiling_holds_when_the_report_comes_late() -> None:
    retention = retention_for(CLOSED, retention_years=1, report_published_on=dt.date(2025, 6, 1))
    assert retention.due_on == dt.date(2025, 2, 3)
    assert retention.reason == "gesloten 3 februari 2024, 1 jaar bewaard"


def test_a_report_published_before_closing_counts_from_the_closing_day() -> None:
    closed = dt.date(2024, 12, 20)
    retention = retention_for(closed, retention_years=2, report_published_on=dt.date(2024, 12, 15))
    assert retention.due_on == closed
    assert not is_due(retention, dt.date(2024, 12, 19))
    assert is_due(retention, closed)


@pytest.mark.parametrize(
    ("today", "due"),
    [(dt.date(2026, 2, 27), False), (dt.date(2026, 2, 28), True), (dt.date(2026, 3, 1), True)],
)
def test_a_case_closed_on_a_leap_day(today: dt.date, due: bool) -> None:
    retention = retention_for(dt.date(2024, 2, 29), retention_years=2)
    assert retention.due_on == dt.date(2026, 2, 28)
    assert is_due(retention, today) is due


def test_a_leap_day_to_a_leap_year_stays_on_the_leap_day() -> None:
    assert retention_for(dt.date(2024, 2, 29), retention_years=4).due_on == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("today", "due"),
    [(dt.date(2026, 5, 31), False), (dt.date(2026, 6, 1), True), (dt.date(2026, 6, 2), True)],
)
def test_a_postponement_moves_the_day(today: dt.date, due: bool) -> None:
    retention = retention_for(
        CLOSED,
        retention_years=2,
        report_published_on=dt.date(2025, 3, 1),
        postponed_until=dt.date(2026, 6, 1),
    )
    assert retention.due_on == dt.date(2026, 6, 1)
    assert retention.postponed
    assert is_due(retention, today) is due
    assert retention.reason == (
        "jaarverslag 2024 uitgebracht op 1 maart 2025; uitgesteld tot 1 juni 2026"
    )


def test_a_postponement_never_makes_a_case_due_earlier() -> None:
    retention = retention_for(CLOSED, retention_years=2, postponed_until=dt.date(2025, 1, 1))
    assert retention.due_on == dt.date(2026, 2, 3)
    assert not retention.postponed


def test_the_reason_in_english() -> None:
    i18n.set_language("en")
    retention = retention_for(CLOSED, retention_years=2, report_published_on=dt.date(2025, 3, 1))
    assert retention.reason == "2024 report published on 1 March 2025"
    assert retention_for(CLOSED, retention_years=2).reason == (
        "closed 3 February 2024, kept 2 years"
    )
