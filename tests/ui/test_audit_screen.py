"""The audit screen, driven with keys on a real encrypted vault: newest first, the chain's
state, filters by action, case code and period, Enter opens a case (or says it is gone),
paging, and the layout at 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services import audit
from confidant_tui.services.cases import create_case
from confidant_tui.ui.screens.audit import PAGE_SIZE, AuditScreen
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.vault.connection import connect
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, freeze_today, open_case_list, screen_text, type_into
from tests.ui.conftest import settle, unlock

FACTS = CaseFacts(reporter_role="employee", categories=("bullying",))


def record_entries(vault_path: Path) -> tuple[int, str]:
    """A case, then four entries after whatever its creation recorded; returns the case's
    id and code."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), FACTS),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        assert case.id is not None
        case_id, code = case.id, case.code
        audit.record(vault, "export.report", now=dt.datetime(2025, 5, 20, 10, 0), detail="pdf")
        audit.record(
            vault, "case.destroyed", now=dt.datetime(2025, 5, 25, 9, 30), case_code="2024-007"
        )
        audit.record(
            vault,
            "conversation.added",
            now=dt.datetime(2025, 6, 1, 15, 0, 7),
            case_code=code,
            detail="[bold]x[/bold]",
        )
        audit.record(vault, "case.status", now=dt.datetime(2025, 6, 1, 16, 0), case_code="2023-099")
    return case_id, code


@pytest.fixture
def logged(vault_path: Path) -> tuple[int, str]:
    return record_entries(vault_path)


def rows(screen: AuditScreen) -> list[tuple[str, ...]]:
    """The table's rows as the adviser reads them (moment, action, case, detail)."""
    table = screen.query_one("#entries", DataTable)
    return [
        tuple(cell.plain for cell in table.get_row_at(index)) for index in range(table.row_count)
    ]


def chain_line(screen: AuditScreen) -> str:
    return str(screen.query_one("#chain", Static).render())


async def open_audit(pilot) -> AuditScreen:
    """Unlocks and opens the audit log from the command palette, as the adviser would."""
    freeze_today(pilot.app)
    await unlock(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "Auditlog":
        await pilot.press(char)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditScreen), type(screen)
    return screen


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_newest_first_with_the_chain_intact_at_80x24(shell, logged) -> None:
    _case_id, code = logged
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        shown = rows(screen)
        mine = [row for row in shown if row[0].startswith(("20-05-2025", "25-05", "01-06"))]
        assert [(at, action[:24], case, detail) for at, action, case, detail in mine] == [
            ("01-06-2025 16:00:00", "Status van het dossier g", "2023-099", ""),
            ("01-06-2025 15:00:07", "Gesprek toegevoegd", code, "[bold]x[/bold]"),
            ("25-05-2025 09:30:00", "Dossier vernietigd", "2024-007", ""),
            ("20-05-2025 10:00:00", "Verslag naar een bestand", "", "pdf"),
        ]  # labels longer than the column end in an ellipsis at 80 columns
        count = len(audit.entries(shell.session.vault))
        assert count == len(shown)
        assert f"Auditlogboek: {count} regels, de keten is intact" in chain_line(screen)
        text = screen_text(shell)
        for visible in ("Handeling: alle", "Dossiercode", "Vanaf datum", "T/m datum"):
            assert visible in text  # every filter fits at 80 columns
        assert "[bold]x[/bold]" in text and "Dossier openen" in text
        assert f"{count} getoond, nieuwste eerst." in text
        # Tab order: the filters from f, then back to the list
        assert screen.focused is screen.query_one("#entries")
        await pilot.press("f")
        order = [screen.focused.id if screen.focused else None]
        for _step in range(4):
            await pilot.press("tab")
            order.append(screen.focused.id if screen.focused else None)
        assert order == ["filter-action", "filter-case", "filter-since", "filter-until", "entries"]
        await pilot.press("f1")  # the help lists Enter, not every cursor key of the table
        await settle(pilot)
        help_text = screen_text(shell)
        assert "Enter     Dossier openen" in help_text and "Cursor" not in help_text


