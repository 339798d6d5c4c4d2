"""The intake form never loses what was typed: refused saves, Escape, and the idle lock."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.ui.widgets.form_field import FormField
from tests.ui.case_helpers import freeze_today, open_case_list, screen_text, type_into
from tests.ui.conftest import settle, unlock


async def _start_intake(pilot) -> IntakeScreen:
    await open_case_list(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IntakeScreen)
    return pilot.app.screen


def _problem(screen, field: str) -> str | None:
    return next(f for f in screen.query(FormField) if f.field == field).problem


async def test_a_refused_save_keeps_every_field_and_explains_next_to_it(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        await type_into(pilot, "#reporter_alias", "A.")
        await type_into(pilot, "#first_incident", "31-02-2025")
        await type_into(pilot, "#wishes", "Wil dat het stopt")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#reporter_alias", Input).value == "A."
        assert screen.query_one("#first_incident", Input).value == "31-02-2025"
        assert screen.query_one("#wishes", TextArea).text == "Wil dat het stopt"
        assert "dd-mm-jjjj" in (_problem(screen, "first_incident") or "")
        assert _problem(screen, "reporter_role") == "Kies de rol van de melder."
        assert _problem(screen, "categories") == "Vink minstens één categorie aan."
        assert _problem(screen, "reporter_alias") is None


async def test_the_service_refusal_shows_next_to_the_field(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        await type_into(pilot, "#opened", "01-01-2030")
        screen.query_one("#reporter_role").value = "employee"
        screen.query_one("#categories").select("bullying")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert _problem(screen, "opened"), screen_text(pilot.app)
        assert screen.query_one("#opened", Input).value == "01-01-2030"


async def test_escape_asks_before_discarding(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        await type_into(pilot, "#reporter_alias", "A.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("escape")  # "Keep editing"
        await pilot.pause()
        assert pilot.app.screen is screen
        assert screen.query_one("#reporter_alias", Input).value == "A."
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseListScreen)


async def test_escape_on_an_untouched_form_just_leaves(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await _start_intake(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseListScreen)


async def test_the_draft_survives_the_idle_lock(shell, clock) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _start_intake(pilot)
        await type_into(pilot, "#reporter_alias", "A.")
        await type_into(pilot, "#wishes", "Eerst\nnadenken")
        screen.query_one("#categories").select("stalking")
        await pilot.pause()
        clock.advance(6 * 60)
        assert await shell.lock_if_idle()
        await settle(pilot)
        assert isinstance(pilot.app.screen, UnlockScreen)
        assert "nadenken" not in screen_text(pilot.app)
        await unlock(pilot)
        freeze_today(pilot.app)
        restored = pilot.app.screen
        assert isinstance(restored, IntakeScreen) and restored is not screen
        assert restored.query_one("#reporter_alias", Input).value == "A."
        assert restored.query_one("#wishes", TextArea).text == "Eerst\nnadenken"
        assert restored.query_one("#categories").keys == ("stalking",)
        assert restored.is_dirty
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
