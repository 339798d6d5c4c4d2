"""Every multiple-choice list marks a chosen line with "[x]" and the others with "[ ]"
(`TickList`), not with Textual's box that only colour tells apart: the consent dialog's
scope, the disclosure's shared facts and the categories all use it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import SelectionList

from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.consent import ConsentModal
from confidant_tui.ui.widgets.marks import TickList
from tests.ui.conftest import settle, unlock


def marks(listing: SelectionList[str]) -> list[str]:
    """The first three cells of each line: the mark."""
    return [listing.render_line(y).text[:3] for y in range(listing.option_count)]


async def test_the_consent_scope_reads_x_beside_what_is_marked(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConsentModal)
        scope = app.screen.query_one("#scope", TickList)
        assert set(marks(scope)) == {"[ ]"}
        scope.focus()
        await pilot.press("space")
        await settle(pilot)
        assert marks(scope)[0] == "[x]"
        assert set(marks(scope)[1:]) == {"[ ]"}
