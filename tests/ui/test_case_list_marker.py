"""The case list marks, with ⚑ in its P column, the cases that have a protocol procedure."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services.cases import create_case
from confidant_tui.services.protocol import open_procedure
from confidant_tui.ui.screens.help import HelpScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, open_case_list, screen_lines
from tests.ui.conftest import settle

LONG = ("discrimination.origin", "aggression.physical", "discrimination.age", "bullying")
"""Categories that fill the categories column to its widest."""


def make_cases(vault_path) -> tuple[str, str]:
    """Two cases; the second gets a protocol procedure. Returns (plain code, marked code)."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        made = [
            create_case(
                vault,
                Intake(dt.date(2025, 5, day), CaseFacts("employee", categories)),
                today=TODAY,
                taxonomy=TAXONOMY,
                default_organisation=ORGANISATION,
            )
            for day, categories in ((1, ("bullying",)), (2, LONG))
        ]
        open_procedure(vault, made[1].id, "conscientious_distress", now=dt.datetime(2025, 6, 1, 9))
    return made[0].code, made[1].code


async def test_the_row_of_a_case_with_a_procedure_shows_the_marker(shell, vault_path) -> None:
    plain, marked = make_cases(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_case_list(pilot)
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == 2
        assert str(table.columns["protocol"].label) == "P"

        lines = screen_lines(shell)
        [marked_line] = [line for line in lines if marked in line]
        [plain_line] = [line for line in lines if plain in line]
        assert "⚑" in marked_line, marked_line  # visible at 80 columns, not scrolled away
        assert "⚑" not in plain_line, plain_line

        # F1 explains the marker.
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(shell.screen, HelpScreen)
        help_text = str(shell.screen.query_one("#help-text").render())
        assert "⚑" in help_text and "protocolprocedure" in help_text


async def test_the_marker_stays_on_screen_beside_the_scroll_bar_at_80_columns(
    shell, vault_path
) -> None:
    _plain, marked = make_cases(vault_path)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for day in range(1, 29):  # more rows than 80x24 shows: the list gets a scroll bar
            create_case(
                vault,
                Intake(dt.date(2024, 1, day), CaseFacts("employee", LONG)),
                today=TODAY,
                taxonomy=TAXONOMY,
                default_organisation=ORGANISATION,
            )
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_case_list(pilot)
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == 30
        assert table.show_vertical_scrollbar
        assert table.scroll_x == 0 and table.max_scroll_x == 0  # nothing hidden sideways
        [marked_line] = [line for line in screen_lines(shell) if marked in line]
        assert "⚑" in marked_line, marked_line
