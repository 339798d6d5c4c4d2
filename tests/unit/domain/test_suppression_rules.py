"""The suppression rules on hand-made figures whose safe answer is known."""

from __future__ import annotations

import pytest

from confidant_tui.domain.report import BREAKDOWNS, ReportFigures
from confidant_tui.domain.suppression import (
    COMPLEMENT,
    SMALL,
    TOTAL_HIDDEN,
    WITHHELD,
    PublishedFigures,
    suppress,
)
from confidant_tui.domain.suppression_audit import audit


def figures(total: int, **breakdowns: dict[str, int]) -> ReportFigures:
    cells = {name: {} for name in BREAKDOWNS}
    filled = {
        "by_role": {"employee": total},
        "by_level": {"local": total},
        "power_imbalance": {"true": total},
        "by_category": {"bullying": total},
        "by_relation": {"manager": total},
    }
    cells.update({k: v for k, v in filled.items() if total})
    cells.update(breakdowns)
    return ReportFigures(2025, total, 3, 12, 95, cells)


def test_small_counts_are_marked_and_zero_stays_zero() -> None:
    result = suppress(figures(0), 5).published
    assert result.cases_opened == 0
    assert result.open_at_end == "<5"
    assert result.conversations == 12
    assert result.hours == 2
    assert all(result.breakdowns[name] == {} for name in ("by_role", "by_route"))


def test_one_small_cell_gets_its_smallest_neighbour_hidden_as_x() -> None:
    result = suppress(figures(20, by_role={"employee": 12, "volunteer": 6, "intern": 2}), 5)
    assert result.published.cases_opened == 20
    assert dict(result.published.breakdowns["by_role"]) == {
        "employee": 12,
        "volunteer": "x",
        "intern": "<5",
    }
    reasons = {(h.figure, h.key): (h.reason, h.protects) for h in result.hidden}
    assert reasons[("by_role", "intern")] == (SMALL, None)
    assert reasons[("by_role", "volunteer")] == (COMPLEMENT, ("by_role", "intern"))


def test_two_ones_beside_a_published_total_are_not_left_to_be_solved() -> None:
    # 18 + <5 + <5 = 20 would give 1 and 1: the largest cell must go too.
    published = suppress(
        figures(20, by_role={"employee": 18, "volunteer": 1, "intern": 1}), 5
    ).published
    assert dict(published.breakdowns["by_role"]) == {
        "employee": "x",
        "volunteer": "<5",
        "intern": "<5",
    }


def test_a_complement_at_exactly_k_next_to_a_one_is_widened() -> None:
    # <5 + x = 6 with x >= 5 pins the pair (1 and 5); more must be hidden.
    result = suppress(
        figures(26, by_role={"employee": 1, "volunteer": 5, "member": 20}), 5
    ).published
    found = audit(result.cases_opened, result.breakdowns, 5, result.withheld)
    assert not found.pinned
    assert list(result.breakdowns["by_role"].values()).count("x") >= 2


def test_multi_valued_lower_bound_is_respected() -> None:
    # every case has a category: stalking >= 10 - 6 = 4, so "<5" alone would reveal 4.
    result = suppress(figures(10, by_category={"bullying": 6, "stalking": 4}), 5).published
    assert dict(result.breakdowns["by_category"]) == {"bullying": "x", "stalking": "<5"}


def test_multi_valued_cell_alone_is_safe_when_the_others_already_cover_the_total() -> None:
    result = suppress(figures(10, by_category={"bullying": 10, "stalking": 2}), 5).published
    assert dict(result.breakdowns["by_category"]) == {"bullying": 10, "stalking": "<5"}


def test_when_only_small_cells_remain_the_total_is_hidden_and_kept_unsolvable() -> None:
    result = suppress(
        figures(
            5,
            by_role={r: 1 for r in ("employee", "volunteer", "intern", "member", "guest")},
            power_imbalance={"true": 3, "false": 2},
        ),
        5,
    )
    published = result.published
    assert published.cases_opened == "x"
    assert any(h.reason == TOTAL_HIDDEN for h in result.hidden)
    # the breakdowns that would give the total away got an x each
    assert published.breakdowns["by_level"] == {"local": "x"}
    assert not audit(published.cases_opened, published.breakdowns, 5, published.withheld).pinned


def test_a_small_total_with_every_case_different_withholds_the_breakdown() -> None:
    roles = {r: 1 for r in ("employee", "volunteer", "intern", "member")}
    domains = {"by_role": ("employee", "volunteer", "intern", "member", "guest", "other")}
    result = suppress(figures(4, by_role=roles), 5, domains)
    published = result.published
    assert published.cases_opened == "<5"
    assert published.withheld == frozenset({"by_role"})
    assert set(published.breakdowns["by_role"].values()) == {"x"}
    assert set(published.breakdowns["by_role"]) == set(domains["by_role"])
    assert any(h.reason == WITHHELD for h in result.hidden)


def test_published_figures_survive_their_dict_form() -> None:
    published = suppress(figures(4, by_role={"a": 1, "b": 1, "c": 1, "d": 1}), 5).published
    again = PublishedFigures.from_dict(published.to_dict(internal=True))
    assert again == published
    assert "withheld" not in published.to_dict()


def test_threshold_below_three_is_refused() -> None:
    with pytest.raises(ValueError):
        suppress(figures(10), 2)