async def test_filters_by_action_case_code_and_period(shell, logged) -> None:
    _case_id, code = logged
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_audit(pilot)
        screen.query_one("#filter-action", Select).value = "case.destroyed"
        await settle(pilot)
        assert rows(screen) == [("25-05-2025 09:30:00", "Dossier vernietigd", "2024-007", "")]

        await pilot.press("x")  # clears the filters
        await settle(pilot)
        await type_into(pilot, "#filter-case", code)
        await settle(pilot)
        assert [row[2] for row in rows(screen)] == [code] * len(rows(screen))
        assert "Gesprek toegevoegd" in [row[1] for row in rows(screen)]

        await type_into(pilot, "#filter-since", "01-06-2025")
        await type_into(pilot, "#filter-until", "2025-06-01")
        await settle(pilot)
        assert [row[1] for row in rows(screen)] == ["Gesprek toegevoegd"]

        await type_into(pilot, "#filter-case", "")
        await type_into(pilot, "#filter-until", "2025-05-31")
        await settle(pilot)
        assert "De periode eindigt voordat die begint." in screen_text(shell)
        left = ["Status van het dossier gewijzigd", "Gesprek toegevoegd"]
        assert [row[1] for row in rows(screen)] == left  # the list stays as it was

        await type_into(pilot, "#filter-since", "25-05-2025")
        await settle(pilot)
        assert [row[2] for row in rows(screen)] == ["2024-007"]
        await type_into(pilot, "#filter-case", "2099-001")
        await settle(pilot)
        assert rows(screen) == []
        assert "Geen regel past bij het filter (x wist het)." in screen_text(shell)

        await pilot.press("ctrl+l")  # locking drops the screen; unlocking brings it back
        await settle(pilot)
        assert not shell.session.is_unlocked
        await unlock(pilot)
        again = pilot.app.screen
        assert isinstance(again, AuditScreen) and again is not screen
        assert again.query_one("#filter-case", Input).value == "2099-001"
        assert again.query_one("#filter-since", Input).value == "25-05-2025"
        assert rows(again) == []


async def test_enter_opens_the_case_and_says_when_it_is_gone(shell, logged) -> None:
    case_id, code = logged
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.press("a")  # the audit log's key on the case list
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one("#entries", DataTable)

        def cursor_to(case: str) -> None:
            index = next(i for i, row in enumerate(rows(screen)) if row[2] == case)
            table.move_cursor(row=index)

        cursor_to(code)
        await pilot.press("enter")
        await settle(pilot)
        opened = pilot.app.screen
        assert isinstance(opened, CaseFileScreen) and opened.case_id == case_id
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen

        for case, said in (
            ("2024-007", "Dossier 2024-007 is vernietigd op 25-05-2025"),
            ("2023-099", "Deze kluis bevat geen dossier 2023-099 (meer)."),
            ("", "Deze regel gaat niet over een dossier."),
        ):
            cursor_to(case)
            await pilot.press("enter")
            await settle(pilot)
            assert pilot.app.screen is screen
            assert any(said in n for n in notifications(shell)), said


async def test_a_broken_chain_is_named_at_the_top(shell, logged, vault_path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        key = bytes(vault.data_key_copy())
        broken = audit.entries(vault, audit.AuditFilter("export.report"))[0].id
    conn = connect(vault_path, key, create=False)
    try:
        conn.execute("DROP TRIGGER audit_log_append_only_update")
        conn.execute(f"UPDATE audit_log SET detail = 'csv' WHERE id = {broken}")
    finally:
        conn.close()
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        line = chain_line(screen)
        assert f"De keten is verbroken: regel {broken} (van " in line
        assert "confidant check" in line and screen.query_one("#chain").has_class("broken")
        assert "csv" in [row[3] for row in rows(screen)]  # the evidence, as it is now


async def test_the_newest_page_loads_first_and_more_follow(shell, vault_path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        start = dt.datetime(2025, 1, 1, 8, 0)
        for number in range(PAGE_SIZE + 30):
            vault.append_audit(
                conn, at=start + dt.timedelta(minutes=number), action="vault.unlocked"
            )
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot)
        table = screen.query_one("#entries", DataTable)
        assert table.row_count == PAGE_SIZE
        assert "De nieuwste 500 regels" in screen_text(shell)
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == len(audit.entries(shell.session.vault)) > PAGE_SIZE + 30 - 1
        assert rows(screen)[-1][0] == "01-01-2025 08:00:00"
