"""The case screens' gaps on a real encrypted vault: answering a request later, addenda to
consents and requests, the identity's presence, and the statistics opt-out of its own (its
header state and the yearly report's count agree)."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFacts, Identity, Intake
from confidant_tui.domain.consent import ConsentRecord, LedgerAddendum
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.domain.report import count_year
from confidant_tui.errors import ValidationError
from confidant_tui.services import audit, cases
from confidant_tui.services import consent as service
from confidant_tui.vault import stats_repo
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY

NOW = dt.datetime(2025, 6, 1, 12, 0)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour)


def new_case(vault: Vault, code: str = "2025-011", identity: Identity | None = None) -> int:
    facts = CaseFacts(reporter_role="volunteer", categories=("stalking",))
    intake = Intake(
        opened=dt.date(2025, 5, 1), facts=facts, code=code, identity=identity or Identity()
    )
    created = cases.create_case(
        vault, intake, today=NOW.date(), default_organisation="Partij", taxonomy=TAXONOMY
    )
    assert created.id is not None
    return created.id


def actions(vault: Vault) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.case_code, e.detail) for e in reversed(audit.entries(vault))]


def opened_in_report(vault: Vault, year: int = 2025) -> int:
    """The yearly report's count of cases opened in `year`."""
    with vault.reading() as conn:
        return count_year(stats_repo.live_records(conn), year).cases_opened


def withdrawn_in_report(vault: Vault, case_id: int) -> bool:
    """What the yearly report's derivation says about the vault's one case."""
    assert service.consent_ledger(vault, case_id) is not None  # the case exists
    with vault.reading() as conn:
        [record] = stats_repo.live_records(conn)
    return record.statistics_withdrawn


def test_a_request_recorded_without_answer_is_answered_later(vault: Vault) -> None:
    case_id = new_case(vault)
    request = InformationRequest("manager", "Wie is het?", at(3))
    request_id = service.record_information_request(vault, case_id, request, now=NOW)
    [(stored, answer)] = service.information_requests(vault, case_id)
    assert answer is None
    service.answer_information_request(
        vault, request_id, InformationAnswer(0, "declined", at(5), note="Nee"), now=NOW
    )
    [(again, answer)] = service.information_requests(vault, case_id)
    assert again == stored  # the request itself stays as it was
    assert answer is not None and answer.answer == "declined" and answer.note == "Nee"
    assert answer.answered_at == at(5)
    with pytest.raises(ValidationError):
        service.answer_information_request(
            vault, request_id, InformationAnswer(0, "declined", at(6)), now=NOW
        )
    assert [a for a, _c, _d in actions(vault)][-2:] == [
        "information_request.recorded",
        "information_request.answered",
    ]


def test_addenda_to_a_consent_and_a_request_leave_them_unchanged(vault: Vault) -> None:
    case_id = new_case(vault)
    consent_id = service.record_consent(
        vault, case_id, ConsentRecord("third_party", frozenset({"summary"}), "oral", at(2)), now=NOW
    )
    request_id = service.record_information_request(
        vault, case_id, InformationRequest("board", "Vraag", at(3)), now=NOW
    )
    ledger = service.consent_ledger(vault, case_id)
    service.add_ledger_addendum(
        vault,
        case_id,
        LedgerAddendum("consent", consent_id, at(4), "Schriftelijk bevestigd"),
        now=NOW,
    )
    service.add_ledger_addendum(
        vault,
        case_id,
        LedgerAddendum("information_request", request_id, at(4), "Ook per mail"),
        now=NOW,
    )
    assert service.consent_ledger(vault, case_id) == ledger
    texts = [(a.target, a.target_id, a.text) for a in service.ledger_addenda(vault, case_id)]
    assert texts == [
        ("consent", consent_id, "Schriftelijk bevestigd"),
        ("information_request", request_id, "Ook per mail"),
    ]
    other = new_case(vault, "2025-012")
    with pytest.raises(ValidationError):
        service.add_ledger_addendum(
            vault, other, LedgerAddendum("consent", consent_id, at(4), "Elders"), now=NOW
        )


