"""Texts of the adviser's day (issue 20): keys as typed, a Dutch palette, visible tick marks,
date placeholders per language, and a language that applies as soon as it is saved."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input, Select, Static

from confidant_tui import i18n
from confidant_tui.settings import Settings, load_settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.help import HelpScreen, key_label
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.settings import SettingsScreen
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.marks import ChoiceButton, TickBox
from confidant_tui.ui.widgets.moment_field import MomentField
from confidant_tui.ui.widgets.taxonomy_picker import CategoryPicker
from tests.ui.case_helpers import screen_lines, type_into
from tests.ui.conftest import settle, unlock


def _line(widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


# -- keys as the adviser types them ------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("c", "c"),
        ("s", "s"),
        ("slash", "/"),
        ("question_mark", "?"),
        ("enter", "Enter"),
        ("escape", "Esc"),
        ("ctrl+p", "Ctrl+P"),
        ("ctrl+s", "Ctrl+S"),
        ("shift+tab", "Shift+Tab"),
        ("f1", "F1"),
        ("home,ctrl+home", "Home"),
        ("left_square_bracket", "["),
        ("pagedown", "PgDn"),
    ],
)
def test_keys_are_written_as_typed(key: str, shown: str) -> None:
    assert key_label(key) == shown


async def test_help_lists_lower_case_letters_and_the_slash(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(shell.screen, HelpScreen)
        text = str(shell.screen.query_one("#help-text").render())
        lines = text.splitlines()
        assert any(line.startswith("  n ") and "Nieuw dossier" in line for line in lines)
        assert any(line.startswith("  / ") for line in lines)
        assert any(line.startswith("  s ") for line in lines)
        assert "Slash" not in text and "  N " not in text and "  S " not in text
        assert "Ctrl+P" in text
        assert "Cursor" not in text and "Page Left" not in text  # Textual's table keys
        first = lines.index("Opdrachten (Ctrl+P, dan typen)") + 1
        commands = lines[first : lines.index("", first)]
        assert all(len(line) <= 80 - 6 for line in commands)  # wrapped, not cut
        wrapped = [line for line in commands[:16] if line.startswith("        ")]
        assert wrapped and len({len(line) - len(line.lstrip()) for line in wrapped}) == 1


# -- the command palette in Dutch --------------------------------------------------------


async def test_the_palette_speaks_dutch_when_nothing_matches(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = shell.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder == "Zoek een opdracht…"
        for char in "qqzzx":
            await pilot.press(char)
        shown = ""
        for _attempt in range(40):  # Textual shows the line after a countdown of 0.5 s
            await pilot.pause(0.05)
            results = palette.query_one("#--results")
            shown = "\n".join(_line(child, 0) for child in results.children if child.display)
            if "Geen" in shown:
                break
        assert "Geen opdracht gevonden" in shown
        assert "No matches" not in shown


# -- tick marks that differ in text, not only in colour ----------------------------------


async def test_categories_show_a_mark_only_when_ticked(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await shell.action_open_screen("intake")
        await pilot.pause()
        picker = shell.screen.query_one("#categories", CategoryPicker)
        picker.focus()
        picker.scroll_home(animate=False)
        await pilot.pause()
        assert _line(picker, 0).lstrip().startswith("[ ]")
        await pilot.press("space")
        await pilot.pause()
        assert picker.keys
        assert _line(picker, 0).lstrip().startswith("[x]")
        assert _line(picker, 1).lstrip().startswith("[ ]")
        top, sub = _line(picker, 0), _line(picker, 1)  # a sub-kind's box stands in
        assert sub.index("[") == top.index("[") + 3


async def test_a_tick_box_shows_its_mark(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await shell.action_open_screen("settings")
        await pilot.pause()
        box = shell.screen.query_one("#today_on_unlock", TickBox)
        assert str(box.render()).startswith("[ ]")
        box.value = True
        await pilot.pause()
        assert str(box.render()).startswith("[x]")


async def test_the_backup_choice_shows_which_one_is_chosen(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await shell.action_open_screen("backup")
        await pilot.pause()
        same = shell.screen.query_one("#same", ChoiceButton)
        separate = shell.screen.query_one("#separate", ChoiceButton)
        assert str(same.render()).startswith("(•)")
        assert str(separate.render()).startswith("( )")
        separate.value = True
        await pilot.pause()
        assert str(same.render()).startswith("( )")
        assert str(separate.render()).startswith("(•)")


# -- date placeholders per language ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date_hint", "time_hint"),
    [("nl", "dd-mm-jjjj", "uu:mm"), ("en", "yyyy-mm-dd", "hh:mm")],
)
def test_date_and_time_placeholders_follow_the_language(language, date_hint, time_hint) -> None:
    i18n.set_language(language)
    assert DateField().placeholder == date_hint
    date_field, time_field = MomentField(None).compose()
    assert isinstance(date_field, DateField) and date_field.placeholder == date_hint
    assert isinstance(time_field, Input) and time_field.placeholder == time_hint


# -- the language applies at once ----------------------------------------------------------


async def _choose_language(pilot, language: str) -> None:
    app = pilot.app
    await app.action_open_screen("settings")
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    app.screen.query_one("#language", Select).value = language
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.pause()


async def test_a_new_language_applies_without_a_restart(vault_path, clock) -> None:
    app = make_app(Settings(today_on_unlock=False), vault_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert app.screen.active_bindings["n"].binding.description == "Nieuw dossier"
        await _choose_language(pilot, "en")
        assert load_settings().language == "en"
        said = [str(n.message) for n in app._notifications]
        assert "Settings saved." in said and "Instellingen bewaard." not in said, said
        assert isinstance(app.screen, CaseListScreen)
        assert app.screen.active_bindings["n"].binding.description == "New case"
        assert app.active_bindings["ctrl+l"].binding.description == "Lock"
        assert app.sub_title == "Encrypted case register"
        await pilot.press("n")  # the next screen is English too
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.active_bindings["ctrl+s"].binding.description == "Save"
        title = str(app.screen.query_one("#form-title", Static).render())
        assert title.startswith("New case")
        footer = screen_lines(app)[-1]
        assert "Save" in footer and "Cancel" in footer and "Bewaren" not in footer
        await pilot.press("ctrl+l")  # and the unlock screen
        await pilot.pause()
        assert str(app.screen.query_one("#label", Static).render()) == "Passphrase"
        assert app.screen.active_bindings["ctrl+q"].binding.description == "Quit"


async def test_what_was_typed_stays_when_the_language_changes(vault_path, clock) -> None:
    app = make_app(Settings(today_on_unlock=False), vault_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await app.action_open_screen("intake")
        await pilot.pause()
        await type_into(pilot, "#reporter_alias", "B.")
        await _choose_language(pilot, "en")
        assert [type(screen) for screen in app.screen_stack] == [CaseListScreen, IntakeScreen]
        intake = app.screen
        assert intake.query_one("#reporter_alias", Input).value == "B."
        assert intake.query_one("#opened", DateField).placeholder == "yyyy-mm-dd"
        await _choose_language(pilot, "nl")
        assert app.screen.query_one("#reporter_alias", Input).value == "B."
        assert app.screen.active_bindings["ctrl+s"].binding.description == "Bewaren"


async def test_under_an_open_dialog_the_language_waits_for_the_next_start(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await shell.action_open_screen("backup")  # a dialog, which cannot be rebuilt
        await pilot.pause()
        await _choose_language(pilot, "en")
        assert load_settings().language == "en"
        assert i18n.get_language() == "nl"
        assert type(shell.screen).__name__ == "BackupModal"
        notices = [notification.message for notification in shell._notifications]
        assert any("volgende keer" in notice for notice in notices)


async def test_settings_say_when_the_language_on_screen_is_not_the_setting(vault_path, clock):
    i18n.set_language("en")  # as CONFIDANT_LANG=en does, with the setting left at Dutch
    app = make_app(Settings(today_on_unlock=False, language="nl"), vault_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await app.action_open_screen("settings")
        await pilot.pause()
        note = str(app.screen.query_one("#overridden", Static).render())
        assert note.startswith("Confidant shows English now")
