"""The categories added after 0.1.0 import, export and count in the yearly report (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from confidant_tui import i18n
from confidant_tui.errors import ValidationError
from confidant_tui.services import importing
from confidant_tui.services import report as report_service
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

NOW = dt.datetime(2026, 11, 23, 23, 59)
ADDED = (
    "discrimination.culture",
    "safer_space_breach",
    "integrity.data_carrier_loss",
    "integrity.relationship",
    "integrity.justice_contact",
)


def case(number: int, categories: list[str]) -> dict[str, Any]:
    return {
        "code": f"2025-{number:03d}",
        "opened": "2025-03-14",
        "reporter": {"alias": "A.", "role": "member"},
        "categories": categories,
    }


def _import(vault: Vault, cases: list[dict[str, Any]]) -> list[str]:
    return importing.import_document(
        vault,
        {"format": "confidant-cases/1", "cases": cases},
        now=NOW,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )


def test_cases_with_the_new_keys_import_export_and_count_in_the_yearly_report(
    vault: Vault,
) -> None:
    # Five cases each (the default threshold is 5), so no cell is suppressed.
    cases = [case(n, ["safer_space_breach", "discrimination.culture"]) for n in range(1, 6)]
    cases += [
        case(6, ["integrity.data_carrier_loss"]),
        case(7, ["integrity.relationship", "integrity.justice_contact"]),
        case(8, ["integrity.relationship"]),
        case(9, ["integrity.justice_contact", "integrity.data_carrier_loss"]),
        case(10, ["integrity.data_carrier_loss", "bullying"]),
    ]
    assert _import(vault, cases) == [f"2025-{n:03d}" for n in range(1, 11)]

    exported = {c["code"]: c["categories"] for c in importing.export_cases(vault)["cases"]}
    assert exported == {c["code"]: c["categories"] for c in cases}

    built = report_service.build_report(vault, 2025, threshold=5, taxonomy=TAXONOMY)
    assert built.document["cases_opened"] == 10
    # The report counts top-level categories: a sub-kind under its parent, once per case.
    assert built.document["by_category"] == {
        "safer_space_breach": 5,
        "discrimination": 5,
        "integrity": 5,
        "bullying": "<5",
    }

    i18n.set_language("en")
    markdown = report_service.render(built, "md")
    assert "Breach of safe(r) space" in markdown
    assert "safer_space_breach" not in markdown


@pytest.mark.parametrize("key", ADDED)
def test_each_new_key_is_accepted_on_its_own(vault: Vault, key: str) -> None:
    assert _import(vault, [case(1, [key])]) == ["2025-001"]


def test_a_near_miss_of_a_new_key_is_still_refused(vault: Vault) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(vault, [case(1, ["discrimination.cultural_background"])])
    assert [path for path, _message in caught.value.problems] == ["cases[0].categories[0]"]
