"""The search screen's footer shows Enter (Open) while the results have the focus, as the
case list and the today view do; while the search box has it, Enter is the box's."""

from __future__ import annotations

from pathlib import Path

import pytest

from confidant_tui import i18n
from confidant_tui.domain.cases import CaseFacts
from confidant_tui.domain.clock import FixedClock
from confidant_tui.i18n import _
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.ui.screens.search import SearchScreen
from tests.ui.case_helpers import open_case_list, screen_lines, store_case_with_note
from tests.ui.conftest import settle

NOTE = "De melder wil anoniem blijven; de melder is bang voor de gevolgen."


@pytest.mark.parametrize(("language", "size"), [("nl", (80, 24)), ("en", (100, 30))])
async def test_enter_open_shows_while_the_results_have_the_focus(
    vault_path: Path, clock: FixedClock, language: str, size: tuple[int, int]
) -> None:
    store_case_with_note(vault_path, CaseFacts("employee", ("bullying",)), NOTE)
    i18n.set_language(language)
    app = make_app(Settings(today_on_unlock=False), vault_path, clock=clock)
    open_key = "⏎ " + _("Open")
    async with app.run_test(size=size) as pilot:
        await open_case_list(pilot)
        await pilot.press("slash", *"melder")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen) and len(screen.hits) == 1
        assert open_key not in screen_lines(app)[-1]  # Enter in the box moves to the results

        await pilot.press("down")
        await settle(pilot)
        assert screen.focused is screen.query_one("#results")
        assert open_key in screen_lines(app)[-1], screen_lines(app)[-1]

        await pilot.press("f1")  # the help lists it too
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_lines = str(app.screen.query_one("#help-text").render()).splitlines()
        assert any(line.split() == ["Enter", _("Open")] for line in help_lines), help_lines
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("enter")  # and Enter does open it
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
