"""Search that keeps up with typing: short queries, the ranking window, stopping a search."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFacts, Conversation, Intake
from confidant_tui.services import cases
from confidant_tui.services.search import Results, find, too_short
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

TODAY = dt.date(2026, 11, 23)
OPENED = dt.date(2026, 1, 5)

NOTES = [
    # (date, notes), in the order they are written
    (dt.date(2026, 1, 10), "Pesten, pesten en nog eens pesten."),
    (dt.date(2026, 3, 1), "Gesprek over het werk; het pesten op de afdeling kwam kort ter sprake."),
    (dt.date(2026, 2, 1), "Melder noemt pesten door een collega van een andere afdeling."),
    (dt.date(2026, 4, 1), "Afspraak gemaakt; pesten is volgens de leidinggevende voorbij."),
]


@pytest.fixture
def written(vault: Vault) -> dict[dt.date, int]:
    """One case with four conversations that mention pesten, written in the order above;
    returns each conversation's id by its date."""
    case = cases.create_case(
        vault,
        Intake(OPENED, CaseFacts("employee", ("bullying",), wishes="Dat het stopt.")),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    ids = {}
    for date, notes in NOTES:
        ids[date] = cases.add_conversation(
            vault, case.id, Conversation(date, notes=notes), today=TODAY, taxonomy=TAXONOMY
        )
    return ids


def test_a_query_whose_words_all_have_one_or_two_letters_is_not_searched(written, vault) -> None:  # type: ignore[no-untyped-def]
    assert too_short("pe") and too_short("a b") and too_short(' "de" ')
    assert not too_short("pes") and not too_short("de pes") and not too_short("")
    assert find(vault, "pe") == Results([])
    assert find(vault, "a pe") == Results([])
    assert len(find(vault, "pes").hits) == 4  # type: ignore[union-attr]
    assert len(find(vault, "de pes").hits) == 2  # type: ignore[union-attr]


def test_within_the_window_the_best_match_comes_first(written, vault) -> None:  # type: ignore[no-untyped-def]
    found = find(vault, "pesten")
    assert found is not None and found.complete
    assert found.hits[0].conversation_id == written[dt.date(2026, 1, 10)]
    assert len(found.hits) == 4


def test_beyond_the_window_the_most_recently_written_come_newest_first(
    written, vault, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_repo, "WINDOW", 3)
    found = find(vault, "pesten")
    assert found is not None and not found.complete
    # The first-written (best bm25) text is outside the window; the rest by date, newest first.
    assert [hit.conversation_date for hit in found.hits] == [
        dt.date(2026, 4, 1),
        dt.date(2026, 3, 1),
        dt.date(2026, 2, 1),
    ]
    assert len(find(vault, "pesten", limit=2).hits) == 2  # type: ignore[union-attr]
    # Narrowed to the window's size, every match is ranked again, best first.
    assert find(vault, "pesten afdeling").complete  # type: ignore[union-attr]


@pytest.fixture
def many(vault: Vault) -> Vault:
    """A case with 400 indexed texts that all hold the word `dossier`."""
    case = cases.create_case(
        vault,
        Intake(OPENED, CaseFacts("employee", ("bullying",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    with vault.transaction() as conn:
        for index in range(400):
            search_repo.index_text(
                conn, case.id, None, f"field{index}", f"Tekst {index} over het dossier."
            )
    return vault


def test_a_cancelled_search_stops_its_query_and_the_connection_stays_usable(many) -> None:  # type: ignore[no-untyped-def]
    vault = many
    asked: list[bool] = []

    def never() -> bool:
        asked.append(False)
        return False

    full = find(vault, "dossier", limit=100, cancelled=never)
    assert full is not None and len(full.hits) == 100
    steps_of_a_full_search = len(asked)
    assert steps_of_a_full_search >= 10, "the progress handler was hardly consulted"

    asked.clear()

    def on_the_third_look() -> bool:
        asked.append(True)
        return len(asked) >= 3

    assert find(vault, "dossier", limit=100, cancelled=on_the_third_look) is None
    # It stopped when told: one look to abort, one to tell the abort from an error.
    assert len(asked) <= 4 < steps_of_a_full_search

    # The handler is gone: later reads and writes on the one connection are untouched.
    again = find(vault, "dossier", limit=100)
    assert again is not None and len(again.hits) == 100
    with vault.transaction() as conn:
        conn.execute("SELECT count(*) FROM search_docs").fetchone()


def test_the_repository_raises_cancelled_when_told_before_the_query_ends(many) -> None:  # type: ignore[no-untyped-def]
    with many.reading() as conn, pytest.raises(search_repo.Cancelled):
        search_repo.search(conn, '"dossier"*', 10, cancelled=lambda: True)
