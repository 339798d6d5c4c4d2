"""Provides `StatRecord`: the anonymous statistical record of one case, all a report counts.

The yearly report never reads a dossier itself. It counts these records, which hold only the
facts the report uses: no code, no name, no alias, no text and no date finer than the year.
That is what lets the retention policy destroy a dossier and keep its record, so that past
reports stay reproducible (DOMAIN.md §6 and §7).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

UNKNOWN = "unknown"
"""The key counted when a single-valued fact (level, power imbalance) was not recorded."""

STATUSES = ("open", "aftercare", "closed")

RECORD_FORMAT = 2
"""Version of the dict form of a record (`to_dict`), kept for destroyed cases. Format 2 adds
the outcome, the experience, and the outcomes and measures of ended routes; records of
format 1 (kept before) are still read, with those unknown or absent."""

READABLE_FORMATS = (1, 2)


def top_level(category: str) -> str:
    """The top-level key of a category key (`integrity.gifts` -> `integrity`)."""
    return category.split(".", 1)[0]


@dataclass(frozen=True)
class StatRecord:
    """The anonymous statistical record of one case.

    Attributes:
        organisation: the name of the organisation the case belongs to (each organisation
            gets its own report); None when the vault does not say.
        year_opened: the year the case was opened.
        categories: the top-level category keys of the case (at least one).
        role: the reporter's role key.
        level: the level key, or `UNKNOWN`.
        relations: the distinct relations of the accused, seen from the reporter (an accused
            whose relation was not recorded counts as `UNKNOWN`; a case without any accused
            recorded has `{UNKNOWN}`), so every case counts at least once.
        power_imbalance: True, False, or None when not recorded.
        year_end_status: (year, status at the end of that year) for each year in which the
            status changed after opening, sorted by year; before the first entry the case
            was open.
        conversations: (year, number of conversations, total minutes) per year with any.
        routes: the distinct (year, route key) pairs of the routes dated in that year.
        referrals: (year, destination key, number of referrals) per year and destination.
        protocol_grounds: (year, ground key, number of procedures) per year and ground;
            addenda are not counted.
        statistics_withdrawn: the reporter withdrew the consent to be counted.
        outcome: the case's structured outcome key (taxonomy kind `outcome`), or `UNKNOWN`.
        experience: how the reporter experienced it (kind `experience`), or `UNKNOWN`.
        route_outcomes: (year ended, outcome key or `UNKNOWN`, number of routes) for the
            routes that ended, per year and outcome.
        measures: (year ended, measure key, number of routes) for the ended routes that
            record a measure.
    """

    organisation: str | None
    year_opened: int
    categories: frozenset[str]
    role: str
    level: str = UNKNOWN
    relations: frozenset[str] = frozenset({UNKNOWN})
    power_imbalance: bool | None = None
    year_end_status: tuple[tuple[int, str], ...] = ()
    conversations: tuple[tuple[int, int, int], ...] = ()
    routes: tuple[tuple[int, str], ...] = ()
    referrals: tuple[tuple[int, str, int], ...] = ()
    protocol_grounds: tuple[tuple[int, str, int], ...] = ()
    statistics_withdrawn: bool = False
    outcome: str = UNKNOWN
    experience: str = UNKNOWN
    route_outcomes: tuple[tuple[int, str, int], ...] = ()
    measures: tuple[tuple[int, str, int], ...] = ()

    def status_at_end(self, year: int) -> str | None:
        """The case's status on 31 December of `year`; None when it was not opened yet."""
        if self.year_opened > year:
            return None
        status = "open"
        for changed, value in self.year_end_status:
            if changed > year:
                break
            status = value
        return status

    def closed_in(self, year: int) -> bool:
        """Whether the case was closed in `year`: closed on 31 December and the closing dated
        in that year (a case closed earlier and still closed is not counted again)."""
        return (year, "closed") in self.year_end_status

    def power_key(self) -> str:
        """The key of `power_imbalance` in the report: "true", "false" or "unknown"."""
        if self.power_imbalance is None:
            return UNKNOWN
        return "true" if self.power_imbalance else "false"

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-able data (for keeping it after the case is destroyed)."""
        return {
            "format": RECORD_FORMAT,
            "organisation": self.organisation,
            "year_opened": self.year_opened,
            "categories": sorted(self.categories),
            "role": self.role,
            "level": self.level,
            "relations": sorted(self.relations),
            "power_imbalance": self.power_imbalance,
            "year_end_status": [list(item) for item in self.year_end_status],
            "conversations": [list(item) for item in self.conversations],
            "routes": [list(item) for item in self.routes],
            "referrals": [list(item) for item in self.referrals],
            "protocol_grounds": [list(item) for item in self.protocol_grounds],
            "statistics_withdrawn": self.statistics_withdrawn,
            "outcome": self.outcome,
            "experience": self.experience,
            "route_outcomes": [list(item) for item in self.route_outcomes],
            "measures": [list(item) for item in self.measures],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatRecord:
        """Rebuilds a record from `to_dict`'s output, of this format or of format 1.

        Raises:
            ValueError: the data is not a record of a known format.
        """
        if data.get("format") not in READABLE_FORMATS:
            raise ValueError("unknown statistical record format")
        return cls(
            organisation=data["organisation"],
            year_opened=int(data["year_opened"]),
            categories=frozenset(data["categories"]),
            role=str(data["role"]),
            level=str(data["level"]),
            relations=frozenset(data["relations"]),
            power_imbalance=data["power_imbalance"],
            year_end_status=tuple((int(y), str(s)) for y, s in data["year_end_status"]),
            conversations=tuple((int(y), int(n), int(m)) for y, n, m in data["conversations"]),
            routes=tuple((int(y), str(r)) for y, r in data["routes"]),
            referrals=tuple((int(y), str(d), int(n)) for y, d, n in data["referrals"]),
            protocol_grounds=tuple(
                (int(y), str(g), int(n)) for y, g, n in data["protocol_grounds"]
            ),
            statistics_withdrawn=bool(data["statistics_withdrawn"]),
            outcome=str(data.get("outcome", UNKNOWN)),
            experience=str(data.get("experience", UNKNOWN)),
            route_outcomes=_triples(data.get("route_outcomes", ())),
            measures=_triples(data.get("measures", ())),
        )


def _triples(items: Iterable[Any]) -> tuple[tuple[int, str, int], ...]:
    """(year, key, count) triples from their JSON lists."""
    return tuple((int(y), str(k), int(n)) for y, k, n in items)


def year_end_statuses(changes: Iterable[tuple[dt.date | str, str]]) -> tuple[tuple[int, str], ...]:
    """Reduces a status history to the status at the end of each year it changed in.

    Args:
        changes: (date, status) of every change after opening, in the order they were
            recorded (for changes on the same day the later one wins). Dates may be ISO text.

    Returns:
        (year, status) pairs sorted by year: within a year, the last change counts.
    """
    last: dict[int, tuple[str, int, str]] = {}
    for order, (date, status) in enumerate(changes):
        text = date.isoformat() if isinstance(date, dt.date) else str(date)
        year = int(text[:4])
        key = (text, order, status)
        if year not in last or key[:2] >= last[year][:2]:
            last[year] = key
    return tuple((year, last[year][2]) for year in sorted(last))


def relations_of(case_relation: str | None, accused: Iterable[str | None]) -> frozenset[str]:
    """The distinct relations counted for a case.

    Args:
        case_relation: the case's shorthand relation (one accused), or None.
        accused: the relation of each accused person (None when not recorded).

    Returns:
        The set of relation keys; `{UNKNOWN}` when no accused and no relation is recorded.
    """
    found = {relation or UNKNOWN for relation in accused}
    if case_relation:
        found.add(case_relation)
    return frozenset(found or {UNKNOWN})


def per_year_counts(items: Iterable[tuple[int, str]]) -> tuple[tuple[int, str, int], ...]:
    """Counts (year, key) items into sorted (year, key, count) triples."""
    counted = Counter(items)
    return tuple((year, key, n) for (year, key), n in sorted(counted.items()))
