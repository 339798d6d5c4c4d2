"""Full-text search over notes and case texts: words, phrases, edits, plain snippets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from confidant_tui.domain.cases import CaseFacts, Conversation, Intake
from confidant_tui.services import cases
from confidant_tui.services.search import build_query, search, unmark
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2026, 11, 23)
OPENED = dt.date(2026, 3, 2)


@pytest.fixture
def filled(vault: Vault) -> tuple[Vault, int, int]:
    facts = CaseFacts(
        "employee",
        ("bullying",),
        wishes="Zij wil dat het pesten op de afdeling stopt.",
        work_situation="Werkt bij de financiële administratie.",
    )
    case = cases.create_case(
        vault,
        Intake(OPENED, facts),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    other = cases.create_case(
        vault,
        Intake(OPENED, CaseFacts("member", ("stalking",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    conversation_id = cases.add_conversation(
        vault,
        case.id,
        Conversation(
            OPENED,
            notes="De collega maakt kwetsende grappen over haar hoofddoek tijdens het overleg.",
            advice="Gewezen op de bedrijfsarts.",
        ),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.add_conversation(
        vault,
        other.id,
        Conversation(OPENED, notes="Berichten van een oud-lid."),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    return vault, case.id, conversation_id


def test_a_word_is_found_in_notes_with_case_code_and_conversation(filled) -> None:  # type: ignore[no-untyped-def]
    vault, case_id, conversation_id = filled
    [hit] = search(vault, "hoofddoek")
    assert (hit.case_id, hit.code, hit.conversation_id, hit.field) == (
        case_id,
        "2026-001",
        conversation_id,
        "notes",
    )
    assert hit.conversation_date == OPENED
    start, end = hit.spans[0]
    assert hit.snippet[start:end] == "hoofddoek"


def test_a_word_is_found_in_case_texts_ignoring_case_and_accents(filled) -> None:  # type: ignore[no-untyped-def]
    vault, case_id, _ = filled
    [hit] = search(vault, "FINANCIELE")
    assert (hit.case_id, hit.field, hit.conversation_id) == (case_id, "work_situation", None)
    assert hit.snippet[slice(*hit.spans[0])] == "financiële"


def test_words_match_as_prefixes_and_all_must_match(filled) -> None:  # type: ignore[no-untyped-def]
    vault, _, _ = filled
    assert [h.field for h in search(vault, "pest")] == ["wishes"]
    assert [h.code for h in search(vault, "berichten oud")] == ["2026-002"]
    assert search(vault, "berichten hoofddoek") == []


def test_a_phrase_matches_only_in_order(filled) -> None:  # type: ignore[no-untyped-def]
    vault, _, _ = filled
    [hit] = search(vault, '"kwetsende grappen"')
    assert hit.field == "notes"
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["kwetsende grappen"]
    assert search(vault, '"grappen kwetsende"') == []


def test_an_edited_away_word_is_no_longer_found(filled) -> None:  # type: ignore[no-untyped-def]
    vault, case_id, conversation_id = filled
    current = cases.get_case(vault, case_id).conversations[0]
    cases.edit_conversation(
        vault,
        conversation_id,
        replace(current, notes="Opmerkingen over haar kleding."),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    assert search(vault, "hoofddoek") == []
    assert [h.conversation_id for h in search(vault, "kleding")] == [conversation_id]
    assert [h.field for h in search(vault, "bedrijfsarts")] == ["advice"]
    facts = replace(cases.get_case(vault, case_id).facts, wishes=None)
    cases.update_facts(vault, case_id, facts, today=TODAY, taxonomy=TAXONOMY)
    assert search(vault, "pesten") == []


def test_forgetting_a_case_removes_its_index_rows(filled) -> None:  # type: ignore[no-untyped-def]
    vault, case_id, _ = filled
    with vault.transaction() as conn:
        search_repo.forget_case(conn, case_id)
    assert search(vault, "hoofddoek") == [] and search(vault, "financiële") == []
    assert [h.code for h in search(vault, "berichten")] == ["2026-002"]


@pytest.mark.parametrize(
    "query",
    ['"', "AND OR NOT", "*", "col:umn", "NEAR(a b)", "(", "' OR 1=1 --", "\x1b[31m", ""],
)
def test_any_input_is_a_safe_query(filled, query: str) -> None:  # type: ignore[no-untyped-def]
    vault, _, _ = filled
    assert isinstance(search(vault, query), list)


def test_query_building_and_unmarking() -> None:
    assert build_query('pest "kwetsende grappen"') == '"pest"* AND "kwetsende grappen"'
    assert build_query("e-mail") == '"e mail"*'
    assert build_query("  ?! ") is None
    start, end = search_repo.START_MARK, search_repo.END_MARK
    text, spans = unmark(f"a {start}bc{end} d {start}e{end}")
    assert text == "a bc d e" and spans == ((2, 4), (7, 8))


def test_markup_in_notes_comes_back_as_plain_text(vault: Vault) -> None:
    case = cases.create_case(
        vault,
        Intake(OPENED, CaseFacts("member", ("stalking",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    notes = "[bold]vet[/bold] \x1b[31mrood and <i>schuin</i>"
    cases.add_conversation(
        vault, case.id, Conversation(OPENED, notes=notes), today=TODAY, taxonomy=TAXONOMY
    )
    [hit] = search(vault, "vet")
    assert hit.snippet == notes
