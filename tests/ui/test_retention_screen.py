"""The "Due for destruction" screen, through the keyboard, on a real encrypted vault.

Three closed cases: one closed in 2024 whose 2024 report was published on 1 March 2025 (due
since then, for that reason), one closed on 1 March 2023 (due at the two-year ceiling), and
one closed in January 2025 (not due yet: no 2025 report). Today is 2 June 2025.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Button, DataTable, Input

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.domain.retention import retention_for
from confidant_tui.services import report
from confidant_tui.services.audit import entries
from confidant_tui.services.cases import change_status, create_case, list_cases
from confidant_tui.ui.modals.destroy_confirm import DestroyConfirmModal
from confidant_tui.ui.modals.postpone import PostponeModal
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.retention import RetentionScreen
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, open_case_list, screen_text, type_into
from tests.ui.conftest import settle

PUBLISHED = dt.date(2025, 3, 1)
MARKUP_REASON = "[red]Loopt[/]"
"""A postponement reason that would be styled if it were read as markup."""


def make_cases(vault_path) -> tuple[str, str, str]:
    """The three closed cases (see the module docstring); returns their codes: published,
    ceiling, not yet due."""
    codes = []
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for opened, closed in (
            (dt.date(2024, 2, 1), dt.date(2024, 5, 1)),
            (dt.date(2023, 1, 10), dt.date(2023, 3, 1)),
            (dt.date(2025, 1, 2), dt.date(2025, 1, 15)),
        ):
            case = create_case(
                vault,
                Intake(opened, CaseFacts("employee", ("bullying",))),
                today=TODAY,
                taxonomy=TAXONOMY,
                default_organisation=ORGANISATION,
            )
            change_status(vault, case.id, "closed", closed, today=TODAY)
            codes.append(case.code)
        built = report.build_report(vault, 2024, taxonomy=TAXONOMY)
        report.publish(vault, built, "json", PUBLISHED)
    return codes[0], codes[1], codes[2]


def rows(table: DataTable) -> dict[str, str]:
    """Each row of a table as the adviser reads it, by its case code."""
    found = {}
    for index in range(table.row_count):
        cells = [getattr(c, "plain", str(c)) for c in table.get_row_at(index)]
        key = table.coordinate_to_cell_key((index, 0)).row_key.value
        found[str(key)] = " | ".join(cells)
    return found


def stored_codes(vault_path) -> set[str]:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        return {case.code for case in list_cases(vault)}


async def open_retention(pilot) -> RetentionScreen:
    """Unlocks, shows the case list and presses d there."""
    await open_case_list(pilot)
    await pilot.press("d")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RetentionScreen)
    return screen


async def put_cursor_on(pilot, screen: RetentionScreen, table_id: str, code: str) -> None:
    table = screen.query_one(f"#{table_id}", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(code))
    await pilot.pause()


async def test_a_published_case_is_due_and_only_its_exact_code_destroys_it(shell, vault_path):
    published, ceiling, not_due = make_cases(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_retention(pilot)
        due = rows(screen.query_one("#due", DataTable))
        assert set(due) == {published, ceiling}, due  # the January 2025 case is not due
        reason = retention_for(
            dt.date(2024, 5, 1), retention_years=2, report_published_on=PUBLISHED
        ).reason
        assert "jaarverslag 2024" in reason  # the reason in the adviser's language
        assert reason[:20] in due[published]  # the cell is cut to fit 80 columns
        assert "01-03-2025" in due[published]  # due since the publication
        assert "2 jaar" in due[ceiling]
        await put_cursor_on(pilot, screen, "due", published)
        detail = str(screen.query_one("#detail").render())
        assert reason in detail.replace("\n", " ")  # the full reason under the lists

        await pilot.press("x")
        await settle(pilot)
        dialog = shell.screen
        assert isinstance(dialog, DestroyConfirmModal)
        text = screen_text(shell)
        assert f"Dossier {published} vernietigen" in text  # the title shows at 80x24
        assert "Back-ups die eerder zijn gemaakt" in text
        # A reflexive Enter, then the other due case's code: nothing is destroyed.
        await pilot.press("enter")
        await settle(pilot)
        await type_into(pilot, "#answer", ceiling)
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is dialog
        assert dialog.query_one(FormField).problem is not None
        assert "niets vernietigd" in str(dialog.query_one(FormField).problem)
        # Tab reaches the buttons; Destroy pressed with the wrong code destroys nothing.
        await pilot.press("tab")
        assert shell.focused is dialog.query_one("#destroy", Button)
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is dialog

        await type_into(pilot, "#answer", published)
        await pilot.press("enter")
        await settle(pilot)
        assert "1 dossier vernietigd" in screen_text(shell)
        assert shell.focused is dialog.query_one("#close", Button)
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is screen
        await settle(pilot)
        assert set(rows(screen.query_one("#due", DataTable))) == {ceiling}

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        listed = rows(shell.screen.query_one("#cases", DataTable))
        assert not any(published in row for row in listed.values())
        assert any(ceiling in row for row in listed.values())
        assert any(not_due in row for row in listed.values())
    assert stored_codes(vault_path) == {ceiling, not_due}


async def test_several_cases_need_their_count_typed(shell, vault_path):
    published, ceiling, not_due = make_cases(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_retention(pilot)
        await put_cursor_on(pilot, screen, "due", ceiling)  # the first row
        await pilot.press("space")  # selects it and moves down
        await pilot.press("space")
        await pilot.pause()
        assert screen.selected == {published, ceiling}
        assert "2 dossiers geselecteerd" in screen_text(shell)
        await pilot.press("x")
        await settle(pilot)
        dialog = shell.screen
        assert isinstance(dialog, DestroyConfirmModal)
        assert "2 dossiers vernietigen" in screen_text(shell)
        await type_into(pilot, "#answer", "1")
        await pilot.press("enter")
        await settle(pilot)
        assert "niets vernietigd" in str(dialog.query_one(FormField).problem)
        assert shell.screen is dialog
        await type_into(pilot, "#answer", "2")
        await pilot.press("enter")
        await settle(pilot)
        assert "2 dossiers vernietigd" in screen_text(shell)
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is screen
        assert rows(screen.query_one("#due", DataTable)) == {}
    assert stored_codes(vault_path) == {not_due}
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        destroyed = {e.case_code for e in entries(vault) if e.action == "case.destroyed"}
    assert destroyed == {published, ceiling}


async def test_postponing_asks_a_reason_and_moves_the_case_to_the_postponed_list(shell, vault_path):
    _published, ceiling, _not_due = make_cases(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_retention(pilot)
        await put_cursor_on(pilot, screen, "due", ceiling)
        # Keys typed on while the dialog is being built go into its first field: x and p
        # neither destroy nor open a second dialog.
        await pilot.press("p", "x", "p")
        await settle(pilot)
        dialog = shell.screen
        assert isinstance(dialog, PostponeModal)
        assert len(shell.screen_stack) == 3  # case list, this screen, one dialog
        assert shell.focused is dialog.query_one("#reason", Input)
        assert dialog.query_one("#reason", Input).value == "xp"

        # No reason, and today as the day: both refused, nothing stored.
        await type_into(pilot, "#reason", "")
        await type_into(pilot, "#until", "02-06-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = {f.field: f.problem for f in dialog.query(FormField)}
        assert problems["reason"] and problems["until"], problems
        assert shell.screen is dialog

        await type_into(pilot, "#reason", MARKUP_REASON)
        await type_into(pilot, "#until", "01-01-2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert shell.screen is screen
        assert ceiling not in rows(screen.query_one("#due", DataTable))
        postponed = rows(screen.query_one("#postponed", DataTable))
        assert set(postponed) == {ceiling}
        assert "01-01-2026" in postponed[ceiling]
        assert MARKUP_REASON in postponed[ceiling]  # literally, brackets and all
        assert MARKUP_REASON in screen_text(shell)
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        audited = [e for e in entries(vault) if e.action == "retention.postponed"]
    assert [(e.case_code, e.detail) for e in audited] == [(ceiling, "2026-01-01")]
    assert stored_codes(vault_path) >= {ceiling}
