"""The app's stylesheets are parsed before the first frame and while the passphrase is typed,
never again on the way to the case list; the theme's colours are there from the start."""

from __future__ import annotations

from typing import Any

import pytest

from confidant_tui.ui import warm_up
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.theme import CONFIDANT_THEME
from tests.ui.conftest import settle, unlock


def count_reparses(app: Any) -> list[int]:
    """Counts the app's full stylesheet parses from now on (`counted[0]`)."""
    counted = [0]
    stylesheet = app.stylesheet
    original = stylesheet.reparse

    def reparse() -> None:
        counted[0] += 1
        original()

    stylesheet.reparse = reparse
    return counted


async def test_unlocking_and_opening_a_case_parse_no_stylesheet(demo_path, shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sources = {str(path) for path in warm_up.stylesheets()}
        assert sources and all(shell.stylesheet.has_source(path, "") for path in sources)
        counted = count_reparses(shell)
        await unlock(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)
        assert counted[0] == 0
        await shell.lock()
        await unlock(pilot)
        assert counted[0] == 0


async def test_the_theme_is_there_before_the_first_frame(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        assert shell.theme == CONFIDANT_THEME.name
        assert shell.has_class(f"-theme-{CONFIDANT_THEME.name}", "-dark-mode")
        assert shell.stylesheet._variables["primary"].lower() == CONFIDANT_THEME.primary.lower()
        await pilot.pause()


@pytest.mark.parametrize("name", ["case_list.tcss", "case_file.tcss", "confirm.tcss"])
def test_every_screen_and_dialog_stylesheet_is_warmed_up(name: str) -> None:
    assert name in {path.name for path in warm_up.stylesheets()}


async def test_start_up_objects_are_frozen_while_the_app_runs_and_thawed_after(shell) -> None:
    import gc

    async with shell.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
