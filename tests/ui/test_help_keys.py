"""F1 lists each key once, under the keys of the screen it was opened from.

A palette command's key (d: Due for destruction) works on the screen that binds it, the case
list; on the case file the same letter adds a referral, on the search screen it is typed.
The help lists every palette command on every screen, and a key only where it is listed
among the screen's own keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from confidant_tui import i18n
from confidant_tui.domain.clock import FixedClock
from confidant_tui.i18n import _
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.commands import COMMANDS
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.ui.screens.search import SearchScreen
from tests.ui.case_helpers import open_case_list
from tests.ui.conftest import settle


def sections(help_text: str) -> tuple[list[str], list[str]]:
    """The lines of the help's list of keys and of its list of commands."""
    lines = help_text.splitlines()
    keys_start = lines.index(_("Keys on this screen")) + 1
    commands_start = lines.index(_("Commands (Ctrl+P, then type)")) + 1
    keys = lines[keys_start : lines.index("", keys_start)]
    commands = lines[commands_start : lines.index("", commands_start)]
    return keys, commands


def keys_listed(key_lines: list[str]) -> list[str]:
    """The key at the start of each line of the list of keys."""
    return [line.split()[0] for line in key_lines]


def command_keys(command_lines: list[str]) -> dict[str, str]:
    """Each command's title and what stands between it and its explanation (its key)."""
    found = {}
    for command in COMMANDS:
        title, explanation = _(command.title), _(command.help)
        [line] = [line for line in command_lines if line.startswith("  " + title + "  ")]
        between = line[2 + len(title) :]
        found[title] = between[: between.index(explanation.split()[0])].strip()
    return found


async def help_lines(pilot) -> tuple[list[str], list[str]]:
    """Presses F1, reads the help's two lists, and goes back with Escape."""
    await pilot.press("f1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)
    listed = sections(str(pilot.app.screen.query_one("#help-text").render()))
    await pilot.press("escape")
    await settle(pilot)
    return listed


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_each_key_is_listed_once_on_every_screen(
    demo_path: Path, clock: FixedClock, language: str
) -> None:
    i18n.set_language(language)
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)

        # The case list binds d, a, t and n to the palette's commands: listed as its keys.
        keys, commands = await help_lines(pilot)
        assert isinstance(app.screen, CaseListScreen)
        listed = keys_listed(keys)
        for key in ("d", "a", "t", "n", "/", "Ctrl+L", "Ctrl+Q", "F1"):
            assert listed.count(key) == 1, (key, keys)
        assert not any(command_keys(commands).values()), commands

        # The case file binds the same letters to its own actions.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        keys, commands = await help_lines(pilot)
        listed = keys_listed(keys)
        for key, description in (("d", "Referral"), ("a", "Answer"), ("t", "Consent")):
            assert listed.count(key) == 1, (key, keys)
            assert _(description) in keys[listed.index(key)]
        keyed = command_keys(commands)  # every command still there, none with a key
        assert len(keyed) == len(COMMANDS) and not any(keyed.values()), commands

        # On the search screen a letter is typed into the search box: no letter beside a
        # command, and every command still listed.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        keys, commands = await help_lines(pilot)
        assert not {"d", "a", "t", "n", "/"} & set(keys_listed(keys)), keys
        keyed = command_keys(commands)
        assert len(keyed) == len(COMMANDS) and not any(keyed.values()), commands
