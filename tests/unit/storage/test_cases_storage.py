"""Cases on real encrypted files: every field survives, identity stays apart, edits keep
versions, and every service checks the rules before writing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.domain.cases import (
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.domain.taxonomy import Term
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.services import cases, organisations
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2026, 11, 23)
D = dt.date
TAX = cases.load_taxonomy().with_terms(
    [Term("level", "youth_wing", {"nl": "Jongeren", "en": "Youth"})]
)


def full_facts() -> CaseFacts:
    return CaseFacts(
        reporter_role="volunteer",
        categories=("discrimination.religion", "aggression.verbal", "bullying"),
        reporter_alias="Roos 🌹",
        organisation="Afdeling Oost",
        relation="board_member",
        power_imbalance=False,
        level="youth_wing",
        first_incident=D(2026, 1, 5),
        last_incident=D(2026, 2, 28),
        wishes="Dat het ophoudt.\nEn excuses.",
        work_situation="Vrijwilliger, 10 uur per week",
        outcome="",
        confidentiality_explained=D(2026, 3, 2),
        recording_consent=D(2026, 3, 2),
        people=(
            Person("accused", "B.", "board_member"),
            Person("witness", None, None),
            Person("other", "C.", None),
        ),
    )


def with_youth_wing(vault: Vault) -> None:
    """The case's organisation, with the unit its level names (a level must be the case's
    own organisation's unit or a shipped one)."""
    names = [o.name for o in organisations.list_organisations(vault)]
    if "Afdeling Oost" not in names:
        organisations.add_organisation(
            vault, "Afdeling Oost", {"units": [{"key": "youth_wing", "label": "Jongeren"}]}
        )


def open_case(vault: Vault, **changes: object) -> int:
    with_youth_wing(vault)
    intake = Intake(D(2026, 3, 2), full_facts(), Identity("Fictief Persoon", "06-00000000"))
    intake = replace(intake, **changes)  # type: ignore[arg-type]
    return cases.create_case(
        vault, intake, today=TODAY, taxonomy=TAX, default_organisation=ORGANISATION
    ).id


