"""The timeline's one ordering rule (`presenters.timeline.entry_order`), for every kind."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from confidant_tui.ui.presenters.timeline import Entry, in_order

DAY = dt.date(2025, 5, 20)


def entry(
    key: str,
    date: dt.date = DAY,
    time: dt.time | None = None,
    *,
    late: bool = False,
    seq: tuple[int, int] = (0, 0),
) -> Entry:
    return Entry(key, date, "kind", Text(key), Text(key), time=time, late=late, seq=seq)


def test_a_day_opens_with_untimed_entries_then_by_time_then_the_outcomes() -> None:
    shuffled = [
        entry("referral", late=True, seq=(2, 1)),
        entry("consent 10:30", time=dt.time(10, 30)),
        entry("status", late=True, seq=(3, 0)),
        entry("conversation without time", seq=(1, 7)),
        entry("procedure 10:00", time=dt.time(10, 0)),
        entry("route", late=True, seq=(1, 4)),
        entry("conversation 09:00", time=dt.time(9, 0)),
        entry("yesterday's referral", date=DAY - dt.timedelta(days=1), late=True),
        entry("opened", seq=(0, 0)),
    ]
    assert [e.key for e in in_order(shuffled)] == [
        "yesterday's referral",
        "opened",
        "conversation without time",
        "conversation 09:00",
        "procedure 10:00",
        "consent 10:30",
        "route",
        "referral",
        "status",
    ]


def test_entries_at_the_same_moment_keep_their_recording_order() -> None:
    at = dt.time(11, 0)
    entries = [
        entry("second consent", time=at, seq=(1, 9)),
        entry("first consent", time=at, seq=(1, 3)),
        entry("procedure", time=at, seq=(0, 2)),
    ]
    assert [e.key for e in in_order(entries)] == ["procedure", "first consent", "second consent"]
