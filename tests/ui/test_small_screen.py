"""Every form and dialog is usable at 80x24 (issue 20): Tab reaches the save button, the
field with the focus is on screen at every step (going back up, its label too), and a dialog's
footer shows its own keys."""

from __future__ import annotations

import pytest
from textual.containers import ScrollableContainer
from textual.widget import Widget

from confidant_tui import i18n
from confidant_tui.services.demo_data import DEMO_TODAY
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.textual_private import FOOTER_KEY
from confidant_tui.ui.widgets.form_field import FormField
from tests.ui.case_helpers import screen_lines
from tests.ui.conftest import settle, unlock

SIZE = (80, 24)
SAVE_CANCEL_CONVERSATION = {
    "nl": ("Bewaren", "Annuleren", "Gesprek"),
    "en": ("Save", "Cancel", "Conversation"),
}


def _hidden_by(widget: Widget) -> str | None:
    """What keeps `widget` (partly) off screen, or None when the whole of it shows."""
    region = widget.region
    if not region.area:
        return "no room on screen"
    if not widget.screen.region.contains_region(region):
        return "the screen's edge"
    for ancestor in widget.ancestors:
        if not isinstance(ancestor, Widget) or ancestor is widget.screen:
            continue
        view = (
            ancestor.scrollable_content_region
            if isinstance(ancestor, ScrollableContainer)
            else ancestor.region
        )
        if not view.contains_region(region):
            return f"{type(ancestor).__name__}#{ancestor.id}"
    return None


async def _tab_to(pilot, target: str, *, limit: int = 40) -> list[str]:
    """Presses Tab until `#target` has the focus; every widget focused on the way shows."""
    app = pilot.app
    passed: list[str] = []
    for _press in range(limit):
        await pilot.press("tab")
        await pilot.pause()
        focused = app.focused
        assert focused is not None
        passed.append(f"{type(focused).__name__}#{focused.id}")
        hidden = _hidden_by(focused)
        assert hidden is None, f"{passed[-1]} is hidden by {hidden} after {passed}"
        if focused.id == target:
            return passed
    raise AssertionError(f"Tab did not reach #{target}: {passed}")


async def _back_to(pilot, target: str, *, limit: int = 40) -> None:
    """Presses Shift+Tab until `#target` has the focus; the field around every focused
    control shows whole (its label above it too) where the field fits on screen."""
    app = pilot.app
    for _press in range(limit):
        await pilot.press("shift+tab")
        await pilot.pause()
        focused = app.focused
        assert focused is not None
        field = next((a for a in focused.ancestors if isinstance(a, FormField)), None)
        if field is not None and field.region.height <= app.screen.region.height - 6:
            hidden = _hidden_by(field)
            assert hidden is None, f"the field of #{focused.id} is hidden by {hidden}"
        if focused.id == target:
            return
    raise AssertionError(f"Shift+Tab did not reach #{target}")


async def _start(pilot, screen: str | None) -> None:
    await unlock(pilot)
    if screen is None:
        await pilot.press("enter")  # the newest case
    else:
        await pilot.app.action_open_screen(screen)
    await settle(pilot)


@pytest.fixture
def demo_app(demo_path, clock):
    clock.set(DEMO_TODAY)
    return make_app(Settings(today_on_unlock=False), demo_path, clock=clock)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_route_dialog_tabs_to_save_and_back(demo_path, clock, language) -> None:
    i18n.set_language(language)
    clock.set(DEMO_TODAY)
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, None)
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "RouteModal"
        footer = screen_lines(app)[-1]  # the dialog's keys, not the case file's
        save, cancel, conversation = SAVE_CANCEL_CONVERSATION[language]
        assert save in footer and cancel in footer and conversation not in footer
        passed = await _tab_to(pilot, "save")
        assert "DateField#ended" in passed and "KeySelect#measure" in passed
        await _back_to(pilot, "route")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_organisation_form_tabs_to_save_and_back(demo_path, clock, language) -> None:
    i18n.set_language(language)
    clock.set(DEMO_TODAY)
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, "organisations")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrganisationFormScreen"
        passed = await _tab_to(pilot, "save")
        assert "LiteralInput#report_due" in passed and "LiteralInput#retention_years" in passed
        await _back_to(pilot, "name")


async def test_the_intake_tabs_through_every_field(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "intake")
        passed = await _tab_to(pilot, "recording_consent")
        assert "CategoryPicker#categories" in passed and "LiteralTextArea#wishes" in passed
        await _back_to(pilot, "reporter_alias")


async def test_the_activity_dialog_tabs_to_save(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "activities")
        await pilot.press("a")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "ActivityModal"
        passed = await _tab_to(pilot, "save")
        assert "LiteralTextArea#notes" in passed


async def test_the_postpone_dialog_tabs_to_save(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "retention")
        await pilot.press("p")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "PostponeModal"
        await _tab_to(pilot, "save")


async def test_the_settings_and_the_backup_dialog_tab_to_their_buttons(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "settings")
        await _tab_to(pilot, "save")
        await pilot.press("escape")
        await pilot.pause()
        await demo_app.action_open_screen("backup")
        await settle(pilot)
        await _tab_to(pilot, "make")


async def test_tab_around_the_intake_never_stops_on_the_form_itself(demo_app) -> None:
    """The form's scrolling area took a Tab stop of its own, where nothing showed the focus
    (a Tab count off by one typed a time into the date); its fields scroll into view."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "intake")
        seen = []
        for _press in range(60):
            await pilot.press("tab")
            await pilot.pause()
            focused = pilot.app.focused
            assert focused is not None
            seen.append(f"{type(focused).__name__}#{focused.id}")
        assert "VerticalScroll#form" not in seen, seen


async def test_an_open_list_names_its_key_in_dutch(demo_app) -> None:
    """Textual's own select list puts "esc Dismiss menu" in the footer: it reads in Dutch."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await _start(pilot, "intake")
        await _tab_to(pilot, "reporter_role")
        await pilot.press("enter")
        await pilot.pause()
        shown = [key.description for key in pilot.app.screen.query(FOOTER_KEY)]
        assert "Menu sluiten" in shown and "Dismiss menu" not in shown, shown
