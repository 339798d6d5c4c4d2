"""Keys typed in the same burst as the key that closes a dialog never run a binding.

Tried in tmux: on the case file `p` opens the ground menu; `2` followed at once by a
sentence chose the ground, and the sentence's letters then ran the bindings of the screens
below the menu (the case file's `e` opened the facts form and the spaces ticked its
categories). The menu had closed, so the screens below were built and took the keys. A key
the terminal delivered before the dialog closed belongs to that moment, not to the screen
that happens to be current when the app reads it: it goes to a text field or is dropped.
"""

from __future__ import annotations

from confidant_tui.services.cases import get_case
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.protocol import ProtocolScreen
from tests.ui.conftest import settle
from tests.ui.test_keys_while_building import SENTENCE, burst
from tests.ui.test_protocol_screen import make_case, open_case_file, procedures


async def test_a_sentence_typed_with_the_ground_choice_runs_no_binding(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        before = get_case(shell.session.vault, case_id)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(shell.screen, ChoiceModal)
        burst(shell, "2", "e", *SENTENCE)
        await settle(pilot)
        assert [type(s) for s in shell.screen_stack[-2:]] == [CaseFileScreen, ProtocolScreen]
        assert len(procedures(shell, case_id)) == 1
        assert procedures(shell, case_id)[0].steps == ()
        assert get_case(shell.session.vault, case_id) == before
        # The guard ends with the burst: a key pressed afterwards acts as usual.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)


async def test_a_key_typed_with_the_one_that_closes_a_screen_runs_no_binding_below(
    shell, vault_path
) -> None:
    """Escape leaves the protocol screen; an `e` typed in the same burst must not open the
    facts form of the case file that comes back."""
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("escape")  # no ground chosen: back on the case file
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(shell.screen, ProtocolScreen)
        burst(shell, "escape", "e", "n", "c")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), type(shell.screen)
        assert [type(s) for s in shell.screen_stack[-1:]] == [CaseFileScreen]
