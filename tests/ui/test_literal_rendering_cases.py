"""Text from the vault is shown literally on the case screens: no markup, no escapes."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from confidant_tui.domain.cases import CaseFacts
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.search import SearchScreen
from tests.ui.case_helpers import (
    open_case_list,
    screen_lines,
    screen_text,
    store_case_with_note,
)
from tests.ui.conftest import settle

NOTE = "[bold]vet[/bold] [link=https://x.test]klik[/link] \x1b[31mROOD\x1b]52;c;aGFjaw==\x07 bel\x07 einde"
ALIAS = "[red]A.[/red]\x1b[2J"


@pytest.fixture
def seeded(vault_path) -> tuple[int, int]:
    """A case whose alias and note hold markup, ANSI and OSC sequences, and a bell."""
    return store_case_with_note(
        vault_path, CaseFacts("employee", ("bullying",), reporter_alias=ALIAS, wishes=NOTE), NOTE
    )


def _assert_no_control_characters(app) -> None:
    for line in screen_lines(app):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line), repr(line)


async def test_case_list_and_case_file_show_markup_and_escapes_literally(shell, seeded) -> None:
    case_id, conversation_id = seeded
    async with shell.run_test(size=(120, 40)) as pilot:
        await open_case_list(pilot)
        text = screen_text(shell)
        assert "2025-001" in text
        _assert_no_control_characters(shell)

        await pilot.app.push_screen(CaseFileScreen(case_id, select=f"conv-{conversation_id}"))
        await settle(pilot)
        text = screen_text(shell)
        assert "[bold]vet[/bold]" in text
        assert "[link=https://x.test]klik[/link]" in text
        assert "␛[31mROOD␛]52;c;aGFjaw==␇" in text
        assert "[red]A.[/red]␛[2J" in text
        _assert_no_control_characters(shell)


async def test_search_results_show_the_snippet_literally(shell, seeded) -> None:
    async with shell.run_test(size=(120, 40)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(SearchScreen())
        await settle(pilot)
        pilot.app.screen.query_one("#query", Input).value = "klik"
        await settle(pilot)
        text = screen_text(shell)
        assert "[link=https://x.test]klik[/link]" in text
        _assert_no_control_characters(shell)


async def test_the_conversation_editor_shows_the_note_literally(shell, seeded) -> None:
    case_id, conversation_id = seeded
    async with shell.run_test(size=(120, 40)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(ConversationScreen(case_id, conversation_id))
        await settle(pilot)
        assert "[bold]vet[/bold]" in screen_text(shell)
        _assert_no_control_characters(shell)
