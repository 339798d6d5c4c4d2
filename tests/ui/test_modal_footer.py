"""A dialog's footer shows the dialog's keys, never those of the screen beneath it.

Textual's modal screen shows the screen below, footer included; its keys do nothing while
the dialog is open. Every dialog of Confidant has its own footer over it (the forms had one
already): the question, the error, the menu of choices, the earlier versions and the two
draft dialogs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen

from confidant_tui import i18n
from confidant_tui.domain.clock import FixedClock
from confidant_tui.i18n import _
from confidant_tui.services.drafts import Draft
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.draft_offer import DraftOfferModal
from confidant_tui.ui.modals.draft_text import DraftTextModal
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.modals.versions import VersionsModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from tests.ui.case_helpers import open_case_list, screen_lines, type_into
from tests.ui.conftest import settle

SIZES = [("nl", (80, 24)), ("en", (100, 30))]
MOMENT = dt.datetime(2025, 6, 1, 12, 0)


def footer(app) -> str:
    """The bottom line of the terminal."""
    return screen_lines(app)[-1]


def app_in(language: str, demo_path: Path, clock: FixedClock):
    i18n.set_language(language)
    return make_app(Settings(today_on_unlock=False), demo_path, clock=clock)


@pytest.mark.parametrize(("language", "size"), SIZES)
async def test_the_discard_question_shows_its_keys_not_the_forms(
    demo_path: Path, clock: FixedClock, language: str, size: tuple[int, int]
) -> None:
    app = app_in(language, demo_path, clock)
    async with app.run_test(size=size) as pilot:
        await open_case_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert _("Save") in footer(app)
        await type_into(pilot, "#reporter_alias", "A.")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _("Save") not in footer(app), footer(app)  # Ctrl+S does nothing here
        # Escape is named as the button it stands for: it keeps the form, it cancels the
        # question (the form's own Escape, "Cancel", was what asked it).
        assert footer(app).split() == ["esc", *_("Keep editing").split()], footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)


@pytest.mark.parametrize(("language", "size"), SIZES)
async def test_the_case_files_dialogs_show_their_keys(
    demo_path: Path, clock: FixedClock, language: str, size: tuple[int, int]
) -> None:
    app = app_in(language, demo_path, clock)
    async with app.run_test(size=size) as pilot:
        await open_case_list(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        below = _("Conversation")
        assert below in footer(app)

        await pilot.press("up", "h")  # the conversation's earlier versions
        await settle(pilot)
        assert isinstance(app.screen, VersionsModal)
        assert below not in footer(app) and "esc " + _("Close") in footer(app), footer(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("p")  # the grounds of a protocol procedure
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ChoiceModal)
        assert below not in footer(app) and "esc " + _("Cancel") in footer(app), footer(app)
        # The list keeps within its dialog, above the footer: its last line shows.
        choices, dialog = menu.query_one("#choices"), menu.query_one("#choice-dialog")
        assert choices.region.bottom <= dialog.content_region.bottom, (choices.region, dialog)


DIALOGS: list[tuple[str, Callable[[], Screen], str]] = [
    ("error", lambda: ErrorModal("Er ging iets mis.", [("x", "Een probleem.")]), "Close"),
    (
        "draft offer",
        lambda: DraftOfferModal(Draft(1, "intake", None, None, {}, MOMENT)),
        "Later",
    ),
    (
        "draft text",
        lambda: DraftTextModal(
            Draft(1, "dialog", None, None, {"title": "T", "fields": []}, MOMENT)
        ),
        "Keep for later",
    ),
]


@pytest.mark.parametrize(("language", "size"), SIZES)
@pytest.mark.parametrize(("name", "dialog", "escape"), DIALOGS, ids=[d[0] for d in DIALOGS])
async def test_the_other_dialogs_show_their_keys(
    demo_path: Path,
    clock: FixedClock,
    language: str,
    size: tuple[int, int],
    name: str,
    dialog: Callable[[], Screen],
    escape: str,
) -> None:
    app = app_in(language, demo_path, clock)
    async with app.run_test(size=size) as pilot:
        await open_case_list(pilot)
        below = _("New case")
        assert below in footer(app)
        app.push_screen(dialog())
        await settle(pilot)
        assert below not in footer(app), footer(app)
        assert "esc " + _(escape) in footer(app), footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert below in footer(app)
