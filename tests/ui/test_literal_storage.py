"""Text is stored exactly as given: editing shows control characters as symbols, saves bytes.

A note imported with an ANSI colour, a bell, C1 and bidirectional controls, a real U+FFFD and
CR LF line ends is opened in the conversation editor (and a case's facts in the intake
form); the adviser types one word at the end and saves. What is stored must be the original,
byte for byte, plus that word: never the symbols the editor shows ("␛", "␇", "␍", "�").
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea

from confidant_tui.domain.cases import CaseFacts
from confidant_tui.services.cases import get_case
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.ui.screens.conversation_view import ConversationViewScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.widgets.literal_fields import restore, shown_with_sources
from tests.ui.case_helpers import open_case_list, store_case_with_note
from tests.ui.conftest import settle

NOTE = (
    "Eerste regel \x1b[31mROOD\x1b[0m\r\n"
    "bel\x07 en \x9b31m C1 en \u202eomgekeerd\r\n"
    "echt vervangteken \ufffd en tab\there\r\n"
    "einde"
)
"""An imported note: ANSI, BEL, C1 CSI, a bidi override, U+FFFD, a tab and CR LF line ends."""

ALIAS = "B.\x1b[2J"
WISHES = "Wil \x1b]52;c;aGFjaw==\x07 niets\r\nmeer"


@pytest.fixture
def seeded(vault_path) -> tuple[int, int]:
    """A case with the hostile alias and wishes, and a conversation with the hostile note."""
    return store_case_with_note(
        vault_path, CaseFacts("employee", ("bullying",), reporter_alias=ALIAS, wishes=WISHES), NOTE
    )


def test_restore_keeps_every_stretch_the_adviser_left_alone() -> None:
    shown, sources = shown_with_sources(NOTE)
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert shown.count("\n") == NOTE.count("\r\n")
    assert restore(sources, shown, shown) == NOTE
    # Two edits far apart, one deletion: everything else keeps its bytes.
    edited = "X" + shown.replace("bel", "Bel", 1).replace(" en tab", "", 1) + "!"
    expected = "X" + NOTE.replace("bel", "Bel", 1).replace(" en tab", "", 1) + "!"
    assert restore(sources, shown, edited) == expected


async def test_editing_an_imported_note_stores_its_bytes_plus_the_edit(shell, seeded) -> None:
    case_id, conversation_id = seeded
    async with shell.run_test(size=(120, 40)) as pilot:
        await open_case_list(pilot)
        await shell.push_screen(CaseFileScreen(case_id, select=f"conv-{conversation_id}"))
        await settle(pilot)
        shell.screen.query_one("#timeline", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConversationViewScreen)  # read-only first
        await pilot.press("e")
        await settle(pilot)
        editor = shell.screen
        assert isinstance(editor, ConversationScreen)
        notes = editor.query_one("#notes", TextArea)
        assert shell.focused is notes
        shown = notes.text
        assert "␛[31mROOD" in shown and "␇" in shown and "␍" not in shown
        await pilot.press(*["down"] * 5, "end", "space", "w", "o", "o", "r", "d")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(shell.screen, ConversationScreen)
        [stored] = [c for c in get_case(shell.session.vault, case_id).conversations]
        assert stored.notes == NOTE + " woord"
        assert stored.notes.encode("utf-8") == NOTE.encode("utf-8") + b" woord"


async def test_editing_facts_keeps_the_bytes_of_alias_and_wishes(shell, seeded) -> None:
    case_id, _conversation_id = seeded
    async with shell.run_test(size=(120, 50)) as pilot:
        await open_case_list(pilot)
        await shell.push_screen(CaseFileScreen(case_id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = shell.screen
        assert isinstance(form, IntakeScreen)
        assert form.query_one("#reporter_alias", Input).value == "B.␛[2J"
        wishes = form.query_one("#wishes", TextArea)
        wishes.focus()
        await pilot.pause()
        await pilot.press("down", "down", "end", "space", "n", "u")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(shell.screen, IntakeScreen)
        facts = get_case(shell.session.vault, case_id).facts
        assert facts.reporter_alias == ALIAS
        assert facts.wishes == WISHES + " nu"