def test_identity_presence_is_known_without_reading_it(vault: Vault) -> None:
    hidden = new_case(vault, "2025-013", Identity("Naam", "06"))
    bare = new_case(vault, "2025-014")
    assert cases.identity_recorded(vault, hidden)
    assert not cases.identity_recorded(vault, bare)
    cases.set_identity(vault, bare, Identity("Nieuw", None))
    assert cases.identity_recorded(vault, bare)
    assert cases.reveal_identity(vault, bare) == Identity("Nieuw", None)
    cases.set_identity(vault, bare, Identity())
    assert not cases.identity_recorded(vault, bare)
    entries = [e for e in actions(vault) if e[0] == "case.identity_changed"]
    assert entries == [("case.identity_changed", "2025-014", None)] * 2


def test_opting_out_and_back_in_is_what_the_report_counts(vault: Vault) -> None:
    case_id = new_case(vault)
    assert service.counted_in_statistics(vault, case_id, now=NOW)
    assert not withdrawn_in_report(vault, case_id)
    assert opened_in_report(vault) == 1

    withdrawn = service.opt_out_of_statistics(vault, case_id, now=NOW)
    assert len(withdrawn) == 1
    assert not service.counted_in_statistics(vault, case_id, now=NOW)
    assert withdrawn_in_report(vault, case_id)
    assert opened_in_report(vault) == 0
    ledger = service.consent_ledger(vault, case_id)
    [default] = ledger.consents
    assert default.purpose == "statistics" and default.given_at == dt.datetime(2025, 5, 1)
    assert ledger.withdrawn_at(default.id) == NOW
    with pytest.raises(ValidationError):
        service.opt_out_of_statistics(vault, case_id, now=NOW)

    service.opt_in_to_statistics(vault, case_id, now=NOW + dt.timedelta(minutes=5))
    assert service.counted_in_statistics(vault, case_id, now=NOW + dt.timedelta(minutes=5))
    assert not withdrawn_in_report(vault, case_id)
    assert opened_in_report(vault) == 1
    with pytest.raises(ValidationError):
        service.opt_in_to_statistics(vault, case_id, now=NOW + dt.timedelta(minutes=6))

    # Out again: only the consent in force is withdrawn; the earlier stays as it was.
    later = NOW + dt.timedelta(minutes=10)
    assert len(service.opt_out_of_statistics(vault, case_id, now=later)) == 1
    assert withdrawn_in_report(vault, case_id)
    assert len(service.consent_ledger(vault, case_id).withdrawals) == 2
    opts = [(a, c) for a, c, _d in actions(vault) if a.startswith("statistics.")]
    assert opts == [
        ("statistics.opted_out", "2025-011"),
        ("statistics.opted_in", "2025-011"),
        ("statistics.opted_out", "2025-011"),
    ]


def test_opting_out_withdraws_every_statistics_consent_in_force(vault: Vault) -> None:
    case_id = new_case(vault)
    for day in (2, 3):
        service.record_consent(
            vault, case_id, ConsentRecord("statistics", frozenset(), "written", at(day)), now=NOW
        )
    service.opt_out_of_statistics(vault, case_id, at=at(20), now=NOW)
    ledger = service.consent_ledger(vault, case_id)
    assert len(ledger.consents) == 2  # no default record added
    assert {ledger.withdrawn_at(c.id) for c in ledger.consents} == {at(20)}
    assert withdrawn_in_report(vault, case_id)


def test_a_refused_opt_out_records_nothing(vault: Vault) -> None:
    case_id = new_case(vault)
    service.record_consent(
        vault, case_id, ConsentRecord("statistics", frozenset(), "oral", at(10)), now=NOW
    )
    before = actions(vault)
    with pytest.raises(ValidationError):  # before the consent was given
        service.opt_out_of_statistics(vault, case_id, at=at(5), now=NOW)
    with pytest.raises(ValidationError):  # in the future
        service.opt_out_of_statistics(vault, case_id, at=NOW + dt.timedelta(days=1), now=NOW)
    assert actions(vault) == before
    assert service.counted_in_statistics(vault, case_id, now=NOW)
    assert not service.consent_ledger(vault, case_id).withdrawals


def test_the_report_and_the_header_agree_after_a_corrected_statistics_consent(
    vault: Vault,
) -> None:
    case_id = new_case(vault)
    first = service.record_consent(
        vault, case_id, ConsentRecord("statistics", frozenset(), "oral", at(2)), now=NOW
    )
    service.record_consent(
        vault,
        case_id,
        ConsentRecord("statistics", frozenset(), "written", at(2), corrects=first),
        now=NOW,
    )
    service.opt_out_of_statistics(vault, case_id, now=NOW)
    assert not service.counted_in_statistics(vault, case_id, now=NOW)
    assert withdrawn_in_report(vault, case_id)
