"""The consent ledger and information requests on a real encrypted vault."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.domain.consent import ConsentRecord, LedgerAddendum
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.services import consent as service
from confidant_tui.services.cases import create_case
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY

NOW = dt.datetime(2025, 6, 1, 12, 0)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour)


def new_case(vault: Vault, code: str = "2025-007") -> int:
    facts = CaseFacts(reporter_role="volunteer", categories=("stalking",))
    intake = Intake(opened=dt.date(2025, 5, 1), facts=facts, code=code)
    return create_case(
        vault, intake, today=NOW.date(), default_organisation="Partij", taxonomy=TAXONOMY
    ).id


def test_consent_withdrawal_and_the_two_questions(vault: Vault) -> None:
    case_id = new_case(vault)
    referral = ConsentRecord(
        "referral", frozenset({"role", "work_situation"}), "oral", at(2), "occupational_health"
    )
    rid = service.record_consent(vault, "2025-007", referral, now=NOW)
    tid = service.record_consent(
        vault,
        case_id,
        ConsentRecord("third_party", frozenset({"summary"}), "written", at(3)),
        now=NOW,
    )
    service.withdraw_consent(vault, case_id, tid, at(10), now=NOW)
    assert service.consented_now(vault, case_id, "referral", "occupational_health", now=NOW) == {
        "role",
        "work_situation",
    }
    assert service.consented_now(vault, case_id, "third_party", now=NOW) == frozenset()
    assert service.consented_at(vault, case_id, at(5), "third_party") == {"summary"}
    ledger = service.consent_ledger(vault, case_id)
    assert [c.id for c in ledger.consents] == [rid, tid]
    assert ledger.consents[0] == ConsentRecord(
        "referral",
        frozenset({"role", "work_situation"}),
        "oral",
        at(2),
        "occupational_health",
        id=rid,
    )
    assert ledger.withdrawn_at(tid) == at(10)


def test_a_correcting_consent_replaces_the_mistaken_one(vault: Vault) -> None:
    case_id = new_case(vault)
    first = service.record_consent(
        vault, case_id, ConsentRecord("third_party", frozenset({"name"}), "oral", at(2)), now=NOW
    )
    service.record_consent(
        vault,
        case_id,
        ConsentRecord("third_party", frozenset({"role"}), "oral", at(2), corrects=first),
        now=NOW,
    )
    assert service.consented_now(vault, case_id, "third_party", now=NOW) == {"role"}
    assert len(service.consent_ledger(vault, case_id).consents) == 2


def test_refused_consent_and_withdrawal_write_nothing(vault: Vault) -> None:
    case_id = new_case(vault)
    with pytest.raises(ValidationError) as caught:
        service.record_consent(
            vault, case_id, ConsentRecord("referral", frozenset({"role"}), "oral", at(2)), now=NOW
        )
    assert caught.value.problems == [
        ("destination", "Bij toestemming voor een verwijzing hoort de bestemming.")
    ]
    with pytest.raises(ValidationError):
        service.withdraw_consent(vault, case_id, 12345, at(3), now=NOW)
    with pytest.raises(NotFound):
        service.record_consent(
            vault, "2099-001", ConsentRecord("identity", frozenset(), "oral", at(2)), now=NOW
        )
    assert service.consent_ledger(vault, case_id).consents == ()


def test_a_consent_of_another_case_cannot_be_withdrawn_here(vault: Vault) -> None:
    one = new_case(vault, "2025-001")
    other = new_case(vault, "2025-002")
    cid = service.record_consent(
        vault, one, ConsentRecord("identity", frozenset({"name"}), "oral", at(2)), now=NOW
    )
    with pytest.raises(ValidationError):
        service.withdraw_consent(vault, other, cid, at(3), now=NOW)


def test_information_requests_and_answers(vault: Vault) -> None:
    case_id = new_case(vault)
    cid = service.record_consent(
        vault,
        case_id,
        ConsentRecord("third_party", frozenset({"summary"}), "written", at(2)),
        now=NOW,
    )
    declined = service.record_information_request(
        vault,
        case_id,
        InformationRequest("board", "Wie heeft er gemeld?", at(3)),
        InformationAnswer(0, "declined", at(3, 10)),
        now=NOW,
    )
    pending = service.record_information_request(
        vault, case_id, InformationRequest("court", "dossier", at(4)), now=NOW
    )
    with pytest.raises(ValidationError):
        service.answer_information_request(
            vault, pending, InformationAnswer(pending, "answered_with_consent", at(5)), now=NOW
        )
    service.answer_information_request(
        vault,
        pending,
        InformationAnswer(pending, "answered_with_consent", at(5), consent_id=cid),
        now=NOW,
    )
    with pytest.raises(ValidationError) as caught:
        service.answer_information_request(
            vault, pending, InformationAnswer(pending, "declined", at(6)), now=NOW
        )
    assert caught.value.problems[0][0] == "answer"
    with pytest.raises(NotFound):
        service.answer_information_request(
            vault, 999, InformationAnswer(999, "declined", at(6)), now=NOW
        )
    listed = service.information_requests(vault, case_id)
    assert [(r.id, a.answer if a else None) for r, a in listed] == [
        (declined, "declined"),
        (pending, "answered_with_consent"),
    ]
    assert listed[1][1].consent_id == cid


def test_ledger_addenda_point_to_an_entry_of_the_case(vault: Vault) -> None:
    case_id = new_case(vault)
    cid = service.record_consent(
        vault, case_id, ConsentRecord("identity", frozenset({"name"}), "oral", at(2)), now=NOW
    )
    service.add_ledger_addendum(
        vault, case_id, LedgerAddendum("consent", cid, at(3), "was schriftelijk"), now=NOW
    )
    with pytest.raises(ValidationError) as caught:
        service.add_ledger_addendum(
            vault, case_id, LedgerAddendum("withdrawal", cid, at(3), "x"), now=NOW
        )
    assert caught.value.problems == [
        ("target", "De vastlegging die gecorrigeerd moet worden, bestaat niet in dit dossier.")
    ]
    with pytest.raises(ValidationError):
        service.add_ledger_addendum(
            vault, case_id, LedgerAddendum("consent", cid, at(3), "  "), now=NOW
        )
    assert [a.text for a in service.ledger_addenda(vault, case_id)] == ["was schriftelijk"]
