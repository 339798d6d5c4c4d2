"""Parsing and validating the `confidant-cases/1` interchange document (pure)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from typing import Any

import pytest

from confidant_tui.domain.interchange import ImportedCase, parse_document
from confidant_tui.domain.taxonomy import Taxonomy, parse_taxonomy
from confidant_tui.errors import ValidationError
from confidant_tui.resources import data_file
from confidant_tui.services.importing import import_sections

TODAY = dt.date(2026, 11, 23)
IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))
"""The moment of the imports in these tests: the end of TODAY."""


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return parse_taxonomy(tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8")))


def minimal(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "opened": "2025-03-14",
        "reporter": {"role": "employee"},
        "categories": ["bullying"],
    }
    case.update(changes)
    return case


def doc(*cases: dict[str, Any]) -> dict[str, Any]:
    return {"format": "confidant-cases/1", "cases": list(cases)}


def problems_of(document: Any, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        parse_document(document, taxonomy, IMPORT_NOW)
    assert caught.value.message.startswith("Er is niets geïmporteerd")
    return caught.value.problems


def test_the_demo_file_is_valid(taxonomy: Taxonomy) -> None:
    document = json.loads(data_file("demo-cases.json").read_text(encoding="utf-8"))
    cases = parse_document(document, taxonomy, IMPORT_NOW, import_sections())
    assert len(cases) >= 12
    assert {c.intake.opened.year for c in cases} == {2024, 2025, 2026}
    # referral consents in two cases, so a referral letter works out of the box
    consenting = [
        document["cases"][c.index]["code"]
        for c in cases
        if any(r.record.purpose == "referral" for r in c.sections["protocol"].consents)
    ]
    assert consenting == ["2026-002", "2026-003"]
    # and every case's consent to record in its ledger too (issue 20: header and ledger agree)
    assert all(
        any(r.record.purpose == "recording" for r in c.sections["protocol"].consents) for c in cases
    )


def test_the_appendix_example_parses_into_domain_objects(taxonomy: Taxonomy) -> None:
    case = minimal(
        code="2025-003",
        status=[
            {"status": "aftercare", "date": "2025-07-01"},
            {"status": "closed", "date": "2025-09-30"},
        ],
        reporter={"alias": "A.", "role": "employee", "name": None, "contact": None},
        categories=["sexual_harassment.verbal", "bullying"],
        relation="manager",
        power_imbalance=True,
        level="national_office",
        people=[{"alias": "B.", "role": "accused", "relation": "manager"}],
        first_incident="2025-02-01",
        last_incident="2025-03-10",
        wishes="text",
        confidentiality_explained="2025-03-14",
        recording_consent="2025-03-14",
        routes=[
            {
                "route": "formal.integrity_report",
                "date": "2025-03-20",
                "acknowledged": "2025-03-25",
                "feedback": None,
                "ended": None,
            }
        ],
        referrals=[{"to": "occupational_health", "date": "2025-04-01"}],
        conversations=[
            {
                "date": "2025-03-14",
                "time": "10:30",
                "minutes": 60,
                "mode": "in_person",
                "notes": "text",
                "advice": "text",
                "next_steps": "text",
                "follow_up": "2025-03-28",
            }
        ],
        consents=[],
        protocol=[],
    )
    [parsed] = parse_document(doc(case), taxonomy, IMPORT_NOW)
    assert isinstance(parsed, ImportedCase)
    assert parsed.intake.code == "2025-003"
    assert parsed.intake.facts.categories == ("sexual_harassment.verbal", "bullying")
    assert parsed.intake.facts.people[0].relation == "manager"
    assert parsed.status_history[-1].status == "closed"
    assert parsed.routes[0].acknowledged == dt.date(2025, 3, 25)
    assert parsed.referrals[0].destination == "occupational_health"
    assert parsed.conversations[0].time == dt.time(10, 30)


def test_missing_required_facts_name_their_path(taxonomy: Taxonomy) -> None:
    case = {"code": "2025-001", "reporter": {"alias": "A."}}
    problems = problems_of(doc(case), taxonomy)
    assert [p for p, _ in problems] == [
        "cases[0].opened",
        "cases[0].reporter.role",
        "cases[0].categories",
    ]
    assert all(message.startswith("dossier 2025-001:") for _, message in problems)
    assert [
        p
        for p, _ in problems_of(doc({"opened": "2025-01-01", "categories": ["bullying"]}), taxonomy)
    ] == ["cases[0].reporter.role"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"colour": "red"}, "cases[0].colour"),
        ({"reporter": {"role": "employee", "phone": "x"}}, "cases[0].reporter.phone"),
        ({"people": [{"role": "accused", "name": "x"}]}, "cases[0].people[0].name"),
        (
            {"status": [{"status": "closed", "date": "2025-04-01", "why": "x"}]},
            "cases[0].status[0].why",
        ),
        (
            {"routes": [{"route": "advice", "date": "2025-04-01", "filled": None}]},
            "cases[0].routes[0].filled",
        ),
        (
            {"referrals": [{"to": "gp", "date": "2025-04-01", "notes": "x"}]},
            "cases[0].referrals[0].notes",
        ),
        (
            {"conversations": [{"date": "2025-04-01", "note": "typo"}]},
            "cases[0].conversations[0].note",
        ),
    ],
)
def test_unknown_keys_are_refused_everywhere(taxonomy: Taxonomy, changes: dict, path: str) -> None:
    problems = problems_of(doc(minimal(**changes)), taxonomy)
    assert [p for p, _ in problems] == [path]
    assert "Onbekend veld" in problems[0][1]


def test_unknown_top_level_keys_and_a_wrong_format_are_refused(taxonomy: Taxonomy) -> None:
    problems = problems_of({"format": "other/2", "cases": [], "extra": 1}, taxonomy)
    assert sorted(p for p, _ in problems) == ["extra", "format"]
    with pytest.raises(ValidationError):
        parse_document([], taxonomy, IMPORT_NOW)
    assert [p for p, _ in problems_of({"format": "confidant-cases/1"}, taxonomy)] == ["cases"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"opened": "14-03-2025"}, "cases[0].opened"),
        ({"opened": "2025-02-30"}, "cases[0].opened"),
        ({"opened": 20250314}, "cases[0].opened"),
        ({"power_imbalance": "yes"}, "cases[0].power_imbalance"),
        ({"categories": "bullying"}, "cases[0].categories"),
        ({"categories": [7]}, "cases[0].categories[0]"),
        ({"wishes": ["a"]}, "cases[0].wishes"),
        (
            {"conversations": [{"date": "2025-04-01", "time": "10.30"}]},
            "cases[0].conversations[0].time",
        ),
        (
            {"conversations": [{"date": "2025-04-01", "minutes": 1.5}]},
            "cases[0].conversations[0].minutes",
        ),
        (
            {"conversations": [{"date": "2025-04-01", "minutes": True}]},
            "cases[0].conversations[0].minutes",
        ),
        ({"conversations": [{"notes": "no date"}]}, "cases[0].conversations[0].date"),
        ({"conversations": ["text"]}, "cases[0].conversations[0]"),
        ({"reporter": "employee"}, "cases[0].reporter"),
    ],
)
def test_wrong_types_are_refused_with_their_path(
    taxonomy: Taxonomy, changes: dict, path: str
) -> None:
    problems = problems_of(doc(minimal(**changes)), taxonomy)
    assert path in [p for p, _ in problems]


def test_rules_apply_with_file_paths_and_the_case_code(taxonomy: Taxonomy) -> None:
    good = minimal(code="2025-001")
    bad = minimal(
        code="2025-002",
        conversations=[{"date": "2025-04-01"}, {"date": "2027-01-01"}],
        status=[{"status": "closed", "date": "2025-01-01"}],
        categories=["bullying", "gossip"],
    )
    problems = problems_of(
        doc(good, good | {"code": "2025-003"}, good | {"code": "2025-004"}, bad), taxonomy
    )
    assert [p for p, _ in problems] == [
        "cases[3].categories[1]",
        "cases[3].status[0].date",
        "cases[3].conversations[1].date",
    ]
    assert all("2025-002" in message for _, message in problems)


def test_duplicate_codes_in_the_file_are_refused(taxonomy: Taxonomy) -> None:
    problems = problems_of(
        doc(minimal(code="2025-001"), minimal(), minimal(code="2025-001")), taxonomy
    )
    assert problems[0][0] == "cases[2].code"
    assert "cases[0]" in problems[0][1]


def test_consents_and_protocol_are_refused_until_their_section_exists(taxonomy: Taxonomy) -> None:
    assert parse_document(doc(minimal(consents=[], protocol=None)), taxonomy, IMPORT_NOW)
    problems = problems_of(doc(minimal(consents=[{"purpose": "recording"}])), taxonomy)
    assert [p for p, _ in problems] == ["cases[0].consents"]
    assert "nog niet importeren" in problems[0][1]
    problems = problems_of(doc(minimal(protocol=[{}])), taxonomy)
    assert [p for p, _ in problems] == ["cases[0].protocol"]


class FakeSection:
    name = "protocol"
    keys = ("consents", "protocol")

    def __init__(self) -> None:
        self.seen: list[tuple[dict, str]] = []

    def validate(self, values, case, now):  # type: ignore[no-untyped-def]
        self.seen.append((dict(values), case.path))
        problems = [] if values["protocol"] != ["bad"] else [(f"{case.path}.protocol[0]", "fout")]
        return {"parsed": values["consents"]}, problems


def test_a_section_validates_its_keys_per_case(taxonomy: Taxonomy) -> None:
    section = FakeSection()
    cases = parse_document(
        doc(minimal(consents=[{"x": 1}]), minimal()), taxonomy, IMPORT_NOW, [section]
    )
    assert cases[0].sections == {"protocol": {"parsed": [{"x": 1}]}}
    assert section.seen[1] == ({"consents": None, "protocol": None}, "cases[1]")
    with pytest.raises(ValidationError) as caught:
        parse_document(
            doc(minimal(code="2025-009", protocol=["bad"])), taxonomy, IMPORT_NOW, [section]
        )
    assert caught.value.problems == [("cases[0].protocol[0]", "dossier 2025-009: fout")]


def test_hostile_keys_are_shown_without_control_characters(taxonomy: Taxonomy) -> None:
    problems = problems_of(doc(minimal(**{"\x1b[31mred": 1})), taxonomy)
    assert "\x1b" not in problems[0][0] and "\x1b" not in problems[0][1]


def test_a_file_with_many_problems_lists_a_capped_number(taxonomy: Taxonomy) -> None:
    cases = [minimal(opened="bad") for _ in range(300)]
    problems = problems_of(doc(*cases), taxonomy)
    assert len(problems) == 201
    assert "100" in problems[-1][1]


def test_parsing_does_not_change_the_document(taxonomy: Taxonomy) -> None:
    document = doc(minimal(conversations=[{"date": "2025-04-01", "notes": "n"}]))
    before = copy.deepcopy(document)
    parse_document(document, taxonomy, IMPORT_NOW)
    assert document == before


NOT_DATES = [
    "20250301",  # date.fromisoformat accepts this (Python 3.11+)
    "2025-W10-1",  # and an ISO week date
    "٢٠٢٥-٠٣-٠١",  # Arabic-Indic digits
    "2025-03-01\n",  # a trailing line break
    "2025-3-1",
    " 2025-03-01",
]


@pytest.mark.parametrize("value", NOT_DATES)
@pytest.mark.parametrize(
    ("changes", "path"),
    [
        (lambda v: {"opened": v}, "cases[0].opened"),
        (lambda v: {"first_incident": v}, "cases[0].first_incident"),
        (lambda v: {"status": [{"status": "closed", "date": v}]}, "cases[0].status[0].date"),
        (lambda v: {"conversations": [{"date": v}]}, "cases[0].conversations[0].date"),
        (
            lambda v: {"conversations": [{"date": "2025-04-01", "follow_up": v}]},
            "cases[0].conversations[0].follow_up",
        ),
        (
            lambda v: {"routes": [{"route": "advice", "date": "2025-04-01", "filed": v}]},
            "cases[0].routes[0].filed",
        ),
        (lambda v: {"referrals": [{"to": "gp", "date": v}]}, "cases[0].referrals[0].date"),
    ],
)
def test_only_yyyy_mm_dd_in_ascii_digits_is_a_date(
    taxonomy: Taxonomy, value: str, changes: Any, path: str
) -> None:
    problems = problems_of(doc(minimal(**changes(value))), taxonomy)
    assert (
        path,
        "Hier wordt een datum verwacht als JJJJ-MM-DD, bijvoorbeeld 2025-03-14.",
    ) in problems


@pytest.mark.parametrize("value", ["١٠:٣٠", "10:30\n", "1030", "10:30:00"])
def test_only_hh_mm_in_ascii_digits_is_a_time(taxonomy: Taxonomy, value: str) -> None:
    problems = problems_of(
        doc(minimal(conversations=[{"date": "2025-04-01", "time": value}])), taxonomy
    )
    assert [p for p, _ in problems] == ["cases[0].conversations[0].time"]


def test_a_status_change_without_a_date_is_refused(taxonomy: Taxonomy) -> None:
    for change in ({"status": "closed"}, {"status": "closed", "date": None}):
        problems = problems_of(doc(minimal(status=[change])), taxonomy)
        assert problems == [("cases[0].status[0].date", "Deze datum is verplicht.")]


def test_a_conversation_lasts_at_most_a_day(taxonomy: Taxonomy) -> None:
    def conversation(minutes: int) -> dict[str, Any]:
        return minimal(conversations=[{"date": "2025-04-01", "minutes": minutes}])

    cases = parse_document(doc(conversation(1440), conversation(0)), taxonomy, IMPORT_NOW)
    assert [c.conversations[0].minutes for c in cases] == [1440, 0]
    for minutes in (1441, -1, 99999999999999999999999):
        problems = problems_of(doc(conversation(minutes)), taxonomy)
        assert [p for p, _ in problems] == ["cases[0].conversations[0].minutes"]


@pytest.mark.parametrize("code", ["٢٠٢٥-٠٠٧", "2025-٠٠٧", "2025-0007", "2025-007\n"])
def test_a_code_in_other_digits_or_spelling_is_refused(taxonomy: Taxonomy, code: str) -> None:
    problems = problems_of(doc(minimal(code=code), minimal(code="2025-007")), taxonomy)
    assert [p for p, _ in problems] == ["cases[0].code"]
