"""The case list opens and scrolls with 10,000 cases: it pages, it never loads them all."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable

from confidant_tui.domain.cases import CaseFacts, CaseFilter, Intake
from confidant_tui.services import cases
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.case_list import PAGE_SIZE
from confidant_tui.vault import cases_repo
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.case_helpers import open_case_list, screen_text
from tests.ui.conftest import settle

COUNT = 10_000
CATEGORIES = ("bullying", "stalking", "integrity.gifts", "discrimination.age")


@pytest.fixture
def big_vault(vault_path):
    """A vault with 10,000 small cases over ten years, stored in one transaction."""
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        for index in range(COUNT):
            year = 2016 + index % 10
            opened = dt.date(year, 1, 1) + dt.timedelta(days=index % 360)
            facts = CaseFacts("employee", (CATEGORIES[index % 4],), reporter_alias=f"R{index}")
            cases_repo.insert_case(
                conn,
                Intake(opened, facts),
                code=cases_repo.format_code(year, index // 10 + 1),
                organisation="Partij" if index % 2 else "Fractie",
            )
    return vault_path


async def test_ten_thousand_cases_open_page_by_page_and_scroll(shell, big_vault) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_case_list(pilot)
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == PAGE_SIZE
        assert screen.total == COUNT
        assert "100 van 10000 dossiers" in screen_text(shell)

        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 2 * PAGE_SIZE
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 3 * PAGE_SIZE
        # The pages after the first are read by key; together they are the list's first rows.
        loaded = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        expected = cases.list_cases(shell.session.vault, CaseFilter(limit=3 * PAGE_SIZE))
        assert loaded == [row.code for row in expected]
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)

        # Newest first by default: the first row is a case of 2025.
        table.move_cursor(row=0)
        first_code = str(table.get_row_at(0)[0])
        assert first_code.startswith("2025-")

        # Filter by year and category: the count follows, still paged.
        screen.query_one("#filter-year").value = "2019"
        await settle(pilot)
        assert screen.total == COUNT // 10
        assert table.row_count == PAGE_SIZE
        assert all(str(table.get_row_at(i)[1]).endswith("2019") for i in range(table.row_count))
        screen.query_one("#filter-category").value = "stalking"
        await settle(pilot)
        # Case i is of 2016 + i % 10 and of category i % 4: 2019 and stalking is i % 20 == 13.
        assert screen.total == COUNT // 20
        assert table.row_count == PAGE_SIZE
        assert all(
            "Stalking" in str(table.get_row_at(i)[3])
            and str(table.get_row_at(i)[1]).endswith("2019")
            for i in range(table.row_count)
        )

        # Opening a case from the big list works.
        await pilot.press("x")
        await settle(pilot)
        assert screen.total == COUNT
        table.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseFileScreen)
