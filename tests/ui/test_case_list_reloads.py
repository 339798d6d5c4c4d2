"""The case list's reloads at speed (issue 19), through pilot keys: a sort or a filter keeps
the overdue marks while the vault, the day and the settings are unchanged and works them out
again as soon as one of them changed; coming back to the list reads it again only when one
of them changed; the line under the list still wraps when a longer one
no longer fits (it asks for a layout only then); the next page is read ahead, so End shows it
without waiting for the vault, and a sort never shows a page read ahead for another order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from rich.cells import cell_len
from textual.widgets import DataTable, Static

from confidant_tui.domain.cases import CaseFilter
from confidant_tui.domain.clock import FixedClock
from confidant_tui.services import cases, deadlines
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.context import apply_settings
from confidant_tui.ui.screens.case_list import PAGE_SIZE
from tests.ui.case_helpers import screen_lines
from tests.ui.conftest import settle
from tests.ui.test_case_list_order import many_path, open_list  # noqa: F401 (a fixture)
from tests.ui.test_unlock_reads import counting

NOW = dt.datetime(2026, 12, 2, 9, 0)
"""Nine days after the demo's today: 2026-003's and 2026-004's follow-ups are overdue."""


def _line_of(lines: list[str], code: str) -> str:
    [line] = [line for line in lines if code in line]
    return line


def _row_key(table: DataTable, code: str) -> int:
    for key in table.rows:
        if str(table.get_cell(key, "code")) == code:
            return int(str(key.value))
    raise AssertionError(f"{code} is not in the list")


def _follow_up_done(app, table: DataTable, code: str, settings: Settings) -> None:
    """Marks the one open item of the case `code` (its overdue follow-up) done, as the today
    view would: a change saved in the vault."""
    [item] = deadlines.case_items(
        app.session.vault, _row_key(table, code), today=NOW.date(), settings=settings
    )
    deadlines.mark_done(
        app.session.vault, item.deadline, reason="Gebeld", now=NOW, settings=settings
    )


