"""A field's problem goes as soon as the adviser changes that field, and only that field.

The problem under a field describes the value it held when the form was saved; once the
adviser types, chooses or ticks something else there, the message (and the field's red
marking) goes, while the other fields keep theirs until the next save. A refused save shows
it again. Driven with keys, as an adviser would.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.settings import SettingsScreen
from confidant_tui.ui.widgets.form_field import FormField
from tests.ui.case_helpers import open_case_list, screen_text
from tests.ui.conftest import settle, unlock
from tests.ui.test_backup_dialog import open_dialog

KEYS = {"-": "minus", ".": "full_stop", " ": "space"}


async def _start_intake(pilot) -> IntakeScreen:
    await open_case_list(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IntakeScreen)
    return pilot.app.screen


def _field(screen, name: str) -> FormField:
    return next(f for f in screen.query(FormField).results(FormField) if f.field == name)


def _problem(screen, name: str) -> str | None:
    return _field(screen, name).problem


async def _type(pilot, text: str) -> None:
    """Types `text` key by key into the focused field."""
    for char in text:
        await pilot.press(KEYS.get(char, char))
    await pilot.pause()


async def _focus(pilot, selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def _erase(pilot, selector: str) -> None:
    """Focuses an input and empties it with Backspace, from the end."""
    await _focus(pilot, selector)
    field = pilot.app.screen.query_one(selector, Input)
    await pilot.press("end", *["backspace"] * len(field.value))
    await pilot.pause()
    assert field.value == ""


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_typing_in_a_field_clears_its_problem_and_only_its_own(shell, size) -> None:
    async with shell.run_test(size=size) as pilot:
        screen = await _start_intake(pilot)
        await _focus(pilot, "#first_incident")
        await _type(pilot, "31-02-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        date_problem = _problem(screen, "first_incident")
        assert date_problem and "dd-mm-jjjj" in date_problem
        assert _problem(screen, "reporter_role") == "Kies de rol van de melder."
        assert _problem(screen, "categories") == "Vink minstens één categorie aan."
        assert _field(screen, "first_incident").has_class("-invalid")

        # One key in the date field: its problem goes, with its red marking.
        await _focus(pilot, "#first_incident")
        await pilot.press("backspace")
        await pilot.pause()
        assert _problem(screen, "first_incident") is None
        assert not _field(screen, "first_incident").has_class("-invalid")
        # ... and the other fields keep theirs, before any save.
        assert _problem(screen, "reporter_role") == "Kies de rol van de melder."
        assert _problem(screen, "categories") == "Vink minstens één categorie aan."
        await _erase(pilot, "#first_incident")
        await _type(pilot, "28-02-2025")
        assert _problem(screen, "first_incident") is None

        # Editing a field without a problem leaves the others' problems alone.
        await _focus(pilot, "#reporter_alias")
        await _type(pilot, "A.")
        assert _problem(screen, "reporter_role") == "Kies de rol van de melder."
        assert "Kies de rol van de melder." in screen_text(pilot.app)

        # A choice in a select clears that select's problem; a tick clears the categories'.
        await _focus(pilot, "#reporter_role")
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert isinstance(screen.query_one("#reporter_role", Select).value, str)
        assert _problem(screen, "reporter_role") is None
        assert _problem(screen, "categories") == "Vink minstens één categorie aan."
        await _focus(pilot, "#categories")
        await pilot.press("space")
        await pilot.pause()
        assert _problem(screen, "categories") is None
        assert "Vink minstens één categorie aan." not in screen_text(pilot.app)

        # A refused save shows the problem again.
        await _erase(pilot, "#first_incident")
        await _type(pilot, "32-01-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "dd-mm-jjjj" in (_problem(screen, "first_incident") or "")
        assert _field(screen, "first_incident").has_class("-invalid")


async def test_a_date_rewritten_on_leaving_keeps_its_problem(shell) -> None:
    """Leaving a date field writes a readable date in the standard form: the same date,
    so the service's problem with it stays until the adviser changes it."""
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        await _erase(pilot, "#opened")
        await _type(pilot, "1-1-2030")
        screen.query_one("#reporter_role", Select).value = "employee"
        screen.query_one("#categories").select("bullying")
        await pilot.pause()
        await _focus(pilot, "#opened")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = _problem(screen, "opened")
        assert refused, screen_text(pilot.app)
        await pilot.press("tab")
        await pilot.pause()
        assert screen.query_one("#opened", Input).value == "01-01-2030"
        assert _problem(screen, "opened") == refused
        await _erase(pilot, "#opened")
        assert _problem(screen, "opened") is None


async def test_removing_the_person_in_question_clears_the_people_problem(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        screen.query_one("#reporter_role", Select).value = "employee"
        screen.query_one("#categories").select("bullying")
        await pilot.pause()
        await _focus(pilot, "#add-person")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "B.")
        row = screen.query_one("PersonRow")
        row.query_one(".role", Select).value = "witness"
        row.query_one(".relation", Select).value = "manager"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "beschuldigde" in (_problem(screen, "people") or ""), screen_text(pilot.app)
        row.query_one(".remove").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query("PersonRow")
        assert _problem(screen, "people") is None


async def test_a_dialog_field_loses_its_problem_when_typed_in(shell, tmp_path) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        modal = await open_dialog(pilot)
        await _erase(pilot, "#destination")
        await pilot.press("enter")
        await pilot.pause()
        assert _problem(modal, "destination") == "Geef het bestand van de back-up een naam."
        await _type(pilot, str(tmp_path)[:1])
        assert _problem(modal, "destination") is None


async def test_a_setting_loses_its_problem_when_changed_and_gets_it_back_on_saving(shell) -> None:
    """The settings screen shows its problems beside its fields in its own way; they behave
    as under a `FormField`."""
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.app.action_open_screen("settings")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)

        def problem(key: str) -> str:
            shown = screen.query_one(f"#{key}-problem", Static)
            return str(shown.render()) if shown.has_class("-shown") else ""

        await _erase(pilot, "#idle_minutes")
        await _type(pilot, "0")
        await _erase(pilot, "#backup_interval_days")
        await _type(pilot, "366")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem("idle_minutes") and problem("backup_interval_days")
        await pilot.press("backspace")
        await pilot.pause()
        assert problem("backup_interval_days") == ""
        assert problem("idle_minutes")
        await pilot.press("x", "ctrl+s")  # 36x
        await pilot.pause()
        assert problem("backup_interval_days") and problem("idle_minutes")
