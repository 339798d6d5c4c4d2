"""The adviser's day through the keyboard: intake, conversation, search, close, restart."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.conversation_view import ConversationViewScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.search import SearchScreen
from confidant_tui.ui.widgets.taxonomy_picker import CategoryPicker
from tests.ui.case_helpers import open_case_list, screen_text, type_into
from tests.ui.conftest import settle


async def choose(pilot, selector: str, typed: str) -> None:
    """Opens a Select with Enter, types the start of a label, and picks it with Enter."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.press("enter")
    for char in typed:
        await pilot.press(char)
    await pilot.press("enter")
    await pilot.pause()


async def fill_intake(pilot) -> None:
    """Fills the intake form with key presses: alias, role, a category, wishes, dates."""
    await type_into(pilot, "#reporter_alias", "A.")
    await choose(pilot, "#reporter_role", "Medew")
    picker = pilot.app.screen.query_one("#categories", CategoryPicker)
    picker.focus()
    await pilot.pause()
    # The first entries are discrimination and its grounds; Pesten comes later.
    target = picker._order.index("bullying")
    for _step in range(target):
        await pilot.press("down")
    await pilot.press("space")
    await type_into(pilot, "#wishes", "Wil eerst alleen haar verhaal kwijt")
    await type_into(pilot, "#confidentiality_explained", "t")
    await type_into(pilot, "#recording_consent", "02-06-2025")


async def test_case_from_intake_to_closing_survives_a_restart(shell, vault_path, clock) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(shell.screen, IntakeScreen)
        await fill_intake(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), screen_text(shell)
        assert "2025-001" in screen_text(shell)

        # A conversation, typed in the multi-line editor.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationScreen)
        await type_into(pilot, "#minutes", "45")
        await type_into(pilot, "#notes", "Melder voelt zich buitengesloten\nbij het team.")
        await type_into(pilot, "#advice", "Dagboek bijhouden")
        await type_into(pilot, "#follow_up", "16-06-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert "buitengesloten" in screen_text(shell), screen_text(shell)

        # Find it by search, open the conversation.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(shell.screen, SearchScreen)
        for char in "buitengeslo":
            await pilot.press(char)
        await settle(pilot)
        assert shell.screen.query_one("#results", OptionList).option_count == 1
        await pilot.press("enter")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)  # read-only first
        assert "buitengesloten" in screen_text(shell)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationScreen)
        assert "buitengesloten" in shell.screen.query_one("#notes").text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)

        # Close the case.
        await pilot.press("s")
        await settle(pilot)
        await choose(pilot, "#status", "Gesl")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert "Gesloten" in screen_text(shell)
        await pilot.press("ctrl+q")
        await settle(pilot)

    # A new app on the same vault finds everything.
    again = make_app(Settings(), vault_path, clock=clock)
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await open_case_list(pilot)
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == 1
        text = screen_text(again)
        assert "2025-001" in text and "Gesloten" in text and "Pesten" in text
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(again)
        assert "buitengesloten" in text and "Wil eerst alleen" in text
        assert "Status: Gesloten" in text
