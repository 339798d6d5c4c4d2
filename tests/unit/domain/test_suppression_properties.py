"""Property tests of the suppression: over random cases, nothing hidden can be worked out.

The checker here is independent of `suppression_audit`: it enumerates, by dynamic
programming over possible sums, every value each hidden cell can take given what is
published, the meaning of the marks and how the figures hang together (docs/report.md).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from confidant_tui.domain.report import CASE_MULTI, CASE_SINGLE, COUNTS, count_year
from confidant_tui.domain.statistics import StatRecord
from confidant_tui.domain.suppression import PublishedFigures, suppress, true_value

YEAR = 2025
ROLES = ("employee", "volunteer", "member", "intern")
LEVELS = ("local", "regional", "unknown")
CATEGORIES = ("bullying", "stalking", "integrity", "other")
RELATIONS = ("manager", "colleague", "unknown")
ROUTES = ("advice", "formal.complaint", "informal.hr")
DOMAINS = {
    "by_role": ROLES,
    "by_level": LEVELS,
    "power_imbalance": ("true", "false", "unknown"),
    "by_category": CATEGORIES,
    "by_relation": RELATIONS,
}


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


def _possible(pub: PublishedFigures, k: int) -> tuple[set[int], dict[tuple[str, str], set[int]]]:
    """Every value the total and each hidden case cell can take, by enumeration."""
    total = pub.cases_opened
    published_ints = sum(
        v for name in DOMAINS for v in pub.breakdowns[name].values() if isinstance(v, int)
    )
    if isinstance(total, int):
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
        for name in (*CASE_SINGLE, *CASE_MULTI):
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
            any_cell = False
            for index, (key, (lo, hi)) in enumerate(hidden):
                others = _sums([b for j, (_, b) in enumerate(hidden) if j != index], t)
                found = set()
                for v in range(lo, hi + 1):
                    if name in CASE_SINGLE:
                        if any(fixed + v + s == t for s in others):
                            found.add(v)
                    elif any(fixed + v + s >= t for s in others):
                        found.add(v)
                per_t[(name, key)] = found
                any_cell = any_cell or bool(found)
            if hidden and not any_cell:
                ok = False
                break
            if not hidden:
                if name in CASE_SINGLE and fixed != t:
                    ok = False
                    break
                if name in CASE_MULTI and fixed < t:
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
    # a breakdown that adds up to a published total never has exactly one hidden cell
    if isinstance(pub.cases_opened, int):
        for name in CASE_SINGLE:
            hidden = [v for v in pub.breakdowns[name].values() if not isinstance(v, int)]
            assert len(hidden) != 1, name
    # and, stronger, no hidden value is pinned
    totals, values = _possible(pub, k)
    assert figures.cases_opened in totals
    if not isinstance(pub.cases_opened, int):
        assert len(totals) >= 2, "cases_opened can be recomputed"
    for cell, found in values.items():
        assert true_value(figures, cell) in found, cell
        assert len(found) >= 2, f"{cell} can be recomputed: {found}"


@settings(max_examples=200, deadline=None)
@given(st.lists(records(), max_size=30), st.integers(3, 6))
def test_nothing_published_is_false_small_or_recomputable(items, k) -> None:
    for year in (YEAR, YEAR - 1):
        figures = count_year(items, year)
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
