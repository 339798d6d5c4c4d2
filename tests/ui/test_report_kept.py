"""The report screen is built once per unlock and shown again: each opening starts as a new
screen would (last year, the default folder, figures counted anew), and a lock forgets it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services.cases import create_case
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.context import context_of
from confidant_tui.ui.screens.report import ReportScreen
from confidant_tui.ui.textual_private import select_prompts
from tests.conftest import ORGANISATION, TAXONOMY
from tests.ui.conftest import open_report, settle, unlock


async def _open_from_palette(pilot: Pilot, title: str = "Jaarverslag") -> ReportScreen:
    await pilot.press("ctrl+p", *title)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    return screen


async def _reopen(pilot: Pilot) -> ReportScreen:
    await pilot.press("escape")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, ReportScreen)
    screen = await _open_from_palette(pilot)
    assert screen.built is not None
    return screen


async def test_a_reopened_report_starts_afresh_and_counts_again(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        first = app.screen
        assert isinstance(first, ReportScreen) and first.built is not None
        last_year = first.year
        opened_before = first.built.internal["cases_opened"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert first.year == last_year - 1
        first.query_one("#folder", Input).value = "/somewhere/else"

        context = context_of(app)
        create_case(
            context.vault,
            Intake(dt.date(last_year, 3, 1), CaseFacts("employee", ("bullying",))),
            today=context.today(),
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )

        again = await _reopen(pilot)
        assert again is first, "the report screen is shown again, not composed anew"
        assert again.year == last_year
        assert again.query_one("#folder", Input).value != "/somewhere/else"
        assert str(again.query_one("#written", Static).render()) == ""
        assert again.query_one("#sections").display
        counted = again.built.internal["cases_opened"]
        assert counted != opened_before, "the figures are counted anew on reopening"


async def test_a_lock_forgets_the_kept_report(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        first = app.screen
        assert isinstance(first, ReportScreen)
        await pilot.press("escape")
        await settle(pilot)
        await app.lock()
        await settle(pilot)
        assert not app.is_screen_installed("kept:report")
        assert not first.is_attached, "the kept report (and its figures) left with the lock"
        await unlock(pilot)
        again = await _open_from_palette(pilot)
        assert again is not first


async def test_a_new_language_builds_the_report_anew(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        first = app.screen
        assert isinstance(first, ReportScreen)
        await pilot.press("escape")
        await settle(pilot)
        try:
            await app.use_language("en")
            await settle(pilot)
            again = await _open_from_palette(pilot, "Yearly report")
            assert again is not first
            assert "Key figures" in str(again.query_one(".section-title", Static).render())
        finally:
            await app.use_language("nl")


async def test_an_unnamed_organisation_is_named_in_the_screens_language(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        try:
            await app.use_language("en")
            await settle(pilot)
            screen = await _open_from_palette(pilot, "Yearly report")
            select = screen.query_one("#organisation", Select)
            shown = {value: str(prompt) for prompt, value in select_prompts(select)}
            assert shown["Mijn organisatie"] == "My organisation"
            assert select.value == "Mijn organisatie", "the stored name is what is chosen"
        finally:
            await app.use_language("nl")
