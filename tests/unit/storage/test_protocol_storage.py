"""Protocol procedures on a real encrypted vault: rules on the stored state, append-only, destruction."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlcipher3

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.domain.consent import ConsentRecord
from confidant_tui.domain.protocol import (
    Addendum,
    ConditionExplained,
    Disclosure,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
)
from confidant_tui.errors import NotFound, ProtocolViolation
from confidant_tui.services import consent as consent_service
from confidant_tui.services import protocol as service
from confidant_tui.services.cases import create_case
from confidant_tui.vault import protocol_repo
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY

NOW = dt.datetime(2025, 6, 1, 12, 0)
TODAY = NOW.date()


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour)


def new_case(vault: Vault, explained: dt.date | None = None, code: str | None = None) -> int:
    facts = CaseFacts(
        reporter_role="employee", categories=("bullying",), confidentiality_explained=explained
    )
    intake = Intake(opened=dt.date(2025, 5, 1), facts=facts, code=code)
    return create_case(
        vault, intake, today=TODAY, default_organisation="Partij", taxonomy=TAXONOMY
    ).id


def distress_procedure(vault: Vault, case_id: int) -> int:
    pid = service.open_procedure(
        vault, case_id, "conscientious_distress", opened_at=at(1, 9), now=NOW
    )
    for n in range(1, 9):
        service.record_step(
            vault, pid, ConditionExplained(at=at(2, 9), number=n, explanation=f"u{n}"), now=NOW
        )
    service.record_step(vault, pid, Justification(at=at(2, 10), text="gevaar"), now=NOW)
    return pid


def test_a_procedure_is_built_step_by_step_and_closed_by_the_disclosure(vault: Vault) -> None:
    case_id = new_case(vault)
    pid = distress_procedure(vault, case_id)
    with pytest.raises(ProtocolViolation) as caught:
        service.record_step(
            vault, pid, Disclosure(at=at(3, 15), shared=frozenset({"summary"})), now=NOW
        )
    assert [f for f, _m in caught.value.problems] == ["informed_at"]
    service.record_step(
        vault, pid, Informing(at=at(3, 10), how="telefoon", reaction="boos"), now=NOW
    )
    procedure = service.record_step(
        vault,
        pid,
        Disclosure(at=at(3, 15), recipient="politie", shared=frozenset({"name", "summary"})),
        now=NOW,
    )
    assert procedure.is_closed
    assert procedure.disclosure.shared == {"name", "summary"}
    assert procedure.disclosure.id is not None
    with pytest.raises(ProtocolViolation):
        service.record_step(vault, pid, Justification(at=at(4, 10), text="later"), now=NOW)
    stored = service.get_procedure(vault, pid)
    assert len(stored.steps) == 11
    assert service.case_procedures(vault, case_id) == [stored]
    assert service.disclosures_by_ground(vault, 2025) == {"conscientious_distress": 1}
    with vault.reading() as conn:
        rows = conn.execute("SELECT case_id, ground, disclosed_at FROM protocol_disclosures")
        assert rows.fetchall() == [(case_id, "conscientious_distress", "2025-05-03T15:00")]
    assert service.disclosures_by_ground(vault, 2024) == {}


def test_the_disclosures_view_uses_the_ground_in_force(vault: Vault) -> None:
    from confidant_tui.domain.protocol import GroundChosen

    case_id = new_case(vault)
    pid = service.open_procedure(vault, case_id, None, opened_at=at(1, 9), now=NOW)
    for step in [
        GroundChosen(at=at(1, 10), ground="consent"),
        GroundChosen(at=at(1, 11), ground="duty_to_report", corrects=None),
        LegalBasis(at=at(2, 9), legal_basis="art. 160 Sv", demanded_by="wet"),
        Justification(at=at(2, 9), text="ernstig misdrijf"),
        Informing(at=at(2, 10)),
        Disclosure(at=at(2, 11), shared=frozenset({"summary"})),
    ]:
        service.record_step(vault, pid, step, now=NOW)
    with vault.reading() as conn:
        rows = conn.execute("SELECT ground FROM protocol_disclosures").fetchall()
    assert rows == [("duty_to_report",)]
    assert service.disclosures_by_ground(vault, 2025) == {"duty_to_report": 1}


def test_a_refused_step_writes_nothing(vault: Vault) -> None:
    pid = distress_procedure(vault, new_case(vault))
    with pytest.raises(ProtocolViolation):
        service.record_step(vault, pid, Informing(at=NOW + dt.timedelta(days=1)), now=NOW)
    assert len(service.get_procedure(vault, pid).steps) == 9


def test_consent_ground_reads_the_stored_ledger(vault: Vault) -> None:
    case_id = new_case(vault)
    pid = service.open_procedure(vault, case_id, "consent", opened_at=at(1, 9), now=NOW)
    service.record_step(vault, pid, Justification(at=at(2, 9), text="op verzoek melder"), now=NOW)
    service.record_step(vault, pid, Informing(at=at(2, 10)), now=NOW)
    disclosure = Disclosure(at=at(3, 15), shared=frozenset({"summary"}))
    with pytest.raises(ProtocolViolation):
        service.record_step(vault, pid, disclosure, now=NOW)
    consent_service.record_consent(
        vault,
        case_id,
        ConsentRecord("third_party", frozenset({"summary"}), "written", at(2, 11)),
        now=NOW,
    )
    assert service.record_step(vault, pid, disclosure, now=NOW).is_closed


def test_open_items_list_the_flagged_procedure_until_the_reporter_is_told(vault: Vault) -> None:
    case_id = new_case(vault, code="2025-042")
    pid = service.open_procedure(vault, case_id, "duty_to_disclose", opened_at=at(1, 9), now=NOW)
    for step in [
        Justification(at=at(2, 9), text="bevel"),
        LegalBasis(at=at(2, 9), legal_basis="vordering art. 126nd Sv", demanded_by="OvJ"),
        InformingForbidden(at=at(2, 9), forbidden_by="OvJ", reference="PN-1"),
        Disclosure(at=at(3, 9), shared=frozenset({"summary"})),
    ]:
        service.record_step(vault, pid, step, now=NOW)
    [item] = service.procedures_with_open_items(vault)
    assert (item.code, item.procedure_id, item.items) == ("2025-042", pid, ("inform_reporter",))
    service.record_step(vault, pid, Informing(at=at(20, 9), how="brief"), now=NOW)
    assert service.procedures_with_open_items(vault) == []


def test_an_addendum_is_stored_and_points_to_its_step(vault: Vault) -> None:
    pid = distress_procedure(vault, new_case(vault))
    first = service.get_procedure(vault, pid).steps[0].id
    procedure = service.record_step(
        vault, pid, Addendum(at=at(4, 9), text="typfout", corrects=first), now=NOW
    )
    assert procedure.steps[-1] == Addendum(
        at=at(4, 9), text="typfout", corrects=first, id=procedure.steps[-1].id
    )


def test_unknown_case_or_procedure_is_not_found(vault: Vault) -> None:
    with pytest.raises(NotFound):
        service.open_procedure(vault, 999, "consent", now=NOW)
    with pytest.raises(NotFound):
        service.record_step(vault, 999, Informing(at=at(1, 1)), now=NOW)
    with pytest.raises(ProtocolViolation):
        service.open_procedure(vault, new_case(vault), "hunch", now=NOW)


def test_cases_without_confidentiality_explained(vault: Vault) -> None:
    missing = new_case(vault, code="2025-001")
    new_case(vault, explained=dt.date(2025, 5, 1), code="2025-002")
    assert [
        (c.case_id, c.code) for c in service.cases_without_confidentiality_explained(vault)
    ] == [(missing, "2025-001")]


# -- append-only, in the database itself --------------------------------------------------

APPEND_ONLY = [
    ("procedures", "ground = 'consent'"),
    ("procedure_steps", "data = '{}'"),
    ("consents", "form = 'written'"),
    ("consent_withdrawals", "note = 'x'"),
    ("information_requests", "subject = 'x'"),
    ("information_answers", "note = 'x'"),
    ("ledger_addenda", "text = 'x'"),
]


def filled_case(vault: Vault) -> int:
    """A case with a row in every append-only table."""
    from confidant_tui.domain.consent import LedgerAddendum
    from confidant_tui.domain.information_request import InformationAnswer, InformationRequest

    case_id = new_case(vault)
    distress_procedure(vault, case_id)
    cid = consent_service.record_consent(
        vault,
        case_id,
        ConsentRecord("third_party", frozenset({"summary"}), "oral", at(2, 9)),
        now=NOW,
    )
    rid = consent_service.record_information_request(
        vault,
        case_id,
        InformationRequest("manager", "hoe gaat het?", at(3, 9)),
        InformationAnswer(0, "answered_with_consent", at(3, 10), consent_id=cid),
        now=NOW,
    )
    consent_service.withdraw_consent(vault, case_id, cid, at(4, 9), note="n", now=NOW)
    consent_service.add_ledger_addendum(
        vault,
        case_id,
        LedgerAddendum("information_request", rid, at(4, 10), "was de voorzitter"),
        now=NOW,
    )
    return case_id


@pytest.mark.parametrize(("table", "assignment"), APPEND_ONLY)
def test_update_and_delete_are_refused_by_the_database(
    vault: Vault, table: str, assignment: str
) -> None:
    filled_case(vault)
    for statement in (f"UPDATE {table} SET {assignment}", f"DELETE FROM {table}"):
        with (
            pytest.raises(sqlcipher3.IntegrityError, match="append-only"),
            vault.transaction() as conn,
        ):
            conn.execute(statement)
    with vault.reading() as conn:
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1


def test_deleting_the_case_directly_is_refused(vault: Vault) -> None:
    case_id = filled_case(vault)
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"), vault.transaction() as conn:
        conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))


def test_a_marker_for_another_case_does_not_open_the_door(vault: Vault) -> None:
    case_id = filled_case(vault)
    with pytest.raises(sqlcipher3.IntegrityError), vault.transaction() as conn:
        conn.execute("INSERT INTO destruction(case_id) VALUES (?)", (case_id + 1,))
        conn.execute("DELETE FROM consents WHERE case_id = ?", (case_id,))


def test_destroying_a_whole_case_through_the_documented_path(vault: Vault) -> None:
    kept = filled_case(vault)
    doomed = filled_case(vault)
    with vault.transaction() as conn:
        protocol_repo.delete_case_records(conn, doomed)
        conn.execute("DELETE FROM cases WHERE id = ?", (doomed,))
    with vault.reading() as conn:
        for table, _assignment in APPEND_ONLY:
            rows = conn.execute(
                f"SELECT case_id, count(*) FROM {table} GROUP BY case_id"
            ).fetchall()
            assert rows == [(kept, rows[0][1])], table
        assert conn.execute("SELECT count(*) FROM destruction").fetchone()[0] == 0
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