async def test_a_sort_or_filter_keeps_the_overdue_marks_until_the_vault_day_or_settings_change(
    demo_path, clock: FixedClock, monkeypatch
) -> None:
    asked: list[dt.date] = []
    original = deadlines.overdue_case_ids

    def counted(*args, **kwargs):
        asked.append(kwargs["today"])
        return original(*args, **kwargs)

    monkeypatch.setattr(deadlines, "overdue_case_ids", counted)
    settings = Settings(today_on_unlock=False)
    app = make_app(settings, demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot, clock)
        assert len(asked) == 1
        assert "!" in _line_of(screen_lines(app), "2026-003")

        # Sorts, a reversal and a filter read the list again, not the overdue marks.
        for key in ("s", "o", "s"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("f", "tab")
        await pilot.press(*"2026")
        await settle(pilot)
        assert screen.case_filter.year == 2026
        await pilot.press("escape", "x")
        await settle(pilot)
        assert len(asked) == 1
        lines = screen_lines(app)
        assert "!" in _line_of(lines, "2026-003") and "!" in _line_of(lines, "2026-004")

        # A change saved in the vault: the next sort works them out again.
        table = screen.query_one("#cases", DataTable)
        _follow_up_done(app, table, "2026-003", settings)
        await pilot.press("s")
        await settle(pilot)
        assert len(asked) == 2
        lines = screen_lines(app)
        assert "!" not in _line_of(lines, "2026-003") and "!" in _line_of(lines, "2026-004")

        # A new day, then new settings: each time once more.
        clock.set(NOW + dt.timedelta(days=1))
        await pilot.press("o")
        await settle(pilot)
        assert asked[1:] == [NOW.date(), NOW.date() + dt.timedelta(days=1)]
        apply_settings(app, dataclasses.replace(settings, aftercare_weeks=12))
        await pilot.press("o")
        await settle(pilot)
        assert len(asked) == 4
        await pilot.press("o")
        await settle(pilot)
        assert len(asked) == 4


async def test_coming_back_reads_the_list_again_only_after_a_change(
    demo_path, clock: FixedClock, monkeypatch
) -> None:
    pages = counting(monkeypatch, cases, "list_cases")
    settings = Settings(today_on_unlock=False)
    app = make_app(settings, demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot, clock)
        table = screen.query_one("#cases", DataTable)
        assert len(pages) == 1
        table.move_cursor(row=2)
        await pilot.press("enter")  # a case looked at, nothing changed
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseFileScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(pages) == 1
        assert table.cursor_row == 2
        before = screen_lines(app)

        await pilot.press("enter")  # a deadline marked done while the case is open
        await settle(pilot)
        _follow_up_done(app, table, "2026-003", settings)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(pages) == 2
        assert table.cursor_row == 2
        assert "!" in _line_of(before, "2026-003")
        assert "!" not in _line_of(screen_lines(app), "2026-003")

        clock.set(NOW + dt.timedelta(days=1))  # a new day: read again
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert len(pages) == 3


async def test_the_line_under_the_list_wraps_once_it_no_longer_fits(
    demo_path, clock: FixedClock
) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_list(pilot, clock)
        status = screen.query_one("#list-status", Static)
        lines = []
        for _sort in range(4):
            lines.append(str(status.content))
            await pilot.press("s")
            await settle(pilot)
        assert status.size.height == 1
        shortest, longest = min(map(cell_len, lines)), max(map(cell_len, lines))
        assert longest > shortest + 4, lines
        # A width at which the shorter lines fit and the longer ones wrap (1 cell of
        # padding each side).
        width = (shortest + longest) // 2 + 2
        await pilot.resize_terminal(width, 30)
        await settle(pilot)
        heights = set()
        for _sort in range(8):
            line = str(status.content)
            expected = 1 if cell_len(line) <= width - 2 else 2
            assert status.size.height == expected, (line, width)
            shown = " ".join(screen_lines(app)[-3:])
            assert line.split()[-1] in shown, shown  # its end is on the screen
            heights.add(expected)
            await pilot.press("s")
            await settle(pilot)
        assert heights == {1, 2}


def _keys(table: DataTable) -> list[str]:
    return [
        str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)
    ]


async def test_end_shows_the_page_read_ahead_at_once_and_a_sort_reads_its_own(
    many_path,  # noqa: F811 (the fixture)
    clock: FixedClock,
    monkeypatch,
) -> None:
    app = make_app(Settings(today_on_unlock=False), many_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot, clock)
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == PAGE_SIZE and screen.total == PAGE_SIZE * 5 // 2

        # From here on every read of a next page waits until the test lets it go.
        go = threading.Event()
        original = cases.list_cases_after

        def held(*args, **kwargs):
            assert go.wait(10)
            return original(*args, **kwargs)

        monkeypatch.setattr(cases, "list_cases_after", held)
        try:
            # The second page was read ahead: End shows it with no read to wait for.
            await pilot.press("end")
            assert table.row_count == 2 * PAGE_SIZE
            go.set()  # the third page, asked for ahead meanwhile
            await settle(pilot)
            go.clear()
            await pilot.press("end")
            assert table.row_count == screen.total
            go.set()
            await settle(pilot)
            order = screen.case_filter
            expected = cases.list_cases(
                app.session.vault, dataclasses.replace(order, offset=0, limit=None)
            )
            assert _keys(table) == [str(row.id) for row in expected]

            # A sort shows its own first page and reads its own second page ahead.
            await pilot.press("s")
            await settle(pilot)
            assert table.row_count == PAGE_SIZE
            go.clear()
            await pilot.press("end")
            assert table.row_count == 2 * PAGE_SIZE
            go.set()
            await settle(pilot)
            expected = cases.list_cases(
                app.session.vault,
                CaseFilter(
                    sort=screen.case_filter.sort,
                    descending=screen.case_filter.descending,
                    limit=2 * PAGE_SIZE,
                ),
            )
            assert screen.case_filter.sort != order.sort
            assert _keys(table) == [str(row.id) for row in expected]
        finally:
            go.set()
