"""A vault that went back in time: the unlock screen asks before opening it, safe choice first.

The vault is made to go back in time as a crash with a lost `-wal` or an older copy put back
would: its database is copied aside, one more save is made, and the old database is put
back (without `-wal`/`-shm`), so the header remembers one save the database lacks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Button

from confidant_tui.services.organisations import add_organisation, list_organisations
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import settle, unlock
from tests.ui.test_keys_while_building import burst


def went_back_in_time(vault_path: Path) -> None:
    """Leaves the vault one save behind its own header."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        add_organisation(vault, "Eerste organisatie")
    aside = vault_path.with_name("older-copy")
    shutil.copy2(vault_path, aside)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        add_organisation(vault, "Tweede organisatie")
    shutil.copy2(aside, vault_path)
    for suffix in ("-wal", "-shm"):
        vault_path.with_name(vault_path.name + suffix).unlink(missing_ok=True)


def status_of(app) -> str:
    return str(app.screen.query_one("#status").render())


def names_in(vault_path: Path) -> set[str]:
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        return {o.name for o in list_organisations(vault)}


async def test_not_opening_keeps_the_vault_closed(shell, vault_path) -> None:
    went_back_in_time(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        question = shell.screen
        assert isinstance(question, ConfirmModal)
        text = str(question.query_one("#question").render())
        assert "teruggegaan in de tijd" in text and "1 opgeslagen wijziging" in text
        assert shell.focused is question.query_one("#cancel", Button)  # the safe choice
        assert not shell.session.is_unlocked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, UnlockScreen)
        assert not shell.session.is_unlocked
        assert "niet geopend" in status_of(shell)
        field = shell.screen.query_one("#passphrase")
        assert not field.disabled and shell.focused is field
    assert "Tweede organisatie" not in names_in(vault_path)


async def test_opening_all_the_same_unlocks_and_the_next_unlock_asks_nothing(
    shell, vault_path
) -> None:
    went_back_in_time(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("shift+tab")  # from "Do not open" to "Open all the same"
        assert shell.focused is shell.screen.query_one("#confirm", Button)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        assert shell.session.is_unlocked
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        assert isinstance(shell.screen, CaseListScreen), type(shell.screen)


async def test_keys_typed_as_the_question_appears_do_not_open_the_vault(
    shell, vault_path, monkeypatch
) -> None:
    """Shift+Tab and Enter arriving while the question is being built (a fast typist who
    expected the app to be open) never choose "Open all the same"."""
    went_back_in_time(vault_path)
    real_push = shell.push_screen

    def push_and_type(screen, *args, **kwargs):
        pushed = real_push(screen, *args, **kwargs)
        if isinstance(screen, ConfirmModal):
            burst(shell, "shift+tab", "enter")
        return pushed

    monkeypatch.setattr(shell, "push_screen", push_and_type)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        assert not shell.session.is_unlocked
        assert shell.focused is shell.screen.query_one("#cancel", Button)
