"""Provides the disclosure audit: what a reader can work out from a published report.

The audit plays the careful reader of `docs/report.md`. It knows every published integer,
that `"<k"` hides a value from 1 to k-1, that `"x"` hides a value of at least k that is not
larger than any published count of its breakdown (the algorithm hides the smallest), that a
breakdown hidden whole (`withheld`) may hide any value, and how the figures hang together:

- `by_role`, `by_level` and `power_imbalance` each add up to `cases_opened`;
- every cell of `by_category` and `by_relation` is at most `cases_opened`, and together they
  are at least `cases_opened` (every case has at least one category and one relation);
- `by_outcome` and `by_experience` each add up to `cases_closed`, which the reader is taken
  to know exactly even when it is hidden (it follows from other published figures);
- `by_route_outcome` adds up to `routes_ended`; every cell of `by_measure` is at most
  `routes_ended` and together they are at most it (only some ended routes have a measure).

Each such set of breakdowns with its total is a `Group` (`domain.report.GROUPS`); the groups
share no unknown, so each is audited on its own. From this the audit computes, exactly,
every value each hidden cell can still take. A hidden cell that can take only one value is
*pinned*: it can be recomputed, and the suppression algorithm must hide more. Nothing else
links the published figures (routes started, referrals, protocol grounds and activities have
no total; last year's figures concern other cases).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from confidant_tui.domain.report import GROUPS, Group
from confidant_tui.domain.report_json import Cell

INF = 10**9
"""Stands for "no upper bound"."""

SMALL = "<"
HIDDEN = "x"


CellId = tuple[str, str | None]
"""(figure, key): ("by_role", "employee"), or ("cases_opened", None) for the total."""

TOTAL: CellId = ("cases_opened", None)

SINGLE, MULTI, SUBSET = "single", "multi", "subset"
"""How a breakdown relates to its total: sum = t; each <= t and sum >= t; each <= t and
sum <= t."""


@dataclass
class _Part:
    """One case breakdown as the reader sees it."""

    name: str
    mode: str
    fixed_sum: int
    fixed_max: int
    unknown: list[tuple[str, int, int]]

    @property
    def single(self) -> bool:
        return self.mode == SINGLE

    def feasible(self, t: int) -> bool:
        his = [min(hi, t) for _, _, hi in self.unknown]
        if any(lo > hi for (_, lo, _), hi in zip(self.unknown, his, strict=True)):
            return False
        low = self.fixed_sum + sum(lo for _, lo, _ in self.unknown)
        high = self.fixed_sum + sum(his)
        if self.mode == SINGLE:
            return low <= t <= high
        if self.mode == MULTI:
            return self.fixed_max <= t <= high
        return self.fixed_max <= t and low <= t

    def ranges(self, t: int) -> list[tuple[int, int]]:
        """Each unknown's interval of possible values when the total is `t` (feasible t)."""
        his = [min(hi, t) for _, _, hi in self.unknown]
        sum_lo = sum(lo for _, lo, _ in self.unknown)
        sum_hi = sum(his)
        rest = t - self.fixed_sum
        out = []
        for (_, lo, _), hi in zip(self.unknown, his, strict=True):
            low = lo if self.mode == SUBSET else max(lo, rest - (sum_hi - hi))
            high = hi if self.mode == MULTI else min(hi, rest - (sum_lo - lo))
            out.append((low, high))
        return out


def cell_bounds(cell: Cell, threshold: int, ceiling: int, withheld: bool) -> tuple[int, int]:
    """What the reader knows of one cell: its smallest and largest possible value.

    Args:
        cell: the published cell.
        threshold: k.
        ceiling: the smallest published non-zero count of the cell's breakdown (INF if none).
        withheld: the breakdown is hidden whole.
    """
    if isinstance(cell, int):
        return cell, cell
    if withheld:
        return 0, INF
    if cell.startswith(SMALL):
        return 1, threshold - 1
    return threshold, ceiling


