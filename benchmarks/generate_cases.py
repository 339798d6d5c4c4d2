"""Generates valid `confidant-cases/1` files of any size, for benchmarks and tests.

Usage: python benchmarks/generate_cases.py COUNT OUT.json [--seed N]

The cases are fictional and built from fixed Dutch phrases; every file is valid against the
shipped taxonomy with "today" = 2026-11-23. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 23)
CATEGORIES = [
    "discrimination.origin",
    "discrimination.sex_gender",
    "sexual_harassment.verbal",
    "sexual_harassment.physical",
    "bullying",
    "aggression.verbal",
    "intimidation",
    "stalking",
    "abuse_of_power",
    "integrity.financial",
    "integrity.conflict_of_interest",
    "wrongdoing.law_or_rules",
    "other.workload",
    "other.question",
]
ROLES = ["employee", "volunteer", "member", "intern", "board_member", "contractor"]
RELATIONS = ["manager", "colleague", "board_member", "member", "external", "unknown"]
LEVELS = ["local", "regional", "national_office", "parliamentary_group"]
ROUTES = [
    "advice",
    "informal.supported",
    "informal.mediation",
    "formal.complaint",
    "formal.integrity_report",
]
DESTINATIONS = ["occupational_health", "gp", "social_work", "whistleblower_authority.advice"]
MODES = ["in_person", "phone", "video", "email"]
SENTENCES = [
    "Melder vertelt over opmerkingen tijdens het teamoverleg.",
    "De collega maakt grappen die kwetsend zijn.",
    "Mogelijkheden besproken, met voor- en nadelen van elke stap.",
    "Melder slaapt slecht en twijfelt over een formele klacht.",
    "Vertrouwelijk, tenzij uitgelegd aan het begin van het gesprek.",
    "Afgesproken dat melder een logboek bijhoudt van voorvallen.",
    "De leidinggevende reageert afwijzend op signalen.",
    "Gewezen op het open spreekuur van de bedrijfsarts.",
    "Het vermoeden gaat over declaraties die niet kloppen.",
    "Melder wil eerst zelf het gesprek aangaan.",
]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def generate_case(rng: random.Random, code: str, opened: dt.date) -> dict[str, Any]:
    """One valid case opened on `opened` with code `code`."""
    last = _day(rng, opened - dt.timedelta(days=60), opened)
    first = _day(rng, last - dt.timedelta(days=120), last)
    conversations = []
    day = opened
    for _ in range(rng.randint(1, 4)):
        if day > TODAY:
            break
        conversations.append(
            {
                "date": day.isoformat(),
                "time": f"{rng.randint(8, 19):02d}:{rng.choice([0, 15, 30, 45]):02d}",
                "minutes": rng.choice([15, 30, 45, 60, 90]),
                "mode": rng.choice(MODES),
                "notes": _text(rng, rng.randint(2, 6)),
                "advice": _text(rng, 1) if rng.random() < 0.6 else None,
                "next_steps": _text(rng, 1) if rng.random() < 0.5 else None,
                "follow_up": (day + dt.timedelta(days=14)).isoformat(),
            }
        )
        day = day + dt.timedelta(days=rng.randint(7, 60))
    status = []
    end = min(TODAY, opened + dt.timedelta(days=rng.randint(10, 400)))
    if end < TODAY or rng.random() < 0.3:
        if rng.random() < 0.4:
            status.append({"status": "aftercare", "date": _day(rng, opened, end).isoformat()})
        status.append({"status": "closed", "date": end.isoformat()})
        status.sort(key=lambda s: s["date"])
    routes = []
    if rng.random() < 0.6:
        start = _day(rng, opened, min(TODAY, opened + dt.timedelta(days=30)))
        filed = start if rng.random() < 0.5 else None
        routes.append(
            {
                "route": rng.choice(ROUTES),
                "date": start.isoformat(),
                "filed": filed.isoformat() if filed else None,
                "acknowledged": None,
                "feedback": None,
                "ended": None,
            }
        )
    referrals = []
    if rng.random() < 0.3:
        referrals.append({"to": rng.choice(DESTINATIONS), "date": opened.isoformat(), "note": None})
    relation = rng.choice(RELATIONS)
    return {
        "code": code,
        "organisation": None,
        "opened": opened.isoformat(),
        "status": status,
        "reporter": {
            "alias": f"M-{code}",
            "role": rng.choice(ROLES),
            "name": None,
            "contact": None,
        },
        "categories": rng.sample(CATEGORIES, rng.randint(1, 3)),
        "relation": relation,
        "power_imbalance": rng.choice([True, False, None]),
        "level": rng.choice(LEVELS),
        "people": [{"alias": "B.", "role": "accused", "relation": relation}],
        "first_incident": first.isoformat(),
        "last_incident": last.isoformat(),
        "wishes": _text(rng, 1),
        "work_situation": _text(rng, 1),
        "outcome": _text(rng, 1) if status else None,
        "confidentiality_explained": opened.isoformat(),
        "recording_consent": opened.isoformat(),
        "routes": routes,
        "referrals": referrals,
        "conversations": conversations,
    }


def generate(count: int, seed: int = 0, first_year: int = 2017) -> dict[str, Any]:
    """A valid interchange document with `count` cases spread over the years up to 2026."""
    rng = random.Random(seed)
    years = list(range(first_year, TODAY.year + 1))
    openings = sorted(
        _day(rng, dt.date(rng.choice(years), 1, 1), dt.date(rng.choice(years), 12, 31))
        for _ in range(count)
    )
    openings = [min(d, TODAY) for d in openings]
    per_year: dict[int, int] = {}
    cases = []
    for opened in openings:
        per_year[opened.year] = per_year.get(opened.year, 0) + 1
        code = f"{opened.year}-{per_year[opened.year]:03d}"
        cases.append(generate_case(rng, code, opened))
    return {"format": "confidant-cases/1", "cases": cases}


def main() -> None:
    """Writes a generated file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.write_text(
        json.dumps(generate(args.count, args.seed), ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
