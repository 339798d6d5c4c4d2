"""Shared by the import tests: a valid interchange document and every way to break a rule.

Each entry of `CASES` is (name, a function making the broken document, the path of the
problem, a fragment of its Dutch message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

TODAY = dt.date(2025, 6, 1)
IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))
"""The moment of the imports in these tests: the end of TODAY."""
CONDITIONS = {str(n): f"toelichting {n}" for n in range(1, 9)}


def distress_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "ground": "conscientious_distress",
        "legal_basis": None,
        "demanded_by": None,
        "conditions": dict(CONDITIONS),
        "consent_attempts": "twee keer gevraagd",
        "consulted": "LVV-helpdesk, geanonimiseerd",
        "informed_at": "2025-05-01T10:00",
        "informed_how": "phone",
        "reporter_reaction": "begrijpt het",
        "referral_offered": "externe vertrouwenspersoon aangeboden",
        "disclosed_at": "2025-05-01T15:00",
        "recipient": "politie",
        "disclosed_how": "phone",
        "disclosed": "de dreiging",
        "shared": ["name", "summary"],
        "justification": "levensgevaar",
    }
    entry.update(changes)
    return entry


def consent_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "ground": "consent",
        "informed_at": "2025-05-01T10:00",
        "disclosed_at": "2025-05-01T15:00",
        "recipient": "bestuur",
        "shared": ["role", "summary"],
        "justification": "op verzoek van de melder",
    }
    entry.update(changes)
    return entry


def third_party(**changes: Any) -> dict[str, Any]:
    consent = {
        "purpose": "third_party",
        "destination": None,
        "scope": ["role", "summary"],
        "form": "written",
        "date": "2025-04-30",
        "withdrawn": None,
    }
    consent.update(changes)
    return consent


def document(consents: list[Any] | None = None, protocol: list[Any] | None = None) -> dict:
    return {
        "format": "confidant-cases/1",
        "cases": [
            {
                "code": "2025-003",
                "opened": "2025-03-14",
                "reporter": {"alias": "A.", "role": "employee"},
                "categories": ["bullying"],
                "consents": consents or [],
                "protocol": protocol or [],
            }
        ],
    }


P = "cases[0].protocol[0]"
C = "cases[0].consents[0]"
Mutation = Callable[[], dict]

CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "informed after",
        lambda: document(protocol=[distress_entry(informed_at="2025-05-01T16:00")]),
        f"{P}.informed_at",
        "na de doorbreking op 01-05-2025 15:00",
    ),
    (
        "informed the same minute",
        lambda: document(protocol=[distress_entry(informed_at="2025-05-01T15:00")]),
        f"{P}.informed_at",
        "in dezelfde minuut als de doorbreking",
    ),
    (
        "not informed",
        lambda: document(protocol=[distress_entry(informed_at=None)]),
        f"{P}.informed_at",
        "De melder is niet vooraf ingelicht",
    ),
    (
        "no ground",
        lambda: document(protocol=[distress_entry(ground=None)]),
        f"{P}.ground",
        "Er is geen grond vastgelegd",
    ),
    (
        "unknown ground",
        lambda: document(protocol=[distress_entry(ground="hunch")]),
        f"{P}.ground",
        "Onbekende grond",
    ),
    (
        "empty condition",
        lambda: document(protocol=[distress_entry(conditions={**CONDITIONS, "4": " "})]),
        f"{P}.conditions.4",
        "LVV-voorwaarde 4 (zwijgen leidt vrijwel zeker tot schade) is niet toegelicht",
    ),
    (
        "missing condition",
        lambda: document(
            protocol=[distress_entry(conditions={k: v for k, v in CONDITIONS.items() if k != "7"})]
        ),
        f"{P}.conditions.7",
        "LVV-voorwaarde 7",
    ),
    (
        "no conditions",
        lambda: document(protocol=[distress_entry(conditions=None)]),
        f"{P}.conditions.1",
        "LVV-voorwaarde 1",
    ),
    (
        "ninth condition",
        lambda: document(protocol=[distress_entry(conditions={**CONDITIONS, "9": "x"})]),
        f"{P}.conditions.9",
        "acht voorwaarden",
    ),
    (
        "no justification",
        lambda: document(protocol=[distress_entry(justification="  ")]),
        f"{P}.justification",
        "Er is geen motivering vastgelegd",
    ),
    (
        "legal duty without basis",
        lambda: document(protocol=[distress_entry(ground="duty_to_report", conditions=None)]),
        f"{P}.legal_basis",
        "De wettelijke grondslag van de plicht is niet vastgelegd",
    ),
    (
        "legal duty without who demands it",
        lambda: document(
            protocol=[distress_entry(ground="duty_to_report", legal_basis="art. 160 Sv")]
        ),
        f"{P}.demanded_by",
        "Er is niet vastgelegd wie om de verstrekking vraagt.",
    ),
    (
        "prohibition under another ground",
        lambda: document(
            protocol=[
                distress_entry(informing_forbidden_by="OvJ", informing_forbidden_reference="1")
            ]
        ),
        f"{P}.informing_forbidden_by",
        "Alleen bij een wettelijke plicht tot verstrekken",
    ),
    (
        "consent missing",
        lambda: document(protocol=[consent_entry()]),
        f"{P}.shared",
        "Er is geen toestemming vastgelegd om met een derde te delen",
    ),
    (
        "consent not covering",
        lambda: document(consents=[third_party(scope=["role"])], protocol=[consent_entry()]),
        f"{P}.shared",
        "geen toestemming voor: summary",
    ),
    (
        "consent given after",
        lambda: document(consents=[third_party(date="2025-05-02")], protocol=[consent_entry()]),
        f"{P}.shared",
        "De toestemming is gegeven op 02-05-2025 00:00, niet vóór de doorbreking",
    ),
    (
        "consent withdrawn before",
        lambda: document(
            consents=[third_party(withdrawn="2025-05-01")], protocol=[consent_entry()]
        ),
        f"{P}.shared",
        "De toestemming is ingetrokken op 01-05-2025 00:00",
    ),
    (
        "identity needed for a name",
        lambda: document(
            consents=[third_party(scope=["name", "role", "summary"])],
            protocol=[consent_entry(shared=["name", "summary"])],
        ),
        f"{P}.shared",
        "Er wordt een naam of contactgegeven gedeeld",
    ),
    (
        "future disclosure",
        lambda: document(
            protocol=[
                distress_entry(informed_at="2025-06-02T09:00", disclosed_at="2025-06-02T10:00")
            ]
        ),
        f"{P}.disclosed_at",
        "Een stap van het protocol kan niet in de toekomst liggen.",
    ),
    (
        "future informing",
        lambda: document(protocol=[distress_entry(informed_at="2025-06-02T09:00")]),
        f"{P}.informed_at",
        "Een stap van het protocol kan niet in de toekomst liggen.",
    ),
    (
        "no disclosure",
        lambda: document(protocol=[distress_entry(disclosed_at=None)]),
        f"{P}.disclosed_at",
        "Een protocolregel legt een doorbreking vast",
    ),
    (
        "bad moment",
        lambda: document(protocol=[distress_entry(disclosed_at="2025-05-01 15:00")]),
        f"{P}.disclosed_at",
        "Geen geldig tijdstip",
    ),
    (
        "unknown protocol key",
        lambda: document(protocol=[distress_entry(justfication="typo")]),
        f"{P}.justfication",
        "Onbekende sleutel",
    ),
    (
        "unknown scope key",
        lambda: document(protocol=[distress_entry(shared=["diary"])]),
        f"{P}.shared",
        "Onbekende reikwijdte: diary.",
    ),
    (
        "future consent",
        lambda: document(consents=[third_party(date="2025-06-02")]),
        f"{C}.date",
        "Een toestemming kan niet in de toekomst liggen.",
    ),
    (
        "withdrawn before given",
        lambda: document(consents=[third_party(withdrawn="2025-04-01")]),
        f"{C}.withdrawn",
        "Een toestemming kan niet worden ingetrokken voordat ze is gegeven.",
    ),
    (
        "referral without destination",
        lambda: document(consents=[third_party(purpose="referral")]),
        f"{C}.destination",
        "Bij toestemming voor een verwijzing hoort de bestemming.",
    ),
    (
        "consent without date",
        lambda: document(consents=[third_party(date=None)]),
        f"{C}.date",
        "Geef de datum waarop de toestemming is gegeven.",
    ),
    (
        "unknown consent key",
        lambda: document(consents=[third_party(until="2026-01-01")]),
        f"{C}.until",
        "Onbekende sleutel",
    ),
]
