"""Counting the yearly report over hand-built statistical records with known answers."""

from __future__ import annotations

import pytest

from confidant_tui.domain.report import count_year, hours_from_minutes
from confidant_tui.domain.statistics import (
    UNKNOWN,
    StatRecord,
    relations_of,
    year_end_statuses,
)


def record(year: int = 2025, **facts) -> StatRecord:
    base = {
        "organisation": "Partij",
        "year_opened": year,
        "categories": frozenset({"bullying"}),
        "role": "employee",
    }
    base.update(facts)
    return StatRecord(**base)


def test_cases_opened_and_single_valued_breakdowns_count_only_cases_opened_in_the_year() -> None:
    items = [
        record(2025, role="employee", level="local", power_imbalance=True),
        record(2025, role="volunteer", power_imbalance=False),
        record(2025, role="employee", level="local"),
        record(2024, role="member", level="regional", power_imbalance=True),
    ]
    figures = count_year(items, 2025)
    assert figures.cases_opened == 3
    assert figures.breakdowns["by_role"] == {"employee": 2, "volunteer": 1}
    assert figures.breakdowns["by_level"] == {"local": 2, UNKNOWN: 1}
    assert figures.breakdowns["power_imbalance"] == {"true": 1, "false": 1, UNKNOWN: 1}


def test_a_case_counts_once_per_top_level_category_and_per_distinct_relation() -> None:
    items = [
        record(categories=frozenset({"bullying", "integrity"}), relations=frozenset({"manager"})),
        record(
            categories=frozenset({"bullying"}),
            relations=relations_of("manager", ["manager", "colleague", None]),
        ),
        record(categories=frozenset({"stalking"}), relations=relations_of(None, [])),
    ]
    figures = count_year(items, 2025)
    assert figures.breakdowns["by_category"] == {"bullying": 2, "integrity": 1, "stalking": 1}
    assert figures.breakdowns["by_relation"] == {"manager": 2, "colleague": 1, UNKNOWN: 2}


def test_open_at_end_follows_the_status_history_up_to_31_december() -> None:
    items = [
        record(2023, year_end_status=year_end_statuses([("2024-02-01", "closed")])),
        record(2024, year_end_status=year_end_statuses([("2025-03-01", "closed")])),
        record(
            2024,
            year_end_status=year_end_statuses(
                [("2024-05-01", "closed"), ("2025-01-10", "open"), ("2025-12-31", "closed")]
            ),
        ),
        record(2025, year_end_status=year_end_statuses([("2025-06-01", "aftercare")])),
        record(2026),
    ]
    assert count_year(items, 2024).open_at_end == 1  # the second (closed only in 2025)
    assert count_year(items, 2025).open_at_end == 1  # the aftercare case
    assert count_year(items, 2023).open_at_end == 1


def test_same_day_changes_keep_the_later_one() -> None:
    assert year_end_statuses([("2025-05-01", "closed"), ("2025-05-01", "open")]) == (
        (2025, "open"),
    )


def test_conversations_and_hours_count_what_is_dated_in_the_year_whatever_the_case_year() -> None:
    items = [
        record(2024, conversations=((2024, 3, 100), (2025, 2, 50))),
        record(2025, conversations=((2025, 1, 40),)),
    ]
    figures = count_year(items, 2025)
    assert figures.conversations == 3
    assert figures.minutes == 90
    assert figures.hours == 2  # 1.5 rounded half up
    assert count_year(items, 2024).hours == 2  # 100 minutes -> 1.67 -> 2


def test_hours_round_half_up() -> None:
    assert [hours_from_minutes(m) for m in (0, 29, 30, 89, 90, 150)] == [0, 0, 1, 1, 2, 3]


