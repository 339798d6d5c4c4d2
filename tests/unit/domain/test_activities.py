"""The rules of an entry of work outside cases, and durations typed as minutes or h:mm."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from confidant_tui.domain.activities import (
    MAX_NOTES,
    Activity,
    ActivityFilter,
    activity_problems,
    check_activity,
    format_duration,
    parse_duration,
)
from confidant_tui.errors import ValidationError
from tests.conftest import TAXONOMY

TODAY = dt.date(2026, 11, 23)
GOOD = Activity("Mijn organisatie", "supervision", TODAY, 90, "Intervisie met collega's")


def fields(activity: Activity) -> list[str]:
    return [path for path, _message in activity_problems(activity, TAXONOMY, TODAY)]


def test_a_good_entry_has_no_problems() -> None:
    assert activity_problems(GOOD, TAXONOMY, TODAY) == []
    check_activity(GOOD, TAXONOMY, TODAY)


@pytest.mark.parametrize("kind", sorted(TAXONOMY.keys("activity")))
def test_every_shipped_kind_is_valid(kind: str) -> None:
    assert fields(replace(GOOD, kind=kind)) == []


def test_an_unknown_or_missing_kind_is_refused() -> None:
    assert fields(replace(GOOD, kind="gossip")) == ["kind"]
    assert fields(replace(GOOD, kind="")) == ["kind"]


def test_the_date_may_be_today_but_not_tomorrow() -> None:
    assert fields(replace(GOOD, date=TODAY - dt.timedelta(days=400))) == []
    assert fields(replace(GOOD, date=TODAY + dt.timedelta(days=1))) == ["date"]


@pytest.mark.parametrize(("minutes", "ok"), [(0, True), (1440, True), (1441, False), (-1, False)])
def test_minutes_lie_within_a_day(minutes: int, ok: bool) -> None:
    assert fields(replace(GOOD, minutes=minutes)) == ([] if ok else ["minutes"])


@pytest.mark.parametrize(
    "subject",
    ["", "   ", "x" * 201, "twee\nregels", "escape \x1b[31m", "tab\there"],
)
def test_a_bad_subject_is_refused(subject: str) -> None:
    assert fields(replace(GOOD, subject=subject)) == ["subject"]


def test_a_subject_of_exactly_200_characters_and_markup_looking_text_are_fine() -> None:
    assert fields(replace(GOOD, subject="x" * 200)) == []
    assert fields(replace(GOOD, subject="[bold]x[/bold]")) == []


def test_notes_are_bounded_but_may_hold_lines() -> None:
    assert fields(replace(GOOD, notes="regel 1\nregel 2")) == []
    assert fields(replace(GOOD, notes="x" * (MAX_NOTES + 1))) == ["notes"]


def test_every_problem_is_named_at_once_and_raised_together() -> None:
    bad = Activity("X", "gossip", TODAY + dt.timedelta(days=1), 2000, "")
    assert fields(bad) == ["kind", "date", "minutes", "subject"]
    with pytest.raises(ValidationError) as raised:
        check_activity(bad, TAXONOMY, TODAY)
    assert [path for path, _m in raised.value.problems] == ["kind", "date", "minutes", "subject"]
    assert "4" in raised.value.message


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90", 90),
        (" 45 ", 45),
        ("1:30", 90),
        ("0:05", 5),
        ("24:00", 1440),
        ("2u15", 135),
        ("", None),
    ],
)
def test_durations_are_read_as_minutes_or_hours_and_minutes(text: str, minutes: int | None) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["1:75", "anderhalf", "1,5", "-5", "1:3", "12345"])
def test_an_unreadable_duration_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValueError, match="1:30"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0:00"), (5, "0:05"), (90, "1:30"), (1440, "24:00")]
)
def test_durations_are_shown_as_hours_and_minutes(minutes: int, shown: str) -> None:
    assert format_duration(minutes) == shown
    assert parse_duration(shown) == minutes


def test_a_year_filter_covers_the_calendar_year() -> None:
    found = ActivityFilter.for_year(2025, "Org")
    assert (found.organisation, found.start, found.end) == (
        "Org",
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert ActivityFilter.for_year(None) == ActivityFilter()
