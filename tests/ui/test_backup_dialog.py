"""The backup dialog: palette → dialog → path → Enter makes a verified backup that opens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, Input, RadioSet, Static

from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import WrongPassphrase
from confidant_tui.services.backups import check_backup
from confidant_tui.ui.modals.backup import BackupModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.widgets.form_field import FormField
from tests.conftest import PASSPHRASE
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2026, 12, 2, 14, 3)
SEPARATE = "kluis bij de buren in de kast"
"""A separate backup passphrase strong enough for the passphrase rules."""


async def open_dialog(pilot) -> BackupModal:
    """Unlocks and chooses "Back-up maken" in the command palette."""
    await unlock(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "backup":
        await pilot.press(char)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, BackupModal), type(modal)
    return modal


def text_of(modal: BackupModal, selector: str) -> str:
    return str(modal.query_one(selector, Static).render())


def problem_of(modal: BackupModal, name: str) -> str | None:
    return next(f for f in modal.query(FormField).results(FormField) if f.field == name).problem


async def type_path(pilot, modal: BackupModal, path: Path) -> None:
    """Empties the path field and types `path` key by key."""
    field = modal.query_one("#destination", Input)
    assert pilot.app.focused is field
    field.value = ""
    for char in str(path):
        await pilot.press(char)
    assert field.value == str(path)


async def test_a_backup_made_with_keys_opens_with_the_passphrase(shell, clock, tmp_path) -> None:
    clock.set(NOW)
    destination = tmp_path / "usb" / "back-up [bold]1.vault"
    destination.parent.mkdir()
    async with shell.run_test(size=(80, 24)) as pilot:
        modal = await open_dialog(pilot)
        assert "Er is nog geen back-up gemaakt" in text_of(modal, "#last")
        suggested = modal.query_one("#destination", Input).value
        assert suggested.endswith("confidant-back-up-2026-12-02.vault")
        await type_path(pilot, modal, destination)
        await pilot.press("enter")
        await settle(pilot)
        result = text_of(modal, "#result")
        assert "geverifieerd" in result and "0 dossiers" in result
        assert str(destination) in result and str(destination) + ".header" in result
        assert "wachtwoordzin van de kluis" in result
        assert "Laatste geverifieerde back-up: 2 december 2026, 14:03 (vandaag)" in text_of(
            modal, "#last"
        )
        assert shell.focused is modal.query_one("#close", Button)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(shell.screen, BackupModal)
        # Opened again, the dialog says when the last backup was made.
        modal = await _reopen(pilot)
        assert long_date(NOW.date()) in text_of(modal, "#last")
    assert destination.exists() and Path(str(destination) + ".header").exists()
    assert check_backup(destination, PASSPHRASE).cases == 0


async def _reopen(pilot) -> BackupModal:
    await pilot.app.action_open_screen("backup")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, BackupModal)
    return modal


async def test_a_separate_passphrase_is_checked_and_opens_the_backup(
    shell, clock, tmp_path
) -> None:
    clock.set(NOW)
    destination = tmp_path / "elders.vault"
    async with shell.run_test(size=(80, 24)) as pilot:
        modal = await open_dialog(pilot)
        modal.query_one("#destination", Input).value = str(destination)
        assert not modal.query_one("#separate-fields").display
        await pilot.press("tab")
        assert shell.focused is modal.query_one("#which", RadioSet)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert modal.query_one("#separate-fields").display
        await pilot.press("tab")
        assert shell.focused is modal.query_one("#backup-passphrase", Input)
        for char in "kort":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        assert "te kort" in (problem_of(modal, "backup-passphrase") or "")
        assert not destination.exists()
        modal.query_one("#backup-passphrase", Input).value = SEPARATE
        modal.query_one("#backup-passphrase-again", Input).value = SEPARATE + "!"
        await pilot.press("enter")
        await pilot.pause()
        assert problem_of(modal, "backup-passphrase") is None
        assert "verschillen" in (problem_of(modal, "backup-passphrase-again") or "")
        assert shell.focused is modal.query_one("#backup-passphrase-again", Input)
        assert not destination.exists()
        modal.query_one("#backup-passphrase-again", Input).value = SEPARATE
        await pilot.press("enter")
        await settle(pilot)
        assert "aparte wachtwoordzin" in text_of(modal, "#result")
        await pilot.pause(0.1)
        close, dialog = modal.query_one("#close", Button), modal.query_one("#dialog")
        assert shell.focused is close  # and visible at 80x24, below the longer dialog
        assert dialog.region.contains_region(close.region), (close.region, dialog.region)
        assert modal.query_one("#backup-passphrase", Input).value == ""
        assert modal.query_one("#backup-passphrase-again", Input).value == ""
    assert check_backup(destination, SEPARATE).cases == 0
    with pytest.raises(WrongPassphrase):
        check_backup(destination, PASSPHRASE)


async def test_an_existing_file_is_replaced_only_after_the_question(shell, clock, tmp_path) -> None:
    clock.set(NOW)
    destination = tmp_path / "oud.vault"
    destination.write_bytes(b"an older file the adviser may still want")
    async with shell.run_test(size=(80, 24)) as pilot:
        modal = await open_dialog(pilot)
        modal.query_one("#destination", Input).value = str(destination)
        await pilot.press("enter")
        await settle(pilot)
        question = shell.screen
        assert isinstance(question, ConfirmModal)
        assert "bestaat al" in str(question.query_one("#question").render())
        assert shell.focused is question.query_one("#cancel", Button)
        await pilot.press("enter")  # the safe choice: nothing replaced
        await settle(pilot)
        assert shell.screen is modal
        assert destination.read_bytes() == b"an older file the adviser may still want"
        await pilot.press("enter")  # the path field has the focus again
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert shell.screen is modal
        assert "geverifieerd" in text_of(modal, "#result")
    assert check_backup(destination, PASSPHRASE).cases == 0


async def test_a_refused_path_is_said_in_the_dialog(shell, tmp_path) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        modal = await open_dialog(pilot)
        modal.query_one("#destination", Input).value = str(shell.session.path)
        await pilot.press("enter")
        await settle(pilot)
        assert shell.screen is modal
        assert "bestanden van de kluis zelf" in text_of(modal, "#result")
        modal.query_one("#destination", Input).value = "  "
        await pilot.press("enter")
        await pilot.pause()
        assert problem_of(modal, "destination")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_field_is_reachable_by_tab_and_visible(shell, tmp_path, size) -> None:
    async with shell.run_test(size=size) as pilot:
        modal = await open_dialog(pilot)
        dialog = modal.query_one("#dialog")
        modal.query_one("#which", RadioSet).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        modal.query_one("#destination", Input).focus()
        await pilot.pause()
        seen: list[str] = []
        for _press in range(7):
            focused = shell.focused
            assert focused is not None and focused.id is not None
            seen.append(focused.id)
            assert dialog.region.contains_region(focused.region), (focused.id, focused.region)
            await pilot.press("tab")
            await pilot.pause()
        assert seen[:6] == [
            "destination",
            "which",
            "backup-passphrase",
            "backup-passphrase-again",
            "make",
            "close",
        ]
        assert seen[6] == "destination"