def test_routes_count_cases_per_route_and_referrals_and_grounds_count_entries_dated_in_the_year() -> (
    None
):
    items = [
        record(
            2024,
            routes=((2025, "advice"), (2025, "formal.complaint"), (2024, "advice")),
            referrals=((2025, "gp", 2), (2024, "gp", 1)),
            protocol_grounds=((2025, "consent", 2),),
        ),
        record(2025, routes=((2025, "advice"),), referrals=((2025, "occupational_health", 1),)),
    ]
    figures = count_year(items, 2025)
    assert figures.breakdowns["by_route"] == {"advice": 2, "formal.complaint": 1}
    assert figures.breakdowns["by_referral"] == {"gp": 2, "occupational_health": 1}
    assert figures.breakdowns["by_protocol_ground"] == {"consent": 2}
    assert count_year(items, 2024).breakdowns["by_route"] == {"advice": 1}


def test_a_withdrawn_statistics_consent_leaves_the_case_out_of_every_figure() -> None:
    withdrawn = record(
        2025,
        statistics_withdrawn=True,
        conversations=((2025, 4, 240),),
        routes=((2025, "advice"),),
        referrals=((2025, "gp", 1),),
        protocol_grounds=((2025, "consent", 1),),
    )
    figures = count_year([withdrawn, record(2025)], 2025)
    assert figures.cases_opened == 1
    assert figures.open_at_end == 1
    assert figures.conversations == 0 and figures.minutes == 0
    assert all(
        figures.breakdowns[n] == {} for n in ("by_route", "by_referral", "by_protocol_ground")
    )


def test_a_record_survives_its_dict_form() -> None:
    original = record(
        2024,
        relations=frozenset({"manager", UNKNOWN}),
        power_imbalance=False,
        year_end_status=((2025, "closed"),),
        conversations=((2024, 2, 90),),
        routes=((2024, "advice"),),
        referrals=((2024, "gp", 1),),
        protocol_grounds=((2024, "consent", 1),),
    )
    data = original.to_dict()
    assert StatRecord.from_dict(data) == original
    # nothing finer than the year, no code or text
    assert set(data) == {
        "format",
        "organisation",
        "year_opened",
        "categories",
        "role",
        "level",
        "relations",
        "power_imbalance",
        "year_end_status",
        "conversations",
        "routes",
        "referrals",
        "protocol_grounds",
        "statistics_withdrawn",
        "outcome",
        "experience",
        "route_outcomes",
        "measures",
    }


def test_a_record_kept_in_format_1_is_still_read() -> None:
    """Records kept before outcomes were counted lack them: read, they count as unknown."""
    kept = record(2024, year_end_status=((2025, "closed"),)).to_dict()
    for name in ("outcome", "experience", "route_outcomes", "measures"):
        del kept[name]
    kept["format"] = 1
    again = StatRecord.from_dict(kept)
    assert (again.outcome, again.experience, again.route_outcomes, again.measures) == (
        UNKNOWN,
        UNKNOWN,
        (),
        (),
    )
    figures = count_year([again], 2025)
    assert figures.cases_closed == 1 and figures.breakdowns["by_outcome"] == {UNKNOWN: 1}
    with pytest.raises(ValueError, match="format"):
        StatRecord.from_dict({**kept, "format": 3})


def test_outcomes_count_the_cases_closed_in_the_year_and_the_routes_ended_in_it() -> None:
    closed = record(
        2024,
        year_end_status=((2024, "aftercare"), (2025, "closed")),
        outcome="measure_taken",
        experience="mixed",
        route_outcomes=((2024, "upheld", 1), (2025, "withdrawn", 2)),
        measures=((2024, "warning", 1),),
    )
    closed_before = record(2023, year_end_status=((2024, "closed"),), outcome="withdrawn")
    figures = count_year([closed, closed_before], 2025)
    assert figures.cases_closed == 1
    assert figures.breakdowns["by_outcome"] == {"measure_taken": 1}
    assert figures.breakdowns["by_experience"] == {"mixed": 1}
    assert figures.routes_ended == 2
    assert figures.breakdowns["by_route_outcome"] == {"withdrawn": 2}
    assert figures.breakdowns["by_measure"] == {}
    earlier = count_year([closed, closed_before], 2024)
    assert earlier.cases_closed == 1 and earlier.breakdowns["by_outcome"] == {"withdrawn": 1}
    assert earlier.breakdowns["by_measure"] == {"warning": 1}
