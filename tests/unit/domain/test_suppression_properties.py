"""Property tests of the suppression: over random cases, nothing hidden can be worked out.

The checker here is independent of `suppression_audit`: it enumerates, by dynamic
programming over possible sums, every value each hidden cell can take given what is
published, the meaning of the marks and how the figures hang together (docs/report.md):
the case breakdowns with `cases_opened`, the outcomes of the cases closed with
`cases_closed` (which the reader is taken to know exactly), and the outcomes and measures of
the routes ended with `routes_ended`. Activities are event counts: only the small-count rule.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from confidant_tui.domain.report import COUNTS, count_year
from confidant_tui.domain.statistics import StatRecord, per_year_counts
from confidant_tui.domain.suppression import PublishedFigures, suppress, true_value

YEAR = 2025
ROLES = ("employee", "volunteer", "member", "intern")
LEVELS = ("local", "regional", "unknown")
CATEGORIES = ("bullying", "stalking", "integrity", "other")
RELATIONS = ("manager", "colleague", "unknown")
ROUTES = ("advice", "formal.complaint", "informal.hr")
OUTCOMES = ("resolved_informally", "measure_taken", "unknown")
EXPERIENCES = ("positive", "negative", "unknown")
ROUTE_OUTCOMES = ("upheld", "not_upheld", "unknown")
MEASURES = ("warning", "suspension", "own.course")
ACTIVITIES = ("advice_requested", "information_session", "supervision")
DOMAINS = {
    "by_role": ROLES,
    "by_level": LEVELS,
    "power_imbalance": ("true", "false", "unknown"),
    "by_category": CATEGORIES,
    "by_relation": RELATIONS,
    "by_outcome": OUTCOMES,
    "by_experience": EXPERIENCES,
    "by_route_outcome": ROUTE_OUTCOMES,
    "by_measure": MEASURES,
}

# (total, how it is known, {breakdown: relation to the total}), as docs/report.md says.
GROUPS = (
    (
        "cases_opened",
        "published",
        {
            "by_role": "=",
            "by_level": "=",
            "power_imbalance": "=",
            "by_category": ">=",
            "by_relation": ">=",
        },
    ),
    ("cases_closed", "known", {"by_outcome": "=", "by_experience": "="}),
    ("routes_ended", "published", {"by_route_outcome": "=", "by_measure": "<="}),
)


@st.composite
def records(draw: st.DrawFn) -> StatRecord:
    year = draw(st.sampled_from((YEAR - 1, YEAR, YEAR)))
    later = st.integers(year, YEAR + 1)
    return StatRecord(
        organisation=None,
        year_opened=year,
        categories=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=2))),
        role=draw(st.sampled_from(ROLES)),
        level=draw(st.sampled_from(LEVELS)),
        relations=frozenset(draw(st.sets(st.sampled_from(RELATIONS), min_size=1, max_size=2))),
        power_imbalance=draw(st.sampled_from((True, False, None))),
        year_end_status=tuple(
            sorted({(draw(later), draw(st.sampled_from(("aftercare", "closed"))))})[:1]
        ),
        conversations=((year, draw(st.integers(0, 3)), draw(st.integers(0, 200))),),
        routes=tuple(sorted({(draw(later), r) for r in draw(st.sets(st.sampled_from(ROUTES)))})),
        referrals=((YEAR, "gp", draw(st.integers(0, 2))),),
        protocol_grounds=(),
        statistics_withdrawn=draw(st.booleans()) and draw(st.booleans()),
        outcome=draw(st.sampled_from(OUTCOMES)),
        experience=draw(st.sampled_from(EXPERIENCES)),
        **draw(ended_routes(year)),
    )


@st.composite
def ended_routes(draw: st.DrawFn, year: int) -> dict:
    """Routes that ended (in the year or the next), each with an outcome and maybe a measure."""
    ended = draw(
        st.lists(
            st.tuples(
                st.integers(year, YEAR + 1),
                st.sampled_from(ROUTE_OUTCOMES),
                st.none() | st.sampled_from(MEASURES),
            ),
            max_size=3,
        )
    )
    outcomes = per_year_counts((when, outcome) for when, outcome, _m in ended)
    measures = per_year_counts((when, m) for when, _o, m in ended if m is not None)
    return {"route_outcomes": outcomes, "measures": measures}


activities = st.dictionaries(
    st.sampled_from(ACTIVITIES), st.tuples(st.integers(0, 9), st.integers(0, 600)), max_size=3
)


def _mark_bounds(value: object, k: int, ceiling: int, withheld: bool, cap: int) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    if withheld:
        return 0, cap
    if value == f"<{k}":
        return 1, k - 1
    assert value == "x"
    return k, min(ceiling, cap)


def _sums(bounds: list[tuple[int, int]], cap: int) -> set[int]:
    """Every sum the cells can reach (sums above `cap` saturate at cap + 1)."""
    reach = {0}
    for lo, hi in bounds:
        reach = {min(s + v, cap + 1) for s in reach for v in range(lo, hi + 1)}
    return reach


def _possible(
    pub: PublishedFigures, figures, k: int, group: tuple
) -> tuple[set[int], dict[tuple[str, str], set[int]]]:
    """Every value one group's total and each of its hidden cells can take, by enumeration."""
    name_total, known, parts = group
    total = getattr(pub, name_total)
    published_ints = sum(
        v for name in parts for v in pub.breakdowns[name].values() if isinstance(v, int)
    )
    if known == "known":
        candidates = [true_value(figures, (name_total, None))]
    elif isinstance(total, int):
        candidates = [total]
    elif total == f"<{k}":
        candidates = list(range(1, k))
    else:
        candidates = list(range(k, published_ints + 12 * k + 40))
    values: dict[tuple[str, str], set[int]] = {}
    totals: set[int] = set()
    for t in candidates:
        per_t: dict[tuple[str, str], set[int]] = {}
        ok = True
        for name, relation in parts.items():
            cells = pub.breakdowns[name]
            ints = [v for v in cells.values() if isinstance(v, int)]
            ceiling = min((v for v in ints if v > 0), default=10**9)
            fixed = sum(ints)
            if any(v > t for v in ints):
                ok = False
                break
            hidden = [
                (key, _mark_bounds(v, k, ceiling, name in pub.withheld, t))
                for key, v in cells.items()
                if not isinstance(v, int)
            ]

            def fits(total_: int, t: int = t, relation: str = relation) -> bool:
                if relation == "=":
                    return total_ == t
                return total_ >= t if relation == ">=" else total_ <= t

            any_cell = False
            for index, (key, (lo, hi)) in enumerate(hidden):
                others = _sums([b for j, (_, b) in enumerate(hidden) if j != index], t)
                found = {v for v in range(lo, hi + 1) if any(fits(fixed + v + s) for s in others)}
                per_t[(name, key)] = found
                any_cell = any_cell or bool(found)
            if hidden and not any_cell:
                ok = False
                break
            if not hidden and not fits(fixed):
                ok = False
                break
        if not ok or any(not found for found in per_t.values()):
            continue
        totals.add(t)
        for cell, found in per_t.items():
            values.setdefault(cell, set()).update(found)
    return totals, values


