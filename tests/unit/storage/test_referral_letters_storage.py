"""Referral letters on a real encrypted vault: the draft, the letter, recording it with its
referral (new or existing), and refusing a fact whose consent is gone."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFacts, Identity, Intake, Referral
from confidant_tui.domain.consent import ConsentRecord
from confidant_tui.errors import InvalidInput, NotFound, ValidationError
from confidant_tui.services import consent, referrals
from confidant_tui.services.cases import add_referral, create_case, get_case
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY

NOW = dt.datetime(2026, 6, 1, 12, 0)
CODE = "2026-014"


@pytest.fixture
def case(vault: Vault) -> str:
    facts = CaseFacts(
        reporter_role="employee",
        categories=("bullying",),
        work_situation="Werkt 32 uur op het fractiebureau",
        wishes="WISH-MARKER",
        outcome="OUTCOME-MARKER",
        last_incident=dt.date(2026, 5, 1),
    )
    intake = Intake(
        opened=dt.date(2026, 5, 4),
        facts=facts,
        identity=Identity("Şükrü Çelik", "sukru@example.org"),
        code=CODE,
    )
    create_case(vault, intake, today=NOW.date(), default_organisation="Partij", taxonomy=TAXONOMY)
    return CODE


def _consent(vault: Vault, scope: set[str], destination: str = "occupational_health") -> int:
    record = ConsentRecord(
        "referral", frozenset(scope), "oral", NOW - dt.timedelta(hours=1), destination
    )
    return consent.record_consent(vault, CODE, record, now=NOW)


def _choice(**more: object) -> referrals.LetterInput:
    values: dict[str, object] = {
        "destination": "occupational_health",
        "question": "Wilt u meekijken naar de belastbaarheid?",
    }
    values.update(more)
    return referrals.LetterInput(**values)  # type: ignore[arg-type]


def test_the_draft_marks_only_consented_facts_allowed(vault: Vault, case: str) -> None:
    _consent(vault, {"name", "work_situation", "summary"})
    draft = referrals.referral_draft(
        vault, case, "occupational_health", language="nl", now=NOW, taxonomy=TAXONOMY
    )
    assert draft.allowed == ("name", "work_situation")
    contact = next(c for c in draft.choices if c.key == "contact")
    assert not contact.allowed and "toestemming" in contact.reason().lower()
    summary = next(c for c in draft.choices if c.key == "summary")
    assert not summary.carried  # the bedrijfsarts never gets a summary
    assert "open spreekuur" in draft.purpose
    assert draft.blank_labels["signature"].startswith("Ondertekening")


def test_a_new_letter_adds_one_referral_and_keeps_what_went_out(vault: Vault, case: str) -> None:
    cid = _consent(vault, {"name", "work_situation"})
    before = len(get_case(vault, case).referrals)
    recorded = referrals.record_letter(
        vault,
        case,
        _choice(blanks={"signature": "A. Adviseur", "recipient": "Arbodienst Oost"}),
        now=NOW,
        taxonomy=TAXONOMY,
        file_format="pdf",
    )
    found = get_case(vault, case)
    assert len(found.referrals) == before + 1
    assert found.referrals[-1].destination == "occupational_health"
    assert found.referrals[-1].id == recorded.referral_id
    (stored,) = referrals.letters_of_case(vault, case)
    assert stored.facts == ("name", "work_situation")
    assert stored.consents == (cid,)
    assert stored.blanks == {"recipient": "Arbodienst Oost", "signature": "A. Adviseur"}
    assert "Şükrü Çelik" in stored.text and "Arbodienst Oost" in stored.text
    assert "WISH-MARKER" not in stored.text and "OUTCOME-MARKER" not in stored.text
    assert stored.file_format == "pdf"


def test_a_letter_from_an_existing_referral_belongs_to_it(vault: Vault, case: str) -> None:
    _consent(vault, {"work_situation"})
    rid = add_referral(
        vault,
        case,
        Referral("occupational_health", dt.date(2026, 5, 20)),
        today=NOW.date(),
        taxonomy=TAXONOMY,
    )
    recorded = referrals.record_letter(
        vault, case, _choice(), now=NOW, taxonomy=TAXONOMY, referral_id=rid
    )
    assert recorded.referral_id == rid
    assert len(get_case(vault, case).referrals) == 1
    with pytest.raises(InvalidInput):
        referrals.record_letter(
            vault,
            case,
            _choice(destination="gp"),
            now=NOW,
            taxonomy=TAXONOMY,
            referral_id=rid,
        )
    with pytest.raises(NotFound):
        referrals.record_letter(
            vault, case, _choice(), now=NOW, taxonomy=TAXONOMY, referral_id=rid + 99
        )


def test_a_withdrawn_consent_refuses_the_fact_and_stores_nothing(vault: Vault, case: str) -> None:
    cid = _consent(vault, {"name", "work_situation"})
    consent.withdraw_consent(vault, case, cid, NOW - dt.timedelta(minutes=5), now=NOW)
    with pytest.raises(ValidationError) as refused:
        referrals.record_letter(vault, case, _choice(include=("name",)), now=NOW, taxonomy=TAXONOMY)
    assert refused.value.problems[0][0] == "name"
    assert referrals.letters_of_case(vault, case) == ()
    assert get_case(vault, case).referrals == ()


def test_include_defaults_to_every_allowed_fact(vault: Vault, case: str) -> None:
    _consent(vault, {"name", "contact", "work_situation", "role"})
    letter = referrals.draft(vault, case, _choice(), now=NOW, taxonomy=TAXONOMY)
    assert letter.facts == ("name", "contact", "work_situation")
    assert "sukru@example.org" in letter.text


def test_an_unknown_destination_is_refused(vault: Vault, case: str) -> None:
    with pytest.raises(InvalidInput):
        referrals.referral_draft(vault, case, "nowhere", language="nl", now=NOW, taxonomy=TAXONOMY)


def test_an_own_destination_takes_a_consent_and_the_general_letter(vault: Vault, case: str) -> None:
    from confidant_tui.services import organisations

    organisations.settle(vault, default_name="Partij", moment=NOW)
    organisations.edit_organisation(
        vault, "Partij", {"destinations": [{"key": "own.buddy", "label": "Buddyproject"}]}
    )
    _consent(vault, {"work_situation"}, destination="own.buddy")
    terms = organisations.taxonomy(organisations.list_organisations(vault))
    draft = referrals.referral_draft(
        vault, case, "own.buddy", language="nl", now=NOW, taxonomy=terms
    )
    assert draft.allowed == ("work_situation",)
    assert draft.destination_name == "Buddyproject"
    letter = referrals.draft(vault, case, _choice(destination="own.buddy"), now=NOW, taxonomy=terms)
    assert "Werkt 32 uur" in letter.text and "Buddyproject" in letter.text
