"""Property: importing any valid file and exporting it again gives the same facts."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from conftest import PASSPHRASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confidant_tui.domain.interchange import parse_document
from confidant_tui.services import cases, importing
from confidant_tui.vault.store import Vault

TODAY = dt.date(2026, 11, 23)
IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))
"""The moment of the imports in these tests: the end of TODAY."""
TAX = cases.load_taxonomy()
ORG = "Standaard"
TEXT = st.text(max_size=30)
SHORT = st.text(max_size=12)


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@st.composite
def ordered_dates(draw: st.DrawFn, low: dt.date, count: int) -> list[dt.date]:
    return sorted(draw(st.lists(st.dates(low, TODAY), min_size=count, max_size=count)))


@st.composite
def a_case(draw: st.DrawFn) -> dict[str, Any]:
    opened = draw(st.dates(dt.date(2016, 1, 1), TODAY))
    history = []
    previous = "open"
    for day in draw(ordered_dates(opened, draw(st.integers(0, 3)))):
        status = draw(
            st.sampled_from([s for s in ("open", "aftercare", "closed") if s != previous])
        )
        history.append({"status": status, "date": day.isoformat()})
        previous = status
    incidents = sorted(draw(st.lists(st.dates(dt.date(2010, 1, 1), opened), max_size=2)))
    people = []
    for _ in range(draw(st.integers(0, 2))):
        role = draw(st.sampled_from(TAX.keys("person_role")))
        relation = draw(opt(st.sampled_from(TAX.keys("relation")))) if role == "accused" else None
        people.append({"alias": draw(opt(SHORT)), "role": role, "relation": relation})
    conversations = []
    for _ in range(draw(st.integers(0, 3))):
        day = draw(st.dates(opened, TODAY))
        time = draw(opt(st.times()))
        conversations.append(
            {
                "date": day.isoformat(),
                "time": time.strftime("%H:%M") if time else None,
                "minutes": draw(opt(st.integers(0, 1440))),
                "mode": draw(opt(st.sampled_from(TAX.keys("mode")))),
                "notes": draw(opt(TEXT)),
                "advice": draw(opt(TEXT)),
                "next_steps": draw(opt(TEXT)),
                "follow_up": iso(draw(opt(st.dates(day, dt.date(2030, 1, 1))))),
            }
        )
    conversations.sort(key=lambda c: (c["date"], c["time"] is not None, c["time"] or ""))
    routes = []
    for _ in range(draw(st.integers(0, 2))):
        start, filed, answered, ended = draw(ordered_dates(opened, 4))
        routes.append(
            {
                "route": draw(st.sampled_from(TAX.keys("route"))),
                "date": start.isoformat(),
                "filed": iso(draw(opt(st.just(filed)))),
                "acknowledged": iso(draw(opt(st.just(answered)))),
                "feedback": iso(draw(opt(st.just(answered)))),
                "ended": iso(draw(opt(st.just(ended)))),
            }
        )
    referrals = [
        {
            "to": draw(st.sampled_from(TAX.keys("destination"))),
            "date": draw(st.dates(opened, TODAY)).isoformat(),
            "note": draw(opt(TEXT)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {
        "organisation": draw(opt(st.sampled_from(["Afdeling Noord", "Fractie"]))),
        "opened": opened.isoformat(),
        "status": history,
        "reporter": {
            "alias": draw(opt(SHORT)),
            "role": draw(st.sampled_from(TAX.keys("reporter_role"))),
            "name": draw(opt(SHORT)),
            "contact": draw(opt(TEXT)),
        },
        "categories": draw(
            st.lists(st.sampled_from(TAX.keys("category")), min_size=1, max_size=3, unique=True)
        ),
        "relation": draw(opt(st.sampled_from(TAX.keys("relation")))),
        "power_imbalance": draw(opt(st.booleans())),
        "level": draw(opt(st.sampled_from(TAX.keys("level")))),
        "people": people,
        "first_incident": iso(incidents[0]) if incidents else None,
        "last_incident": iso(incidents[-1]) if incidents else None,
        "wishes": draw(opt(TEXT)),
        "work_situation": draw(opt(TEXT)),
        "outcome": draw(opt(TEXT)),
        "confidentiality_explained": iso(draw(opt(st.dates(opened, TODAY)))),
        "recording_consent": iso(draw(opt(st.dates(opened, TODAY)))),
        "routes": routes,
        "referrals": referrals,
        "conversations": conversations,
    }


@st.composite
def a_document(draw: st.DrawFn) -> dict[str, Any]:
    items = draw(st.lists(a_case(), min_size=1, max_size=4))
    used: dict[int, int] = {}
    for item in items:
        if draw(st.booleans()):
            year = int(item["opened"][:4])
            used[year] = used.get(year, 0) + draw(st.integers(1, 50))
            item["code"] = f"{year}-{used[year]:03d}"
    return {"format": "confidant-cases/1", "cases": items}


@settings(
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=a_document())
def test_import_then_export_gives_the_same_facts(
    _template_vault: Path, document: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for source in _template_vault.parent.iterdir():
            if source.name.startswith("confidant.vault") and not source.name.endswith(".lock"):
                shutil.copy2(source, Path(folder) / source.name)
        with Vault.open(Path(folder) / "confidant.vault", PASSPHRASE) as vault:
            codes = importing.import_document(
                vault, document, now=IMPORT_NOW, taxonomy=TAX, default_organisation=ORG
            )
            exported = importing.export_cases(vault, codes)
    original = parse_document(document, TAX, IMPORT_NOW)
    expected = [
        replace(
            case,
            intake=replace(
                case.intake,
                code=code,
                facts=replace(
                    case.intake.facts, organisation=case.intake.facts.organisation or ORG
                ),
            ),
        )
        for case, code in zip(original, codes, strict=True)
    ]
    assert parse_document(exported, TAX, IMPORT_NOW) == expected