def check_published(figures, pub: PublishedFigures, k: int) -> None:
    """Asserts every promise the published figures make (see docs/report.md)."""
    small = f"<{k}"
    cells = [(name, None, getattr(pub, name)) for name in COUNTS]
    cells += [(n, key, v) for n, keyed in pub.breakdowns.items() for key, v in keyed.items()]
    for name, key, value in cells:
        truth = true_value(figures, (name, key))
        if isinstance(value, int):
            assert value == truth, (name, key)
            assert not 0 < value < k, (name, key)
        elif value == small:
            assert 0 < truth < k, (name, key)
        else:
            assert value == "x"
            assert truth >= k or name in pub.withheld, (name, key)
    for name, keyed in figures.breakdowns.items():
        for key, truth in keyed.items():
            shown = pub.breakdowns[name].get(key, 0)
            assert shown != 0 or truth == 0, (name, key)
    # x is never larger than a published count of its breakdown (the reader may rely on it)
    for name, keyed in pub.breakdowns.items():
        if name in pub.withheld:
            continue
        ints = [v for v in keyed.values() if isinstance(v, int) and v > 0]
        for key, v in keyed.items():
            if v == "x" and ints:
                assert true_value(figures, (name, key)) <= min(ints)
    for group in GROUPS:
        name_total, known, parts = group
        total = getattr(pub, name_total)
        # a breakdown that adds up to a known total never has exactly one hidden cell
        if isinstance(total, int) or known == "known":
            for name, relation in parts.items():
                hidden = [v for v in pub.breakdowns[name].values() if not isinstance(v, int)]
                assert relation != "=" or len(hidden) != 1, name
        # and, stronger, no hidden value is pinned
        totals, values = _possible(pub, figures, k, group)
        assert true_value(figures, (name_total, None)) in totals, name_total
        if not isinstance(total, int) and known != "known":
            assert len(totals) >= 2, f"{name_total} can be recomputed"
        for cell, found in values.items():
            assert true_value(figures, cell) in found, cell
            assert len(found) >= 2, f"{cell} can be recomputed: {found}"


