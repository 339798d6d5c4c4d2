"""`import` into real encrypted vaults: all or nothing, errors with paths, exact texts."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.domain.interchange import parse_document
from confidant_tui.errors import InvalidInput, ValidationError
from confidant_tui.services import cases, demo_data, importing
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2026, 11, 23)
IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))
"""The moment of the imports in these tests: the end of TODAY."""
ORG = "Mijn organisatie"
REPO = Path(__file__).resolve().parents[3]


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_cases", REPO / "benchmarks" / "generate_cases.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "opened": "2025-03-14",
        "reporter": {"alias": "A.", "role": "employee"},
        "categories": ["bullying"],
    }
    base.update(changes)
    return base


def doc(*items: dict[str, Any]) -> dict[str, Any]:
    return {"format": "confidant-cases/1", "cases": list(items)}


def test_the_demo_file_imports_and_exports_the_same_facts(vault: Vault) -> None:
    document = demo_data.demo_document()
    assert demo_data.load_demo_cases(
        vault, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    ) == len(document["cases"])
    exported = importing.export_cases(vault)
    taxonomy = cases.load_taxonomy()
    sections = importing.import_sections()
    original = parse_document(document, taxonomy, IMPORT_NOW, sections)
    again = parse_document(exported, taxonomy, IMPORT_NOW, sections)
    normalised = [
        replace(c, intake=replace(c.intake, facts=replace(c.intake.facts, organisation=ORG)))
        for c in original
    ]
    assert again == normalised
    assert exported["cases"][6]["reporter"]["name"] == "Kees Voorbeeld"


def test_one_bad_case_refuses_the_whole_file(vault: Vault) -> None:
    good = [case(code=f"2025-00{i}") for i in range(1, 4)]
    bad = case(code="2025-009", conversations=[{"date": "2025-04-01"}, {"date": "2030-01-01"}])
    with pytest.raises(ValidationError) as caught:
        importing.import_document(
            vault,
            doc(*good, bad),
            now=IMPORT_NOW,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    [(path, message)] = caught.value.problems
    assert path == "cases[3].conversations[1].date"
    assert "2025-009" in message
    assert cases.count_cases(vault) == 0


def test_unknown_keys_refuse_the_file(vault: Vault) -> None:
    with pytest.raises(ValidationError) as caught:
        importing.import_document(
            vault,
            doc(case(), case(note="typo")),
            now=IMPORT_NOW,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    assert caught.value.problems[0][0] == "cases[1].note"
    assert cases.count_cases(vault) == 0


def test_duplicate_codes_in_the_file_or_against_the_vault(vault: Vault) -> None:
    with pytest.raises(ValidationError) as caught:
        importing.import_document(
            vault,
            doc(case(code="2025-001"), case(code="2025-001")),
            now=IMPORT_NOW,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    assert caught.value.problems[0][0] == "cases[1].code"
    importing.import_document(
        vault,
        doc(case(code="2025-001")),
        now=IMPORT_NOW,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    with pytest.raises(ValidationError) as caught:
        importing.import_document(
            vault,
            doc(case(code="2025-002"), case(code="2025-001")),
            now=IMPORT_NOW,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    assert caught.value.problems == [
        ("cases[1].code", "dossier 2025-001: de code is al in gebruik in de kluis.")
    ]
    assert cases.count_cases(vault) == 1


def test_cases_without_a_code_are_numbered_after_vault_and_file(vault: Vault) -> None:
    cases.create_case(
        vault,
        Intake(dt.date(2025, 1, 2), CaseFacts("member", ("stalking",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    codes = importing.import_document(
        vault,
        doc(case(), case(code="2025-007"), case(), case(opened="2024-05-05")),
        now=IMPORT_NOW,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    assert codes == ["2025-008", "2025-007", "2025-009", "2024-001"]


@pytest.mark.parametrize(
    "text",
    [
        "😀👩🏽‍⚖️ emoji",
        "مرحبا بالعالم — עברית ‏ RTL ‮override‬",
        "[bold]x[/bold] [link=x]y[/link] [/]",
        "\x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x9b31m \x07 \t \u2028",
    ],
)
def test_texts_are_stored_byte_for_byte(vault_path: Path, text: str) -> None:
    item = case(
        wishes=text,
        reporter={"alias": text[:50], "role": "employee", "name": text, "contact": text},
        people=[{"alias": text[:50], "role": "witness"}],
        conversations=[{"date": "2025-03-14", "notes": text, "advice": text, "next_steps": text}],
        referrals=[{"to": "gp", "date": "2025-03-15", "note": text}],
    )
    with Vault.open(vault_path, PASSPHRASE) as vault:
        importing.import_document(
            vault, doc(item), now=IMPORT_NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        [exported] = importing.export_cases(vault)["cases"]
    conversation = exported["conversations"][0]
    assert exported["wishes"] == conversation["notes"] == conversation["advice"] == text
    assert exported["reporter"]["name"] == exported["reporter"]["contact"] == text
    assert exported["referrals"][0]["note"] == text
    assert exported["people"][0]["alias"] == text[:50]


def test_a_one_megabyte_note_is_imported_whole(vault: Vault, tmp_path: Path) -> None:
    note = ("Een lange aantekening met ë en 😀. " * 40_000)[:1_000_000]
    file = tmp_path / "big.json"
    file.write_text(
        json.dumps(doc(case(conversations=[{"date": "2025-03-14", "notes": note}]))),
        encoding="utf-8",
    )
    [code] = importing.import_file(
        vault, file, now=IMPORT_NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    assert cases.get_case(vault, code).conversations[0].notes == note


def test_three_hundred_generated_cases_import_in_one_go(vault: Vault) -> None:
    document = load_generator().generate(300, seed=7)
    codes = importing.import_document(
        vault, document, now=IMPORT_NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    assert len(codes) == 300 == cases.count_cases(vault)
    assert codes == [c["code"] for c in document["cases"]]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"format": "confidant-cases/1", "cases": [}', "geen geldige JSON"),
        ('{"format": "confidant-cases/1", "format": "x", "cases": []}', "twee keer"),
        ('{"format": "confidant-cases/1", "cases": [{"opened": NaN}]}', "NaN"),
    ],
)
def test_unreadable_files_are_refused_clearly(tmp_path: Path, content: str, fragment: str) -> None:
    file = tmp_path / "f.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        importing.read_file(file)
    assert fragment in caught.value.message
    with pytest.raises(InvalidInput):
        importing.read_file(tmp_path / "missing.json")
    file.write_bytes(b"\xff\xfe{}")
    with pytest.raises(InvalidInput):
        importing.read_file(file)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.json"
    file.write_text("\ufeff" + json.dumps(doc(case())), encoding="utf-8")
    assert importing.read_file(file)["format"] == "confidant-cases/1"


def test_extra_sections_plug_into_validate_store_and_export(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[tuple[int, Any]] = []

    def validate(values, case, today):  # type: ignore[no-untyped-def]
        return list(values["consents"] or []), []

    def store(conn, case_id, case, parsed, recorded_at):  # type: ignore[no-untyped-def]
        assert conn.in_transaction
        stored.append((case_id, parsed))

    def export(conn, case_id):  # type: ignore[no-untyped-def]
        return {"consents": [{"purpose": "recording"}]}

    section = importing.ImportSection("consent", ("consents",), validate, store, export)
    monkeypatch.setattr(importing, "import_sections", lambda: [section])
    [code] = importing.import_document(
        vault,
        doc(case(consents=[{"purpose": "recording"}])),
        now=IMPORT_NOW,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    assert stored == [(cases.get_case(vault, code).id, [{"purpose": "recording"}])]
    assert importing.export_cases(vault)["cases"][0]["consents"] == [{"purpose": "recording"}]
    with pytest.raises(ValidationError):
        importing.import_document(
            vault,
            doc(case(protocol=[{}])),
            now=IMPORT_NOW,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
