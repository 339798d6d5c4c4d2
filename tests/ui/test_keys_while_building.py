"""Keys typed while a screen or dialog is being built go to its text field or are dropped.

A fast typist presses `2` on the protocol screen and types the explanation at once; the
terminal delivers the whole burst before the dialog exists. `burst` sends keys exactly so:
all at once, with no pause for the app in between (`pilot.press` waits after each key, so
it cannot show the problem). Whatever the timing, no key may run an action of the screen
below, nor a single-letter binding of the new one.
"""

from __future__ import annotations

import datetime as dt

from textual import events
from textual.widgets import Button, TextArea

from confidant_tui.services.cases import get_case
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.modals.protocol_step import StepModal
from confidant_tui.ui.screens.protocol import ProtocolScreen
from tests.ui.case_helpers import freeze_now
from tests.ui.conftest import settle
from tests.ui.test_protocol_screen import (
    NOW,
    fill,
    make_case,
    open_case_file,
    procedures,
    start,
)

SENTENCE = "3 dagen gesprekken; alles gedaan, ook via jurist"
"""Holds digits and the protocol screen's letters (s, d, c, a, i, j, o, g) and a space."""

_NAMES = {" ": "space", ";": "semicolon", ",": "comma", ".": "full_stop"}


def burst(app, *keys: str) -> None:
    """Sends key presses the way a terminal delivers fast typing: all at once."""
    for key in keys:
        character = key if len(key) == 1 else {"space": " "}.get(key)
        event = events.Key(_NAMES.get(key, key), character)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_a_sentence_typed_right_after_2_lands_in_the_explanation(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await start(pilot, case_id)
        burst(shell, "2", *SENTENCE)
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, StepModal), type(modal)
        assert modal.kind == "condition" and modal.number == 2
        assert modal.query_one("#explanation", TextArea).text == SENTENCE
        assert [type(s) for s in shell.screen_stack[-2:]] == [ProtocolScreen, StepModal]
        assert procedures(shell, case_id)[0].steps == ()


async def test_a_sentence_typed_as_a_dialog_opens_lands_in_its_first_field(
    shell, vault_path
) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await start(pilot, case_id)
        burst(shell, "j", *SENTENCE)
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, StepModal) and modal.kind == "justification"
        assert modal.query_one("#text", TextArea).text == SENTENCE
        assert procedures(shell, case_id)[0].steps == ()


async def test_keys_typed_while_a_menu_opens_are_dropped(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await start(pilot, case_id)
        # s opens the step menu; without the guard, 2 picks the consent attempt and d
        # opens the disclosure on the screen below.
        burst(shell, "s", "2", "d", "enter")
        await settle(pilot)
        assert isinstance(shell.screen, ChoiceModal), type(shell.screen)
        assert not any(isinstance(s, StepModal) for s in shell.screen_stack)
        assert procedures(shell, case_id)[0].steps == ()


async def test_typing_into_the_first_conversation_prompt_never_confirms(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(110, 34)) as pilot:
        await open_case_file(pilot, case_id)
        burst(shell, "c", *"Hallo daar", "enter", "space")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, ConfirmModal), type(modal)
        assert shell.focused is modal.query_one("#cancel", Button)
        assert get_case(shell.session.vault, case_id).facts.confidentiality_explained is None
        # Once the dialog is there, a reflexive Enter answers "Not now".
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(shell.screen, ConfirmModal)
        assert get_case(shell.session.vault, case_id).facts.confidentiality_explained is None


async def _save_a_justification_at_16_07(pilot, case_id: int, *, dated: str) -> None:
    """Opens the justification form at 16:00 (`NOW`), then saves it at 16:07 with the step
    dated at `dated` ("HH:MM") on 02-06-2025."""
    await start(pilot, case_id)
    await pilot.press("j")
    await settle(pilot)
    freeze_now(pilot.app, NOW + dt.timedelta(minutes=7))
    await fill(pilot, {"text": "Gevaar"}, ("02-06-2025", dated))
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_a_step_dated_in_the_minute_of_saving_is_accepted(shell, vault_path) -> None:
    """The dialog opened at 16:00; the adviser saves at 16:07 a step dated 16:05."""
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await _save_a_justification_at_16_07(pilot, case_id, dated="16:05")
        assert isinstance(shell.screen, ProtocolScreen), type(shell.screen)
        [step] = procedures(shell, case_id)[0].steps
        assert step.at == dt.datetime(2025, 6, 2, 16, 5)


async def test_a_step_after_the_moment_of_saving_is_still_refused(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await _save_a_justification_at_16_07(pilot, case_id, dated="16:08")
        assert isinstance(shell.screen, StepModal)
        assert shell.screen.query_one("#text", TextArea).text == "Gevaar"
        assert procedures(shell, case_id)[0].steps == ()
