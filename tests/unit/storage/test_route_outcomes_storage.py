"""Route manner, outcome and measure and the case outcome on real vaults, and through the
interchange file (own units and measures are checked again once the vault is open)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from confidant_tui.domain.cases import CaseFacts, Intake, Route
from confidant_tui.errors import ValidationError
from confidant_tui.services import cases, importing, organisations
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime.combine(TODAY, dt.time(12, 0))
D = dt.date
PARTY = "Partij"
RULES = {
    "units": [{"key": "youth_wing", "label": "Jongeren"}],
    "measures": [{"key": "own.mentor", "label": "Mentor"}],
}


def taxonomy(vault: Vault) -> Any:
    return organisations.taxonomy(organisations.list_organisations(vault))


def open_case(vault: Vault, **facts: Any) -> int:
    values: dict[str, Any] = {"reporter_role": "member", "categories": ("bullying",)}
    values.update(facts)
    intake = Intake(opened=D(2026, 3, 1), facts=CaseFacts(**values))
    return cases.create_case(
        vault,
        intake,
        today=TODAY,
        taxonomy=taxonomy(vault),
        default_organisation=ORGANISATION,
    ).id


def test_route_manner_outcome_and_measure_round_trip(vault: Vault) -> None:
    organisations.add_organisation(vault, PARTY, RULES)
    case_id = open_case(vault, organisation=PARTY)
    route = Route(
        "formal.integrity_report",
        D(2026, 4, 1),
        manner="confidential",
        outcome="upheld",
        measure="own.mentor",
    )
    route_id = cases.add_route(vault, case_id, route, today=TODAY, taxonomy=taxonomy(vault))
    stored = cases.get_case(vault, case_id).routes[0]
    assert (stored.manner, stored.outcome, stored.measure) == (
        "confidential",
        "upheld",
        "own.mentor",
    )
    changed = Route("formal.integrity_report", D(2026, 4, 1), manner="anonymous", measure="warning")
    cases.update_route(vault, route_id, changed, today=TODAY, taxonomy=taxonomy(vault))
    stored = cases.get_case(vault, case_id).routes[0]
    assert (stored.manner, stored.outcome, stored.measure) == ("anonymous", None, "warning")


def test_a_manner_on_another_route_is_refused(vault: Vault) -> None:
    case_id = open_case(vault)
    with pytest.raises(ValidationError) as caught:
        cases.add_route(
            vault,
            case_id,
            Route("advice", D(2026, 4, 1), manner="named"),
            today=TODAY,
            taxonomy=taxonomy(vault),
        )
    assert [p for p, _ in caught.value.problems] == ["manner"]
    assert cases.get_case(vault, case_id).routes == ()


def test_case_outcome_and_experience_round_trip(vault: Vault) -> None:
    case_id = open_case(
        vault, outcome_key="withdrawn", experience="negative", outcome="Eigen woorden"
    )
    facts = cases.get_case(vault, case_id).facts
    assert (facts.outcome_key, facts.experience, facts.outcome) == (
        "withdrawn",
        "negative",
        "Eigen woorden",
    )
    edited = CaseFacts(
        reporter_role="member",
        categories=("bullying",),
        outcome_key="resolved_informally",
        experience=None,
        outcome="Eigen woorden",
    )
    cases.update_facts(vault, case_id, edited, today=TODAY, taxonomy=taxonomy(vault))
    facts = cases.get_case(vault, case_id).facts
    assert (facts.outcome_key, facts.experience) == ("resolved_informally", None)
    with pytest.raises(ValidationError) as caught:
        cases.update_facts(
            vault,
            case_id,
            CaseFacts(reporter_role="member", categories=("bullying",), experience="great"),
            today=TODAY,
            taxonomy=taxonomy(vault),
        )
    assert [p for p, _ in caught.value.problems] == ["experience"]


def test_facts_move_a_case_only_to_an_active_organisation(vault: Vault) -> None:
    organisations.add_organisation(vault, PARTY)
    case_id = open_case(vault)
    facts = CaseFacts(reporter_role="member", categories=("bullying",), organisation=PARTY)
    cases.update_facts(vault, case_id, facts, today=TODAY, taxonomy=taxonomy(vault))
    assert cases.get_case(vault, case_id).facts.organisation == PARTY
    organisations.set_archived(vault, ORGANISATION, archived=True, today=TODAY)
    back = CaseFacts(reporter_role="member", categories=("bullying",), organisation=ORGANISATION)
    with pytest.raises(ValidationError) as caught:
        cases.update_facts(vault, case_id, back, today=TODAY, taxonomy=taxonomy(vault))
    assert [p for p, _ in caught.value.problems] == ["organisation"]
    nowhere = CaseFacts(reporter_role="member", categories=("bullying",), organisation="Nieuw")
    with pytest.raises(ValidationError):
        cases.update_facts(vault, case_id, nowhere, today=TODAY, taxonomy=taxonomy(vault))
    assert cases.get_case(vault, case_id).facts.organisation == PARTY


def test_a_case_takes_only_its_own_organisations_units_as_level(vault: Vault) -> None:
    """The screens pass a taxonomy with every organisation's units; the service refuses
    another organisation's unit for this case, at opening and on editing."""
    organisations.settle(vault, default_name=ORGANISATION, moment=NOW)
    organisations.add_organisation(vault, PARTY, RULES)
    with pytest.raises(ValidationError) as caught:
        open_case(vault, level="youth_wing")  # the default organisation has no such unit
    assert [p for p, _ in caught.value.problems] == ["level"]
    case_id = open_case(vault, level="youth_wing", organisation=PARTY)
    assert cases.get_case(vault, case_id).facts.level == "youth_wing"
    moved = CaseFacts(
        reporter_role="member",
        categories=("bullying",),
        organisation=ORGANISATION,
        level="youth_wing",
    )
    with pytest.raises(ValidationError):
        cases.update_facts(vault, case_id, moved, today=TODAY, taxonomy=taxonomy(vault))
    shipped = CaseFacts(
        reporter_role="member", categories=("bullying",), organisation=ORGANISATION, level="local"
    )
    cases.update_facts(vault, case_id, shipped, today=TODAY, taxonomy=taxonomy(vault))
    assert cases.get_case(vault, case_id).facts.level == "local"


