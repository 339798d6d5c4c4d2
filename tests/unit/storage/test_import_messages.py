"""A refused import names each problem's place as a person counts it: "dossier 1 (2025-003),
veld opened", not `cases[0].opened`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PASSPHRASE, TAXONOMY

from confidant_tui import i18n
from confidant_tui.errors import ValidationError
from confidant_tui.services import importing
from confidant_tui.vault.store import Vault

NOW = dt.datetime(2025, 6, 1, 12, 0)


def _case(**changes: object) -> dict[str, object]:
    return {
        "opened": "2025-01-01",
        "reporter": {"role": "employee"},
        "categories": ["bullying"],
        **changes,
    }


def _refusal(*cases: dict[str, object]) -> tuple[ValidationError, list[str]]:
    document = {"format": "confidant-cases/1", "cases": list(cases)}
    with pytest.raises(ValidationError) as caught:
        importing.validate_document(document, now=NOW, taxonomy=TAXONOMY)
    return caught.value, importing.problem_lines(caught.value, importing.file_codes(document))


def test_the_place_counts_cases_and_list_items_from_one_and_names_the_code() -> None:
    error, lines = _refusal(
        _case(code="2025-003"),
        _case(code="2025-007", opened="2025-13-01"),
        _case(conversations=[{"date": "2025-02-01", "minutes": 30}, {"date": "gisteren"}]),
    )
    assert [path for path, _message in error.problems] == [
        "cases[1].opened",
        "cases[2].conversations[1].date",
    ]  # the error keeps the file's paths for programs
    assert lines[0].startswith("dossier 2 (2025-007), veld opened: Hier wordt een datum verwacht")
    assert "dossier 2025-007" not in lines[0]  # the code is named once
    assert lines[1].startswith("dossier 3, conversations 2, veld date: ")


def test_nested_fields_and_list_items_read_in_english_too() -> None:
    i18n.set_language("en")
    _error, lines = _refusal(
        _case(code="2025-001", reporter={"role": "boss"}, categories=["bullying", "nonsense"])
    )
    assert lines[0].startswith("case 1 (2025-001), field reporter.role: 'boss' is not")
    assert lines[1].startswith("case 1 (2025-001), field categories 2: ")


def test_a_repeated_code_names_the_other_case_by_its_number() -> None:
    i18n.set_language("en")
    _error, lines = _refusal(_case(code="2025-001"), _case(code="2025-001"))
    assert lines == ["case 2 (2025-001), field code: The code 2025-001 is also used by case 1."]


def test_a_code_already_in_the_vault_is_placed_by_the_validated_cases(vault_path: Path) -> None:
    one = _case(code="2025-001")
    document = {"format": "confidant-cases/1", "cases": [_case(code="2025-002"), one]}
    with Vault.open(vault_path, PASSPHRASE) as vault:
        importing.import_document(
            vault,
            {"format": "confidant-cases/1", "cases": [one]},
            now=NOW,
            taxonomy=TAXONOMY,
            default_organisation="Mijn organisatie",
        )
        cases = importing.validate_document(document, now=NOW, taxonomy=TAXONOMY)
        with pytest.raises(ValidationError) as caught:
            importing.store_validated(
                vault, cases, now=NOW, default_organisation="Mijn organisatie"
            )
    codes = {case.index: case.intake.code for case in cases if case.intake.code}
    lines = importing.problem_lines(caught.value, codes)
    assert lines == ["dossier 2 (2025-001), veld code: de code is al in gebruik in de kluis."]


def test_problems_outside_a_case_keep_their_words() -> None:
    document = {"format": "confidant-cases/1"}
    with pytest.raises(ValidationError) as caught:
        importing.validate_document(document, now=NOW, taxonomy=TAXONOMY)
    lines = importing.problem_lines(caught.value, importing.file_codes(document))
    assert lines == ["veld cases: De lijst met dossiers ('cases') ontbreekt."]