def _parts(
    breakdowns: Mapping[str, Mapping[str, Cell]],
    threshold: int,
    withheld: frozenset[str],
    group: Group,
) -> list[_Part]:
    modes = {name: SINGLE for name in group.single}
    modes |= {name: MULTI for name in group.multi}
    modes |= {name: SUBSET for name in group.subset}
    parts = []
    for name, mode in modes.items():
        cells = breakdowns.get(name, {})
        ints = [v for v in cells.values() if isinstance(v, int)]
        ceiling = min((v for v in ints if v > 0), default=INF)
        unknown = [
            (key, *cell_bounds(v, threshold, ceiling, name in withheld))
            for key, v in cells.items()
            if not isinstance(v, int)
        ]
        parts.append(_Part(name, mode, sum(ints), max(ints, default=0), unknown))
    return parts


def _total_candidates(total: Cell, threshold: int, parts: list[_Part]) -> range:
    if isinstance(total, int):
        return range(total, total + 1)
    if total.startswith(SMALL):
        return range(1, threshold)
    cap = INF
    for part in parts:
        if part.single:
            cap = min(cap, part.fixed_sum + sum(hi for _, _, hi in part.unknown))
    if cap >= INF:
        known = sum(p.fixed_sum + sum(lo for _, lo, _ in p.unknown) for p in parts)
        cap = threshold + known + 4 * threshold
    return range(threshold, cap + 1)


@dataclass(frozen=True)
class Audit:
    """What the reader can work out.

    Attributes:
        totals: the values the group's total (`cases_opened`, ...) can take.
        ranges: for each hidden case-breakdown cell, (smallest, largest) possible value,
            or None when no value is consistent (impossible for a true report).
        pinned: hidden cells that can take only one value, in a fixed order (the total first).
        part_totals: for each breakdown of the group, how many values of the total it alone
            allows.
    """

    totals: tuple[int, ...]
    ranges: dict[CellId, tuple[int, int] | None]
    pinned: tuple[CellId, ...]
    part_totals: dict[str, int]


def audit(
    total: Cell,
    breakdowns: Mapping[str, Mapping[str, Cell]],
    threshold: int,
    withheld: frozenset[str] = frozenset(),
    group: Group = GROUPS[0],
) -> Audit:
    """Computes every value each hidden cell of one group's figures can still take.

    Args:
        total: the group's total as the reader knows it (the published cell; its true
            value for a total the reader can derive).
        breakdowns: the published breakdowns (only the group's are read).
        threshold: k.
        withheld: the breakdowns hidden whole.
        group: which total and breakdowns (default: the cases opened).

    Returns:
        The audit; `pinned` empty means nothing hidden can be recomputed.
    """
    parts = _parts(breakdowns, threshold, withheld, group)
    candidates = _total_candidates(total, threshold, parts)
    part_totals = {p.name: sum(1 for t in candidates if p.feasible(t)) for p in parts}
    totals = tuple(t for t in candidates if all(p.feasible(t) for p in parts))
    ranges: dict[CellId, tuple[int, int] | None] = {}
    values: dict[CellId, set[int]] = {}
    for part in parts:
        for key, _, _ in part.unknown:
            ranges[(part.name, key)] = None
            values[(part.name, key)] = set()
    for t in totals:
        for part in parts:
            for (key, _, _), (low, high) in zip(part.unknown, part.ranges(t), strict=True):
                if low > high:
                    continue
                cell = (part.name, key)
                known = ranges[cell]
                ranges[cell] = (
                    (low, high) if known is None else (min(known[0], low), max(known[1], high))
                )
                seen = values[cell]
                if len(seen) < 2:
                    seen.update(range(low, min(high, low + 1) + 1))
    pinned: list[CellId] = []
    if not isinstance(total, int) and len(totals) <= 1:
        pinned.append((group.total, None))
    pinned.extend(cell for cell, seen in values.items() if len(seen) <= 1)
    return Audit(totals, ranges, tuple(pinned), part_totals)