# -- interchange ---------------------------------------------------------------------------


def case_entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "opened": "2025-03-14",
        "reporter": {"alias": "A.", "role": "employee"},
        "categories": ["bullying"],
    }
    base.update(changes)
    return base


def doc(*items: dict[str, Any]) -> dict[str, Any]:
    return {"format": "confidant-cases/1", "cases": list(items)}


def import_two_pass(vault: Vault, document: dict[str, Any]) -> list[str]:
    """As the command line does: validate with the shipped keys, then store."""
    found = importing.validate_document(document, now=NOW, taxonomy=cases.load_taxonomy())
    return importing.store_validated(vault, found, now=NOW, default_organisation=ORGANISATION)


def test_new_keys_import_and_export_round_trip(vault: Vault) -> None:
    organisations.add_organisation(vault, PARTY, RULES)
    entry = case_entry(
        code="2025-001",
        organisation=PARTY,
        level="youth_wing",
        outcome_key="measure_taken",
        experience="positive",
        routes=[
            {
                "route": "formal.complaint",
                "date": "2025-04-01",
                "manner": "named",
                "outcome": "upheld",
                "measure": "own.mentor",
            }
        ],
    )
    assert import_two_pass(vault, doc(entry)) == ["2025-001"]
    exported = importing.export_cases(vault)["cases"][0]
    assert exported["level"] == "youth_wing"
    assert (exported["outcome_key"], exported["experience"]) == ("measure_taken", "positive")
    route = exported["routes"][0]
    assert (route["manner"], route["outcome"], route["measure"]) == (
        "named",
        "upheld",
        "own.mentor",
    )
    # the exported file imports again (under a new code) with the same values
    exported["code"] = "2025-002"
    assert import_two_pass(vault, doc(exported)) == ["2025-002"]
    again = cases.get_case(vault, "2025-002")
    assert again.routes[0].measure == "own.mentor" and again.facts.experience == "positive"


def test_own_terms_of_another_organisation_are_refused_with_their_path(vault: Vault) -> None:
    organisations.add_organisation(vault, PARTY, RULES)
    good = case_entry(organisation=PARTY, level="youth_wing")
    wrong_org = case_entry(
        code="2025-007",
        level="youth_wing",
        routes=[{"route": "formal.complaint", "date": "2025-04-01", "measure": "own.mentor"}],
    )
    with pytest.raises(ValidationError) as caught:
        import_two_pass(vault, doc(good, wrong_org))
    assert [p for p, _ in caught.value.problems] == [
        "cases[1].level",
        "cases[1].routes[0].measure",
    ]
    assert "2025-007" in caught.value.problems[0][1]
    assert cases.list_cases(vault) == []


def test_a_new_organisation_is_made_with_default_rules(vault: Vault) -> None:
    with pytest.raises(ValidationError) as caught:
        import_two_pass(vault, doc(case_entry(organisation="Nieuw", level="youth_wing")))
    assert [p for p, _ in caught.value.problems] == ["cases[0].level"]
    import_two_pass(vault, doc(case_entry(organisation="Nieuw", level="local")))
    made = organisations.get_organisation(vault, "Nieuw")
    assert made.rules == organisations.OrganisationRules()


def test_unknown_keys_are_refused_before_the_vault_is_opened() -> None:
    bad = case_entry(
        outcome_key="great",
        experience="fine",
        routes=[{"route": "advice", "date": "2025-04-01", "manner": "named", "outcome": "won"}],
    )
    with pytest.raises(ValidationError) as caught:
        importing.validate_document(doc(bad), now=NOW, taxonomy=cases.load_taxonomy())
    assert sorted(p for p, _ in caught.value.problems) == [
        "cases[0].experience",
        "cases[0].outcome_key",
        "cases[0].routes[0].manner",
        "cases[0].routes[0].outcome",
    ]
    not_own = case_entry(routes=[{"route": "advice", "date": "2025-04-01", "measure": "mentor"}])
    with pytest.raises(ValidationError) as caught:
        importing.validate_document(doc(not_own), now=NOW, taxonomy=cases.load_taxonomy())
    assert [p for p, _ in caught.value.problems] == ["cases[0].routes[0].measure"]
