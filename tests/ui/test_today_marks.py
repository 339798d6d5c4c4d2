"""Deadlines around the today view (issue 18): the case list marks cases with an overdue item
(and t opens the today view; the mark follows a deadline marked done), the case file names its
own open deadlines, a report's route states its terms, and the settings screen saves the
aftercare weeks and whether the today view opens after unlocking."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Static

from confidant_tui.domain.clock import FixedClock
from confidant_tui.domain.route_rules import MELDING_ROUTES
from confidant_tui.services import audit, deadlines
from confidant_tui.services.cases import get_case
from confidant_tui.settings import Settings, load_settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.commands import screen_class
from confidant_tui.ui.presenters.timeline import report_terms
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.settings import SettingsScreen
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.case_helpers import screen_lines
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2026, 12, 2, 9, 0)
"""Nine days after the demo's today: 2026-003's follow-up (25 November) is 7 days overdue,
2026-001's (2 December) falls due today and is not overdue."""


def _row_of(table: DataTable, code: str) -> str:
    for key in table.rows:
        if str(table.get_cell(key, "code")) == code:
            return str(key.value)
    raise AssertionError(f"{code} is not in the list")


def _line_of(lines: list[str], code: str) -> str:
    [line] = [line for line in lines if code in line]
    return line


async def test_overdue_cases_are_marked_and_the_mark_follows_the_today_view(
    demo_path, clock: FixedClock
) -> None:
    clock.set(NOW)
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert str(screen.query_one("#cases", DataTable).columns["overdue"].label) == "!"
        lines = screen_lines(app)
        assert "!" in _line_of(lines, "2026-003")  # visible at 80 columns
        assert "!" not in _line_of(lines, "2026-001")  # due today, not overdue

        # The case file of 2026-003 names its overdue follow-up on one line.
        table = screen.query_one("#cases", DataTable)
        table.move_cursor(row=table.get_row_index(_row_of(table, "2026-003")))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        [line] = [line for line in screen_lines(app) if "te laat" in line]
        assert "7 dagen te laat (sinds 25 november 2026): Vervolgcontact met de melder" in line
        await pilot.press("escape")
        await settle(pilot)

        # t opens the today view; a follow-up marked done there is unmarked on the way back.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, screen_class("today"))
        vault = app.session.vault
        [item] = deadlines.case_items(
            vault, int(_row_of(table, "2026-003")), today=NOW.date(), settings=Settings()
        )
        assert item.state == "overdue" and item.deadline.kind == "follow_up"
        deadlines.mark_done(
            vault, item.deadline, reason="Gebeld op 1 december", now=NOW, settings=Settings()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        lines = screen_lines(app)
        assert "!" not in _line_of(lines, "2026-003")
        assert "!" in _line_of(lines, "2026-004")


async def test_the_settings_screen_saves_the_aftercare_weeks_and_the_today_view(
    shell, clock: FixedClock
) -> None:
    clock.set(NOW)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.app.action_open_screen("settings")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        await pilot.press("tab", "tab", "tab")  # idle minutes, backup days, language, aftercare
        assert pilot.app.focused is screen.query_one("#aftercare_weeks", Input)
        await pilot.press("end", "backspace", "5", "3", "ctrl+s")
        await pilot.pause()
        problem = str(screen.query_one("#aftercare_weeks-problem", Static).render())
        assert "1 tot en met 52" in problem
        assert pilot.app.screen is screen and load_settings() == Settings()

        await pilot.press("backspace", "backspace", "8", "tab", "space", "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, SettingsScreen)
        saved = load_settings()
        assert (saved.aftercare_weeks, saved.today_on_unlock) == (8, True)  # the shell starts off
        assert shell.context.settings == saved
        [entry] = audit.entries(shell.session.vault, limit=1)
    assert (entry.action, entry.detail) == ("settings.changed", "aftercare_weeks,today_on_unlock")


def test_a_reports_route_states_its_terms_and_its_extension(demo_path) -> None:
    with Vault.open(demo_path, PASSPHRASE) as vault:
        case = get_case(vault, 11)  # an integrity report acknowledged, no feedback yet
        assert case.code == "2026-002"
        [route] = [r for r in case.routes if r.route in MELDING_ROUTES]
        assert route.id is not None and route.acknowledged is not None
        assert report_terms(case, route) == "Termijnen: terugkoppeling uiterlijk 5 december 2026."
        assert deadlines.extended_routes(vault, {route.id}) == set()
        deadlines.extend_feedback(vault, route.id, reason="Regeling staat het toe", now=NOW)
        assert deadlines.extended_routes(vault, {route.id}) == {route.id}
        assert report_terms(case, route, extended=True) == (
            "Termijnen: terugkoppeling uiterlijk 5 maart 2027 (eenmaal verlengd)."
        )
