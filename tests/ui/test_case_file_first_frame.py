"""Opening a case file: laid out once with its case (not empty first), its footer built
once, and keys pressed while it appears act on it; through pilot on a real vault."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Static

from confidant_tui.ui.modals.status import StatusModal
from confidant_tui.ui.screens import case_file
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.widgets.key_footer import KeyFooter
from tests.ui.case_helpers import open_case_list, screen_text
from tests.ui.conftest import settle
from tests.ui.test_case_file_timeline import busy_case, detail, open_case
from tests.ui.test_keys_while_building import burst


@pytest.fixture
def footer_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every build of a `KeyFooter` ("compose", "recompose")."""
    builds: list[str] = []
    compose, recompose = KeyFooter.compose, KeyFooter.recompose

    def counted_compose(self: KeyFooter) -> Any:
        builds.append("compose")
        return compose(self)

    async def counted_recompose(self: KeyFooter) -> None:
        builds.append("recompose")
        await recompose(self)

    monkeypatch.setattr(KeyFooter, "compose", counted_compose)
    monkeypatch.setattr(KeyFooter, "recompose", counted_recompose)
    return builds


class Watched(CaseFileScreen):
    """The case file, noting at each of its layouts what it showed."""

    def __init__(self, case_id: int) -> None:
        super().__init__(case_id)
        self.layouts: list[tuple[str, int]] = []
        self.fills = 0

    def _fill_timeline(self, wanted: str | None) -> None:
        self.fills += 1
        super()._fill_timeline(wanted)

    def _note(self, _screen: object) -> None:
        title = str(self.query_one("#case-title", Static).render())
        self.layouts.append((title, self.query_one("#timeline", DataTable).row_count))


async def test_the_first_layout_shows_the_case_and_the_footer_is_built_once(
    shell, vault_path, footer_builds
) -> None:
    ids = busy_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case(pilot, ids["case"])  # unlocks; a first case file, then back
        await pilot.press("escape")
        await settle(pilot)
        footer_builds.clear()
        screen = Watched(ids["case"])
        screen.screen_layout_refresh_signal.subscribe(shell, screen._note, immediate=True)
        await shell.push_screen(screen)
        await settle(pilot)
        assert shell.screen is screen and screen.case is not None
        rows = screen.query_one("#timeline", DataTable).row_count
        assert rows > 5
        # Before: laid out "Loading the case…" with an empty timeline, then again with the
        # case, and its footer built empty, then again with its keys (six layouts).
        assert screen.layouts, "the case file was never laid out"
        title, shown_rows = screen.layouts[0]
        assert screen.case.code in title and shown_rows == rows, screen.layouts
        assert len(screen.layouts) <= 3, screen.layouts
        assert footer_builds == ["compose"], footer_builds
        assert screen.fills == 1, "the case read once was shown once"
        assert "Gesprek" in screen_text(shell) and "Status" in screen_text(shell)


async def test_a_slow_read_shows_the_case_file_first_and_the_case_when_read(
    shell, vault_path, monkeypatch
) -> None:
    ids = busy_case(vault_path)
    monkeypatch.setattr(case_file, "FIRST_SHOW_WAIT", 0)  # the read takes longer than that
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, ids["case"])
        assert screen.case is not None
        assert screen.case.code in str(screen.query_one("#case-title", Static).render())
        assert screen.query_one("#timeline", DataTable).row_count > 5
        assert detail(screen)


async def test_coming_back_from_a_dialog_reads_the_case_again(shell, vault_path) -> None:
    ids = busy_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, ids["case"])
        first = screen.case
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(shell.screen, StatusModal)
        await pilot.press("escape")
        await settle(pilot)
        assert shell.screen is screen
        assert screen.case is not None and screen.case is not first  # read again
        assert detail(screen)


async def test_keys_typed_as_the_case_file_appears_are_dropped(shell, demo_path) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        listing = await open_case_list(pilot)
        cases = listing.query_one("#cases", DataTable)
        cases.focus()
        await settle(pilot)
        sort = (listing.case_filter.sort, listing.case_filter.descending)
        case_id = int(str(cases.coordinate_to_cell_key(cases.cursor_coordinate).row_key.value))
        # The case file reads its case before it shows itself; keys typed meanwhile (all
        # at once, as a terminal delivers fast typing) are dropped, as on every screen being
        # built (`ui/bindings.py`): s is neither the list's sort nor the case file's status.
        shell.push_screen(CaseFileScreen(case_id))
        burst(shell, "s", "escape")
        await settle(pilot)
        assert [type(s) for s in shell.screen_stack[-2:]] == [CaseListScreen, CaseFileScreen]
        screen = shell.screen
        assert isinstance(screen, CaseFileScreen) and screen.case is not None
        assert screen.case.id == case_id
        assert (listing.case_filter.sort, listing.case_filter.descending) == sort
        # Once it is there, its keys are its own.
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(shell.screen, StatusModal), screen_text(shell)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert shell.screen is listing and shell.focused is cases
