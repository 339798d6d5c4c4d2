"""Provides `suppress`: turns true report figures into figures safe to publish.

The rules (why they are safe is argued in `docs/report.md`):

1. *Small counts.* Every count from 1 to k-1 is published as `"<k"`; 0 stays 0.
2. *Nothing hidden may be recomputed.* The disclosure audit (`suppression_audit`) works out
   what a reader can compute from everything published. While some hidden cell can take only
   one value, hide more, one cell at a time:
   a. in the breakdown of that cell, its smallest published non-zero count (ties: the first
      key), published as `"x"`;
   b. when the breakdown has no published count left, its group's total (`cases_opened`,
      `cases_closed`, `routes_ended`) as `"x"` (not `cases_closed`: a reader can derive it);
   c. when that is hidden too, the whole breakdown (every key `"x"`).
   When a total itself can be recomputed, (a) or (c) is applied to the breakdown of its
   group that pins it most tightly. Every step hides at least one more cell, so this ends.

The adviser gets the list of what was hidden and why (`Hidden`); the board never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from confidant_tui.domain.report import BREAKDOWNS, COUNTS, GROUPS, Group, ReportFigures
from confidant_tui.domain.report_json import YearFigures
from confidant_tui.domain.suppression_audit import HIDDEN, Cell, CellId, audit

NEW_COUNTS = ("cases_closed", "routes_ended")
"""Counts that reports published before outcomes were counted do not have."""

NEW_BREAKDOWNS = ("by_outcome", "by_experience", "by_route_outcome", "by_measure", "by_activity")
"""Breakdowns that reports published before outcomes and activities were counted lack."""

SMALL, COMPLEMENT, TOTAL_HIDDEN, WITHHELD = "small", "complement", "total", "withheld"
"""Why a cell was hidden: a small count; so that another cell cannot be recomputed; the total
hidden so that a breakdown cannot be recomputed; a breakdown hidden whole."""


@dataclass(frozen=True)
class Hidden:
    """One entry of the adviser's "what was hidden and why" list.

    Attributes:
        year: the year of the figure.
        figure: `cases_opened`, `conversations`, a breakdown name, ...
        key: the key within the breakdown; None for a single count or a whole breakdown.
        reason: `SMALL`, `COMPLEMENT`, `TOTAL_HIDDEN` or `WITHHELD`.
        protects: the cell whose recomputation this prevents (None for `SMALL`).
    """

    year: int
    figure: str
    key: str | None
    reason: str
    protects: CellId | None = None


@dataclass(frozen=True)
class PublishedFigures:
    """The figures of one year as they may be published.

    Attributes:
        year: the calendar year.
        threshold: k.
        cases_opened, open_at_end, conversations: an integer, `"<k"` or `"x"`.
        hours: whole hours in conversations (not a count of anything: never hidden).
        breakdowns: name -> key -> cell; zero cells are absent, except in a withheld one. A
            breakdown that a report published earlier did not have is absent as a whole.
        withheld: breakdowns hidden whole (every key `"x"`).
        cases_closed, routes_ended: like `cases_opened`; None in a report published before
            they were counted.
        activity_hours: whole hours of work outside cases (never hidden); None likewise.
    """

    year: int
    threshold: int
    cases_opened: Cell
    open_at_end: Cell
    conversations: Cell
    hours: int
    breakdowns: Mapping[str, Mapping[str, Cell]]
    withheld: frozenset[str] = field(default_factory=frozenset)
    cases_closed: Cell | None = None
    routes_ended: Cell | None = None
    activity_hours: int | None = None

    @property
    def total_hours(self) -> int | None:
        """Conversation hours plus other hours (None when the other hours are not known)."""
        return None if self.activity_hours is None else self.hours + self.activity_hours

    def to_dict(self, *, internal: bool = False) -> YearFigures:
        """The figures in the fields of the JSON report (without organisation and previous).

        Figures the year does not have (an earlier report read back) stay absent.

        Args:
            internal: also list the withheld breakdowns (`withheld`), for the copy kept in
                the vault; the board's outputs never carry it.
        """
        # The keys in the order of the JSON report (`BREAKDOWNS` for the breakdowns).
        document: dict[str, Any] = {
            "year": self.year,
            "threshold": self.threshold,
            "cases_opened": self.cases_opened,
            "open_at_end": self.open_at_end,
            "conversations": self.conversations,
            "cases_closed": self.cases_closed,
            "routes_ended": self.routes_ended,
            "hours": self.hours,
            "activity_hours": self.activity_hours,
            "total_hours": self.total_hours,
        }
        document = {key: value for key, value in document.items() if value is not None}
        for name in BREAKDOWNS:
            if name in self.breakdowns or name not in NEW_BREAKDOWNS:
                document[name] = dict(self.breakdowns.get(name, {}))
        if internal:
            document["withheld"] = sorted(self.withheld)
        return cast(YearFigures, document)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublishedFigures:
        """Reads figures back from `to_dict`'s output (a published report kept in the vault).

        Breakdowns are withheld only when the data lists them under `withheld`. A report
        published before outcomes and activities were counted lacks their figures: they
        stay absent (None, no breakdown), never a false 0.
        """
        activity_hours = data.get("activity_hours")
        return cls(
            year=int(data["year"]),
            threshold=int(data["threshold"]),
            cases_opened=data["cases_opened"],
            open_at_end=data["open_at_end"],
            conversations=data["conversations"],
            hours=int(data["hours"]),
            breakdowns={
                name: dict(data.get(name, {}))
                for name in BREAKDOWNS
                if name in data or name not in NEW_BREAKDOWNS
            },
            withheld=frozenset(data.get("withheld", ())),
            cases_closed=data.get("cases_closed"),
            routes_ended=data.get("routes_ended"),
            activity_hours=None if activity_hours is None else int(activity_hours),
        )


@dataclass(frozen=True)
class Suppressed:
    """The result of `suppress`: what may be published and what was hidden (adviser only)."""

    published: PublishedFigures
    hidden: tuple[Hidden, ...]


def small_mark(threshold: int) -> str:
    """The mark of a small count: `"<5"` for k = 5."""
    return f"<{threshold}"


def suppress(
    figures: ReportFigures,
    threshold: int,
    key_domains: Mapping[str, Sequence[str]] | None = None,
) -> Suppressed:
    """Applies the suppression rules to one year's true figures.

    Args:
        figures: the exact counts.
        threshold: k (at least 3).
        key_domains: every key each case breakdown can have (used only to hide a breakdown
            whole, so that its absent keys do not reveal zeros); keys with a count are added.

    Returns:
        The publishable figures and the adviser's list of what was hidden and why.
    """
    if threshold < 3:
        raise ValueError("the threshold must be at least 3")
    work = _Work(figures, threshold, key_domains or {})
    work.hide_small()
    for _ in range(10_000):
        if not work.protect_one():
            return work.result()
    raise RuntimeError("suppression did not converge")


class _Work:
    """The cells being decided, and the list of what was hidden."""

    def __init__(
        self, figures: ReportFigures, threshold: int, key_domains: Mapping[str, Sequence[str]]
    ) -> None:
        self.figures = figures
        self.k = threshold
        self.key_domains = key_domains
        self.true: dict[CellId, int] = {(name, None): figures.count(name) for name in COUNTS}
        self.order: dict[str, list[str]] = {}
        for name in BREAKDOWNS:
            counts = figures.breakdowns.get(name, {})
            self.order[name] = list(counts)
            for key, value in counts.items():
                self.true[(name, key)] = value
        self.cells: dict[CellId, Cell] = dict(self.true)
        self.withheld: list[str] = []
        self.hidden: list[Hidden] = []

    def _hide(self, cell: CellId, mark: str, reason: str, protects: CellId | None) -> None:
        self.cells[cell] = mark
        self.hidden.append(Hidden(self.figures.year, cell[0], cell[1], reason, protects))

    def hide_small(self) -> None:
        for cell, value in self.true.items():
            if 0 < value < self.k:
                self._hide(cell, small_mark(self.k), SMALL, None)

    def breakdowns(self) -> dict[str, dict[str, Cell]]:
        return {
            name: {key: self.cells[(name, key)] for key in self.order[name]} for name in BREAKDOWNS
        }

    def _smallest_published(self, name: str) -> CellId | None:
        best: CellId | None = None
        best_value = 0
        for key in self.order[name]:
            value = self.cells[(name, key)]
            if isinstance(value, int) and value > 0 and (best is None or value < best_value):
                best, best_value = (name, key), value
        return best

    def protect_one(self) -> bool:
        """Hides one more cell where a group's audit finds a pinned one; False: none is."""
        for group in GROUPS:
            total = (group.total, None)
            # A total the reader can derive is known to them, whatever is published.
            known = self.true[total] if group.derivable else self.cells[total]
            found = audit(known, self.breakdowns(), self.k, frozenset(self.withheld), group)
            if not found.pinned:
                continue
            target = found.pinned[0]
            if target == total:
                self.protect_total(group, found.part_totals)
            else:
                self.protect(group, target)
            return True
        return False

    def protect(self, group: Group, target: CellId) -> None:
        name = target[0]
        total = (group.total, None)
        smallest = None if name in self.withheld else self._smallest_published(name)
        if smallest is not None:
            self._hide(smallest, HIDDEN, COMPLEMENT, target)
        elif isinstance(self.cells[total], int) and not group.derivable:
            self._hide(total, HIDDEN, TOTAL_HIDDEN, target)
        elif name not in self.withheld:
            self.withhold(name)
        else:
            raise RuntimeError(f"cannot protect {target}")

    def protect_total(self, group: Group, part_totals: Mapping[str, int]) -> None:
        total = (group.total, None)
        candidates = sorted(
            (n for n in group.breakdowns if n not in self.withheld),
            key=lambda n: part_totals.get(n, 0),
        )
        for name in candidates:
            smallest = self._smallest_published(name)
            if smallest is not None:
                self._hide(smallest, HIDDEN, COMPLEMENT, total)
                return
        if not candidates:
            raise RuntimeError("cannot protect the total")
        self.withhold(candidates[0])

    def withhold(self, name: str) -> None:
        keys = list(dict.fromkeys([*self.key_domains.get(name, ()), *self.order[name]]))
        for key in keys:
            self.true.setdefault((name, key), 0)
            self.cells[(name, key)] = HIDDEN
        self.order[name] = keys
        self.withheld.append(name)
        self.hidden.append(Hidden(self.figures.year, name, None, WITHHELD, None))

    def result(self) -> Suppressed:
        c = self.cells
        published = PublishedFigures(
            year=self.figures.year,
            threshold=self.k,
            cases_opened=c[("cases_opened", None)],
            open_at_end=c[("open_at_end", None)],
            conversations=c[("conversations", None)],
            hours=self.figures.hours,
            breakdowns={
                name: {key: c[(name, key)] for key in self.order[name] if c[(name, key)] != 0}
                for name in BREAKDOWNS
            },
            withheld=frozenset(self.withheld),
            cases_closed=c[("cases_closed", None)],
            routes_ended=c[("routes_ended", None)],
            activity_hours=self.figures.activity_hours,
        )
        return Suppressed(published, tuple(self.hidden))


def true_value(figures: ReportFigures, cell: CellId) -> int:
    """The true value of a cell (0 for a key without a count)."""
    name, key = cell
    if key is None:
        return figures.count(name)
    return int(figures.breakdowns.get(name, {}).get(key, 0))


def hidden_cells(published: PublishedFigures) -> Iterable[CellId]:
    """Every cell of the published figures that is not an integer."""
    for name in COUNTS:
        value = getattr(published, name)
        if value is not None and not isinstance(value, int):
            yield (name, None)
    for figure, cells in published.breakdowns.items():
        for key, value in cells.items():
            if not isinstance(value, int):
                yield (figure, key)
