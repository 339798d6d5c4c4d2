"""`consents` and `protocol` entries through the import: the same rules, the whole file refused."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from protocol_import_cases import (
    CASES,
    CONDITIONS,
    IMPORT_NOW,
    Mutation,
    consent_entry,
    distress_entry,
    document,
    third_party,
)

from confidant_tui.errors import ValidationError
from confidant_tui.services import consent as consent_service
from confidant_tui.services import importing
from confidant_tui.services import protocol as protocol_service
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY


def refused(vault: Vault, doc: dict) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        importing.import_document(
            vault, doc, now=IMPORT_NOW, default_organisation="Partij", taxonomy=TAXONOMY
        )
    with vault.reading() as conn:
        for table in ("cases", "consents", "procedures", "procedure_steps"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    return caught.value.problems


def test_a_valid_file_imports_consents_and_procedures(vault: Vault) -> None:
    doc = document(
        consents=[
            third_party(),
            {
                "purpose": "referral",
                "destination": "occupational_health",
                "scope": ["role", "work_situation"],
                "form": "oral",
                "date": "2025-03-20",
                "withdrawn": "2025-04-01",
            },
        ],
        protocol=[distress_entry(), consent_entry()],
    )
    assert importing.import_document(
        vault, doc, now=IMPORT_NOW, default_organisation="P", taxonomy=TAXONOMY
    ) == ["2025-003"]
    ledger = consent_service.consent_ledger(vault, "2025-003")
    assert [c.purpose for c in ledger.consents] == ["third_party", "referral"]
    assert ledger.withdrawn_at(ledger.consents[1].id) == dt.datetime(2025, 4, 1)
    first, second = protocol_service.case_procedures(vault, "2025-003")
    assert first.is_closed and first.effective_ground == "conscientious_distress"
    assert first.conditions() == {n: f"toelichting {n}" for n in range(1, 9)}
    assert first.disclosure.shared == {"name", "summary"}
    assert second.effective_ground == "consent"
    exported = importing.export_cases(vault)
    case = exported["cases"][0]
    assert case["consents"][1]["withdrawn"] == "2025-04-01"
    assert case["protocol"][0]["informed_at"] == "2025-05-01T10:00"
    assert case["protocol"][0]["conditions"] == CONDITIONS
    assert case["protocol"][1]["shared"] == ["role", "summary"]


def test_an_exported_file_imports_again(vault: Vault, tmp_path: Any) -> None:
    doc = document(consents=[third_party()], protocol=[distress_entry(), consent_entry()])
    importing.import_document(
        vault, doc, now=IMPORT_NOW, default_organisation="P", taxonomy=TAXONOMY
    )
    exported = importing.export_cases(vault)
    exported["cases"][0]["code"] = "2025-004"
    assert importing.import_document(
        vault, exported, now=IMPORT_NOW, default_organisation="P", taxonomy=TAXONOMY
    )


def test_duty_to_disclose_with_a_prohibition_imports_flagged(vault: Vault) -> None:
    entry = distress_entry(
        ground="duty_to_disclose",
        conditions=None,
        legal_basis="vordering",
        demanded_by="officier van justitie",
        informed_at="2025-05-20T09:00",
        informing_forbidden_by="officier van justitie",
        informing_forbidden_reference="PN-2025-1",
    )
    importing.import_document(
        vault,
        document(protocol=[entry]),
        now=IMPORT_NOW,
        default_organisation="P",
        taxonomy=TAXONOMY,
    )
    [procedure] = protocol_service.case_procedures(vault, "2025-003")
    assert procedure.flagged and procedure.open_items() == []
    without_later = dict(entry, informed_at=None)
    doc = document(protocol=[without_later])
    doc["cases"][0]["code"] = "2025-009"
    importing.import_document(
        vault, doc, now=IMPORT_NOW, default_organisation="P", taxonomy=TAXONOMY
    )
    assert [i.code for i in protocol_service.procedures_with_open_items(vault)] == ["2025-009"]


@pytest.mark.parametrize(
    ("make", "path", "fragment"),
    [pytest.param(make, path, fragment, id=name) for name, make, path, fragment in CASES],
)
def test_every_rule_refuses_the_whole_file(
    vault: Vault, make: Mutation, path: str, fragment: str
) -> None:
    doc = make()
    doc["cases"].insert(0, copy.deepcopy(document()["cases"][0]) | {"code": "2025-001"})
    doc["cases"][1]["code"] = "2025-003"
    problems = refused(vault, doc)
    shifted = path.replace("cases[0]", "cases[1]")
    matching = [m for p, m in problems if p == shifted]
    assert matching, problems
    assert matching[0].startswith("dossier 2025-003: "), matching
    assert fragment in matching[0], matching


def test_imported_entries_are_recorded_at_the_moment_of_the_import(vault: Vault) -> None:
    """The moment comes from the caller (the app's or the command's clock), not the system."""
    moment = dt.datetime(2025, 6, 1, 14, 7)
    doc = document(consents=[third_party()], protocol=[distress_entry()])
    importing.import_document(vault, doc, now=moment, default_organisation="P", taxonomy=TAXONOMY)
    with vault.reading() as conn:
        for table in ("consents", "procedures", "procedure_steps"):
            found = {row[0] for row in conn.execute(f"SELECT recorded_at FROM {table}")}
            assert found == {"2025-06-01T14:07"}, table