def test_every_field_survives_closing_and_reopening(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case_id = open_case(vault)
        cases.change_status(vault, case_id, "aftercare", D(2026, 6, 1), today=TODAY)
        conversation_id = cases.add_conversation(
            vault,
            case_id,
            Conversation(
                D(2026, 3, 2), dt.time(9, 5), 75, "video", "notes", "advies", "stap", D(2026, 12, 1)
            ),
            today=TODAY,
            taxonomy=TAX,
        )
        cases.add_conversation(
            vault, case_id, Conversation(D(2026, 3, 2)), today=TODAY, taxonomy=TAX
        )
        route = Route(
            "formal.complaint",
            D(2026, 3, 10),
            D(2026, 3, 11),
            D(2026, 3, 15),
            D(2026, 5, 1),
            D(2026, 6, 1),
        )
        route_id = cases.add_route(vault, case_id, route, today=TODAY, taxonomy=TAX)
        referral_id = cases.add_referral(
            vault,
            case_id,
            Referral("sexual_violence_centre", D(2026, 3, 3), "kort"),
            today=TODAY,
            taxonomy=TAX,
        )
        before = cases.get_case(vault, case_id)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        after = cases.get_case(vault, "2026-001")
        identity = cases.reveal_identity(vault, case_id)
    assert after == before
    assert after.code == "2026-001" and after.opened == D(2026, 3, 2)
    assert after.facts == replace(full_facts(), people=after.facts.people)
    assert [(p.role, p.alias, p.relation) for p in after.facts.people] == [
        ("accused", "B.", "board_member"),
        ("witness", None, None),
        ("other", "C.", None),
    ]
    assert after.status_history == (StatusChange("aftercare", D(2026, 6, 1)),)
    assert after.status == "aftercare"
    first, second = after.conversations
    assert second.id == conversation_id
    assert second == Conversation(
        D(2026, 3, 2),
        dt.time(9, 5),
        75,
        "video",
        "notes",
        "advies",
        "stap",
        D(2026, 12, 1),
        conversation_id,
        1,
    )
    assert first.time is None and first.notes is None
    assert after.routes == (replace(route, id=route_id),)
    assert after.referrals == (
        Referral("sexual_violence_centre", D(2026, 3, 3), "kort", referral_id),
    )
    assert identity == Identity("Fictief Persoon", "06-00000000")
    assert after.next_follow_up == D(2026, 12, 1)


def test_identity_is_not_part_of_the_case_and_can_be_erased(vault: Vault) -> None:
    case_id = open_case(vault)
    case = cases.get_case(vault, case_id)
    assert "Fictief Persoon" not in repr(case)
    cases.set_identity(vault, case_id, Identity())
    assert cases.reveal_identity(vault, case_id) == Identity()
    with vault.reading() as conn:
        assert conn.execute("SELECT count(*) FROM reporter_identities").fetchone()[0] == 0


def test_a_returning_reporter_keeps_one_identity(vault: Vault) -> None:
    first = cases.get_case(vault, open_case(vault))
    again = Intake(D(2026, 9, 1), CaseFacts("member", ("stalking",)), reporter_id=first.reporter_id)
    second = cases.create_case(
        vault, again, today=TODAY, taxonomy=TAX, default_organisation=ORGANISATION
    )
    assert second.code == "2026-002"
    assert second.reporter_id == first.reporter_id
    assert second.facts.reporter_role == "member"
    assert second.facts.reporter_alias == "Roos 🌹"
    assert cases.reveal_identity(vault, second.id) == Identity("Fictief Persoon", "06-00000000")
    with pytest.raises(NotFound):
        cases.create_case(
            vault,
            replace(again, reporter_id=999),
            today=TODAY,
            taxonomy=TAX,
            default_organisation=ORGANISATION,
        )


def test_codes_are_numbered_per_year_and_kept_when_given(vault: Vault) -> None:
    open_case(vault)
    open_case(vault, code="2026-041")
    third = open_case(vault)
    assert cases.get_case(vault, third).code == "2026-042"
    other_year = cases.create_case(
        vault,
        Intake(D(2025, 12, 31), CaseFacts("member", ("stalking",))),
        today=TODAY,
        taxonomy=TAX,
        default_organisation=ORGANISATION,
    )
    assert other_year.code == "2025-001"
    with pytest.raises(ValidationError) as caught:
        open_case(vault, code="2026-041")
    assert caught.value.problems[0][0] == "code"


def test_a_case_naming_no_organisation_gets_the_default_one(vault: Vault) -> None:
    facts = replace(full_facts(), organisation=None, level="local")
    case = cases.create_case(
        vault,
        Intake(D(2026, 3, 2), facts),
        today=TODAY,
        taxonomy=TAX,
        default_organisation=ORGANISATION,
    )
    assert case.facts.organisation == "Mijn organisatie"
    named = cases.create_case(
        vault, Intake(D(2026, 3, 2), facts), today=TODAY, taxonomy=TAX, default_organisation="Org B"
    )
    assert named.facts.organisation == "Org B"
    assert cases.list_organisations(vault) == ["Mijn organisatie", "Org B"]


def test_a_refused_intake_writes_nothing(vault: Vault) -> None:
    with pytest.raises(ValidationError):
        cases.create_case(
            vault,
            Intake(D(2026, 11, 24), full_facts()),
            today=TODAY,
            taxonomy=TAX,
            default_organisation=ORGANISATION,
        )
    with pytest.raises(ValidationError):
        cases.create_case(
            vault,
            Intake(D(2026, 3, 2), full_facts()),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )  # youth_wing unknown
    assert cases.count_cases(vault) == 0


def test_updating_facts_replaces_categories_and_people(vault: Vault) -> None:
    case_id = open_case(vault)
    new = replace(
        full_facts(),
        categories=("stalking",),
        people=(Person("accused", "Z.", "external"),),
        organisation=None,
        wishes=None,
        power_imbalance=None,
    )
    updated = cases.update_facts(vault, case_id, new, today=TODAY, taxonomy=TAX)
    assert updated.facts.categories == ("stalking",)
    assert [(p.alias, p.relation) for p in updated.facts.people] == [("Z.", "external")]
    assert updated.facts.organisation == "Afdeling Oost"
    assert updated.facts.wishes is None and updated.facts.power_imbalance is None
    with pytest.raises(ValidationError) as caught:
        cases.update_facts(
            vault, case_id, replace(new, last_incident=D(2026, 4, 1)), today=TODAY, taxonomy=TAX
        )
    assert caught.value.problems[0][0] == "last_incident"
    assert cases.get_case(vault, case_id) == updated


def test_status_changes_are_checked_and_kept_as_history(vault: Vault) -> None:
    case_id = open_case(vault)
    with pytest.raises(ValidationError) as caught:
        cases.change_status(vault, case_id, "closed", D(2026, 3, 1), today=TODAY)
    assert caught.value.problems[0][0] == "date"
    with pytest.raises(ValidationError):
        cases.change_status(vault, case_id, "open", D(2026, 4, 1), today=TODAY)
    with pytest.raises(ValidationError):
        cases.change_status(vault, case_id, "closed", D(2026, 11, 24), today=TODAY)
    cases.change_status(vault, case_id, "closed", D(2026, 5, 1), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        cases.change_status(vault, case_id, "open", D(2026, 4, 30), today=TODAY)
    assert caught.value.problems == [("date", caught.value.problems[0][1])]
    reopened = cases.change_status(vault, case_id, "open", D(2026, 7, 1), today=TODAY)
    assert [s.status for s in reopened.status_history] == ["closed", "open"]
    assert reopened.status_on(D(2026, 6, 1)) == "closed"
    assert cases.list_cases(vault)[0].status_date == D(2026, 7, 1)


def test_editing_a_conversation_keeps_the_earlier_texts(vault: Vault) -> None:
    case_id = open_case(vault)
    original = Conversation(D(2026, 3, 2), notes="eerste", advice="a")
    conversation_id = cases.add_conversation(vault, case_id, original, today=TODAY, taxonomy=TAX)
    assert cases.conversation_versions(vault, conversation_id) == []
    moved = cases.edit_conversation(
        vault, conversation_id, replace(original, minutes=30), today=D(2026, 4, 1), taxonomy=TAX
    )
    assert moved.version == 1
    assert cases.conversation_versions(vault, conversation_id) == []
    edited = cases.edit_conversation(
        vault,
        conversation_id,
        replace(original, notes="tweede", minutes=30),
        today=D(2026, 4, 2),
        taxonomy=TAX,
    )
    cases.edit_conversation(
        vault,
        conversation_id,
        replace(original, notes="derde", minutes=30),
        today=D(2026, 4, 3),
        taxonomy=TAX,
    )
    assert edited.version == 2
    versions = cases.conversation_versions(vault, conversation_id)
    assert [(v.version, v.replaced_on, v.notes, v.advice) for v in versions] == [
        (1, D(2026, 4, 2), "eerste", "a"),
        (2, D(2026, 4, 3), "tweede", "a"),
    ]
    stored = cases.get_case(vault, case_id).conversations[0]
    assert (stored.notes, stored.version, stored.minutes) == ("derde", 3, 30)
    with pytest.raises(NotFound):
        cases.edit_conversation(vault, 999, original, today=TODAY, taxonomy=TAX)
    with pytest.raises(ValidationError):
        cases.edit_conversation(
            vault, conversation_id, replace(original, date=D(2027, 1, 1)), today=TODAY, taxonomy=TAX
        )


def test_route_milestones_are_updated_and_checked(vault: Vault) -> None:
    case_id = open_case(vault)
    route = Route("formal.integrity_report", D(2026, 9, 1))
    route_id = cases.add_route(vault, case_id, route, today=TODAY, taxonomy=TAX)
    filed = replace(route, filed=D(2026, 9, 1), acknowledged=D(2026, 9, 5))
    cases.update_route(vault, route_id, filed, today=TODAY, taxonomy=TAX)
    assert cases.get_case(vault, case_id).routes == (replace(filed, id=route_id),)
    with pytest.raises(ValidationError):
        cases.update_route(
            vault, route_id, replace(filed, feedback=D(2026, 12, 1)), today=TODAY, taxonomy=TAX
        )
    with pytest.raises(NotFound):
        cases.update_route(vault, 999, filed, today=TODAY, taxonomy=TAX)
    with pytest.raises(ValidationError):
        cases.add_referral(
            vault, case_id, Referral("nowhere", D(2026, 9, 1)), today=TODAY, taxonomy=TAX
        )


def test_unknown_cases_are_not_found(vault: Vault) -> None:
    with pytest.raises(NotFound):
        cases.get_case(vault, "2026-999")
    with pytest.raises(NotFound):
        cases.reveal_identity(vault, 12345)
    with pytest.raises(NotFound):
        cases.add_conversation(vault, 7, Conversation(D(2026, 3, 2)), today=TODAY, taxonomy=TAX)


@pytest.mark.parametrize(
    "text",
    [
        "😀 emoji and 👩🏽‍⚖️ zwj",
        "עברית מימין לשמאל ‏ and ‮reversed‬",
        "[bold]not bold[/bold] [link=https://x]link[/link] <b>html</b>",
        "\x1b[31mred\x1b[0m and OSC 52 \x1b]52;c;aGVsbG8=\x07 and \x00 nul \r\n crlf",
    ],
)
def test_hostile_and_unusual_text_is_stored_byte_for_byte(vault_path: Path, text: str) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case_id = open_case(vault)
        cases.add_conversation(
            vault, case_id, Conversation(D(2026, 3, 2), notes=text), today=TODAY, taxonomy=TAX
        )
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        stored = cases.get_case(vault, case_id).conversations[0].notes
    assert stored == text
    assert stored.encode("utf-8") == text.encode("utf-8")
