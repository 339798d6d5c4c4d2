"""The case list at 80x24 through pilot keys (issue 20): the status sort in the workflow's
order, `s` and `o` with the direction shown, every page in both directions, the cursor on
a case just made, the empty-list hint and the footer's keys, in Dutch and English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable

from confidant_tui import i18n
from confidant_tui.domain.cases import STATUSES, CaseFilter
from confidant_tui.domain.clock import FixedClock
from confidant_tui.services import cases, importing
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import PAGE_SIZE, CaseListScreen
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.screens.today import TodayScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import screen_lines, screen_text, type_into
from tests.ui.conftest import settle, unlock
from tests.ui.test_case_flow import fill_intake
from tests.ui.test_keys_while_building import burst
from tests.unit.vault.test_query_plans import _generated

NOW = dt.datetime(2026, 12, 2, 9, 0)
SIZE = (80, 24)


async def open_list(pilot, clock: FixedClock) -> CaseListScreen:
    clock.set(NOW)
    await unlock(pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseListScreen), screen_text(pilot.app)
    return screen


def table_of(screen: CaseListScreen) -> DataTable:
    return screen.query_one("#cases", DataTable)


def shown_codes(screen: CaseListScreen) -> list[str]:
    table = table_of(screen)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def shown_statuses(screen: CaseListScreen) -> list[str]:
    table = table_of(screen)
    return [str(table.get_row_at(row)[2]) for row in range(table.row_count)]


def header(app) -> str:
    [line] = [line for line in screen_lines(app) if "Dossier" in line or "Case " in line]
    return line


def footer(app) -> str:
    return screen_lines(app)[-1]


def cursor_key(screen: CaseListScreen) -> str | None:
    table = table_of(screen)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_s_and_o_sort_in_the_workflow_order_and_show_the_direction(
    demo_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        assert "Geopend▼" in header(app)
        assert "op datum van opening, nieuwste eerst (o draait om)" in screen_text(app)

        await pilot.press("s")  # opened -> status, open first (the other way than before)
        await settle(pilot)
        assert "Status▲" in header(app) and "Geopend▼" not in header(app)
        assert "op status, open eerst (o draait om)" in screen_text(app)
        statuses = shown_statuses(screen)
        assert statuses[0] == "Open" and statuses[-1] == "Gesloten" and "Nazorg" in statuses
        blocks = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
        assert blocks == ["Open", "Nazorg", "Gesloten"]

        await pilot.press("o")
        await settle(pilot)
        assert "Status▼" in header(app)
        assert "op status, gesloten eerst" in screen_text(app)
        assert shown_statuses(screen) == statuses[::-1]

        await pilot.press("s")  # -> follow-up, the nearest first (ascending again)
        await settle(pilot)
        assert "Opvolging▲" in header(app) and "Status" + "▼" not in header(app)
        assert "op volgende opvolging, eerstvolgende eerst" in screen_text(app)
        assert not screen.case_filter.descending

        await pilot.press("s")  # -> case code, newest first
        await settle(pilot)
        assert "Dossier▼" in header(app)
        assert shown_codes(screen) == sorted(shown_codes(screen), reverse=True)


@pytest.fixture
def many_path(vault_path: Path) -> Path:
    """A vault with two and a half pages of generated cases, all three statuses among
    them (the list reads the stored current status)."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        importing.import_document(
            vault,
            _generated(PAGE_SIZE * 5 // 2),
            now=dt.datetime(2026, 11, 23, 23, 59),
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        with vault.transaction() as conn:
            conn.execute("UPDATE cases SET status = 'aftercare' WHERE id % 5 = 0")
    return vault_path


async def test_end_and_home_page_through_every_case_once_in_each_order(
    many_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), many_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        table = table_of(screen)
        seen_orders = set()
        # From "opened, descending": o, then s and o in turn through every column.
        for key in ["o"] + ["s", "o"] * 4:
            await pilot.press(key)
            await settle(pilot)
            selection = screen.case_filter
            seen_orders.add((selection.sort, selection.descending))
            assert table.row_count == PAGE_SIZE < screen.total
            for _page in range(screen.total // PAGE_SIZE + 1):
                await pilot.press("end")
                await settle(pilot)
            assert table.row_count == screen.total
            expected = cases.list_cases(
                app.session.vault,
                CaseFilter(sort=selection.sort, descending=selection.descending, limit=None),
            )
            keys = [
                table.coordinate_to_cell_key((row, 0)).row_key.value
                for row in range(table.row_count)
            ]
            assert keys == [str(row.id) for row in expected], selection
            assert len(set(keys)) == len(keys)
            if selection.sort == "status":
                places = [STATUSES.index(row.status) for row in expected]
                assert places == sorted(places, reverse=selection.descending)
            await pilot.press("home")
            await settle(pilot)
            assert table.cursor_row == 0 and cursor_key(screen) == keys[0]
        assert len(seen_orders) == 8


async def test_after_an_intake_the_cursor_is_on_the_new_case_and_enter_opens_it(
    demo_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        await pilot.press("s", "s", "s", "o")  # by code, oldest first: a new case comes last
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # open 2024-003 and go back
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and shown_codes(screen)[table_of(screen).cursor_row] == (
            "2024-003"
        )

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await fill_intake(pilot)
        await type_into(pilot, "#recording_consent", "t")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)
        new_id = app.screen.case_id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert shown_codes(screen)[-1] == "2026-005"
        assert cursor_key(screen) == str(new_id)
        assert table_of(screen).cursor_row == table_of(screen).row_count - 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.case_id == new_id

        await pilot.press("escape")  # an intake left without saving keeps the cursor
        await settle(pilot)
        await pilot.press("up", "n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and cursor_key(screen) != str(new_id)


LANGUAGES = [
    (
        "nl",
        "Geen dossier past bij het filter. x wist de filters.",
        ("⏎ Openen", "n Nieuw dossier", "/ Zoeken", "f Filteren", "s Sorteren"),
        ("Vandaag", "Filters wissen", "Omdraaien"),
    ),
    (
        "en",
        "No case matches the filter. x clears the filters.",
        ("⏎ Open", "n New case", "/ Search", "f Filter", "s Sort"),
        ("Today", "Clear filters", "Reverse"),
    ),
]


@pytest.mark.parametrize(("language", "hint", "keys", "hidden"), LANGUAGES)
async def test_the_footer_and_the_filter_hint_fit_80x24(
    demo_path: Path,
    clock: FixedClock,
    language: str,
    hint: str,
    keys: tuple[str, ...],
    hidden: tuple[str, ...],
) -> None:
    i18n.set_language(language)
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        for key in keys:  # the essential keys, whole, in the footer
            assert key in footer(app), footer(app)
        await pilot.press("f1")  # the others in the help (and the palette), and they work
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text").render())
        for description in hidden:
            assert description in help_text and description not in footer(app), description
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert not screen.case_filter.descending
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("escape")
        await settle(pilot)

        screen.query_one("#filter-year").value = "2019"
        await settle(pilot)
        assert screen.total == 0
        assert hint in screen_lines(app)[-3]  # whole, on a line of its own
        await pilot.press("escape", "x")
        await settle(pilot)
        assert screen.total == 13 and hint not in screen_text(app)


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("nl", "Nog geen dossiers. Druk op n voor een nieuwe intake."),
        ("en", "No cases yet. Press n for a new intake."),
    ],
)
async def test_the_empty_vault_hint_fits_80x24(
    vault_path: Path, clock: FixedClock, language: str, hint: str
) -> None:
    i18n.set_language(language)
    app = make_app(Settings(today_on_unlock=False), vault_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        assert screen.total == 0
        assert hint in screen_lines(app)[-3]


async def test_f_and_tab_typed_at_once_reach_the_year_filter(
    demo_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        burst(app, "f", "tab")  # as a terminal delivers fast typing: both keys at once
        await settle(pilot)
        assert app.focused is screen.query_one("#filter-year")
        burst(app, "escape")
        await settle(pilot)
        assert app.focused is table_of(screen)


async def test_a_new_case_beyond_the_first_page_is_found_for_the_cursor(
    many_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), many_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        await pilot.press("s", "s", "s", "o")  # by code, oldest first: a new case comes last
        await settle(pilot)
        assert table_of(screen).row_count == PAGE_SIZE < screen.total
        await pilot.press("n")
        await settle(pilot)
        await fill_intake(pilot)
        await type_into(pilot, "#recording_consent", "t")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)
        new_id = app.screen.case_id
        await pilot.press("escape")
        await settle(pilot)
        table = table_of(screen)
        assert table.row_count == screen.total > 2 * PAGE_SIZE
        assert cursor_key(screen) == str(new_id) and table.cursor_row == table.row_count - 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.case_id == new_id


async def test_a_key_typed_right_after_enter_never_acts_on_the_list(
    demo_path: Path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot, clock)
        order = (screen.case_filter.sort, screen.case_filter.descending)
        opened = cursor_key(screen)
        burst(app, "enter", "s")  # as a terminal delivers fast typing: both keys at once
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert str(app.screen.case_id) == opened  # type: ignore[attr-defined]
        assert (screen.case_filter.sort, screen.case_filter.descending) == order  # not sorted