@settings(max_examples=200, deadline=None)
@given(st.lists(records(), max_size=30), st.integers(3, 6), activities)
def test_nothing_published_is_false_small_or_recomputable(items, k, work) -> None:
    for year in (YEAR, YEAR - 1):
        figures = count_year(items, year, work)
        result = suppress(figures, k, DOMAINS)
        check_published(figures, result.published, k)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.sampled_from(ROLES), min_size=n, max_size=n),
            st.lists(st.sampled_from(LEVELS), min_size=n, max_size=n),
        )
    ),
    st.integers(3, 6),
)
def test_skewed_single_valued_breakdowns_stay_protected(data, k) -> None:
    """Many cases, few of some roles: the corner cases of the arithmetic (1s next to k)."""
    _n, roles, levels = data
    items = [
        StatRecord(None, YEAR, frozenset({"bullying"}), role, level)
        for role, level in zip(roles, levels, strict=True)
    ]
    figures = count_year(items, YEAR)
    check_published(figures, suppress(figures, k, DOMAINS).published, k)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(OUTCOMES),
            st.sampled_from(EXPERIENCES),
            st.sampled_from(ROUTE_OUTCOMES),
            st.none() | st.sampled_from(MEASURES),
        ),
        max_size=25,
    ),
    st.integers(3, 6),
)
def test_skewed_outcomes_and_measures_stay_protected(closed, k) -> None:
    """Cases closed and routes ended in the year, few of some outcomes or measures."""
    items = [
        StatRecord(
            None,
            YEAR - 1,
            frozenset({"bullying"}),
            "member",
            year_end_status=((YEAR, "closed"),),
            outcome=outcome,
            experience=experience,
            route_outcomes=((YEAR, route_outcome, 1),),
            measures=() if measure is None else ((YEAR, measure, 1),),
        )
        for outcome, experience, route_outcome, measure in closed
    ]
    figures = count_year(items, YEAR)
    assert figures.cases_closed == len(closed) == figures.routes_ended
    check_published(figures, suppress(figures, k, DOMAINS).published, k)


def test_a_measure_is_not_given_away_by_the_routes_it_belongs_to() -> None:
    """Six routes ended, all upheld; five warnings and one suspension: the suspension is at
    most 6 - 5 = 1, so `<5` alone would say it is 1. Hiding the warnings is not enough
    (x >= 5 and x + <5 <= 6 pin both), so the number of routes ended goes too, and then the
    outcome that would give it back."""
    items = [
        StatRecord(
            None,
            YEAR,
            frozenset({"bullying"}),
            "member",
            route_outcomes=((YEAR, "upheld", 1),),
            measures=((YEAR, "suspension" if n == 0 else "warning", 1),),
        )
        for n in range(6)
    ]
    figures = count_year(items, YEAR)
    published = suppress(figures, 5, DOMAINS).published
    assert published.breakdowns["by_measure"] == {"suspension": "<5", "warning": "x"}
    assert published.routes_ended == "x"
    assert published.breakdowns["by_route_outcome"] == {"upheld": "x"}
    check_published(figures, published, 5)


@settings(max_examples=100, deadline=None)
@given(activities, st.integers(3, 6))
def test_activities_are_counted_and_small_counts_hidden(work, k) -> None:
    figures = count_year([], YEAR, work)
    published = suppress(figures, k, DOMAINS).published
    for kind, (number, _minutes) in work.items():
        shown = published.breakdowns["by_activity"].get(kind, 0)
        assert shown == (number if number == 0 or number >= k else f"<{k}")
    minutes = sum(spent for _number, spent in work.values())
    assert published.activity_hours == (minutes + 30) // 60
    assert published.total_hours == published.hours + published.activity_hours
