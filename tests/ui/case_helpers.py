"""Helpers for the case-screen tests: open the case list, read the screen, fill a form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from confidant_tui.domain.cases import CaseFacts, Conversation, Intake
from confidant_tui.domain.clock import FixedClock
from confidant_tui.services.cases import add_conversation, create_case
from confidant_tui.ui.context import context_of
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.conftest import settle, unlock

TODAY = dt.date(2025, 6, 2)
"""The fixed today of the case-screen tests."""


def frozen_clock(app) -> FixedClock:
    """The app's clock (the app must be built with `make_app(..., clock=FixedClock())`)."""
    clock = context_of(app).clock
    assert isinstance(clock, FixedClock), "build the app with a FixedClock (the clock fixture)"
    return clock


def freeze_today(app) -> None:
    """Sets the app's clock to noon of `TODAY` (the case screens ask `context.today()`)."""
    frozen_clock(app).set(TODAY)


def freeze_now(app, moment: dt.datetime) -> None:
    """Sets the app's clock to `moment` (the protocol forms ask `context.now()`)."""
    frozen_clock(app).set(moment)


def store_case_with_note(vault_path: Path, facts: CaseFacts, notes: str) -> tuple[int, int]:
    """Stores a case opened on 01-05-2025 with `facts` and a conversation of 02-05-2025 with
    `notes`, through the services; returns the case's id and the conversation's id."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), facts),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        assert case.id is not None
        conversation_id = add_conversation(
            vault,
            case.id,
            Conversation(dt.date(2025, 5, 2), notes=notes),
            today=TODAY,
            taxonomy=TAXONOMY,
        )
    return case.id, conversation_id


async def open_case_list(pilot: Pilot) -> CaseListScreen:
    """Unlocks and shows the case list (pushed when the shell's home is another screen)."""
    freeze_today(pilot.app)
    await unlock(pilot)
    assert pilot.app.session.is_unlocked, "the vault did not unlock"
    if not isinstance(pilot.app.screen, CaseListScreen):
        await pilot.app.push_screen(CaseListScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseListScreen)
    return pilot.app.screen


def screen_lines(app) -> list[str]:
    """The text of every line the screen shows now, as the terminal would show it."""
    update = app.screen._compositor.render_full_update()
    return ["".join(strip.text for strip in line) for line in update.strips]


def screen_text(app) -> str:
    """The whole screen as one string."""
    return "\n".join(screen_lines(app))


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    """Focuses a field and types `text` into it with key presses."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.clear()
    for char in text:
        if char == "\n":
            await pilot.press("enter")
        else:
            await pilot.press(char if len(char) == 1 and char.isalnum() else _key(char))
    await pilot.pause()


def _key(char: str) -> str:
    names = {
        " ": "space",
        "-": "minus",
        ".": "full_stop",
        ",": "comma",
        ":": "colon",
        "/": "slash",
        "[": "left_square_bracket",
        "]": "right_square_bracket",
        "'": "apostrophe",
        "=": "equals_sign",
        "?": "question_mark",
        "!": "exclamation_mark",
    }
    return names.get(char, char)
