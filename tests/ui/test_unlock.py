"""The unlock screen: masked passphrase, counted failures, an "opening" state, no copying."""

from __future__ import annotations

import threading

from textual.widgets import Input

from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE
from tests.ui.conftest import settle, unlock
from tests.ui.test_keys_while_building import burst


async def test_wrong_then_right_passphrase_counts_the_failures(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        assert isinstance(shell.screen, UnlockScreen)
        await unlock(pilot, "not the passphrase")
        await unlock(pilot, "still not the passphrase")
        status = str(shell.screen.query_one("#status").render())
        assert "2" in status and "wachtwoordzin" in status.lower()
        assert not shell.session.is_unlocked
        await unlock(pilot)
        assert isinstance(shell.screen, CaseListScreen)
        assert shell.session.is_unlocked and shell.session.failed_attempts == 0


async def test_typed_passphrase_is_masked_and_field_cleared(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"geheimpje")
        assert shell.screen.query_one("#passphrase", Input).password
        assert "geheimpje" not in shell.export_screenshot()
        await pilot.press("enter")
        assert shell.screen.query_one("#passphrase", Input).value == ""
        await settle(pilot)


async def test_opening_state_while_the_key_is_derived(shell, monkeypatch) -> None:
    release = threading.Event()
    real_unlock = shell.session.unlock

    def slow_unlock(passphrase: str, **options: bool) -> None:
        release.wait(5)
        real_unlock(passphrase, **options)

    monkeypatch.setattr(shell.session, "unlock", slow_unlock)
    async with shell.run_test(size=(80, 24)) as pilot:
        field = shell.screen.query_one("#passphrase", Input)
        field.value = PASSPHRASE
        await pilot.press("enter")
        await pilot.pause()
        assert field.disabled
        assert shell.screen.query_one("#busy").display
        assert "openen" in str(shell.screen.query_one("#status").render()).lower()
        await pilot.press("x")  # the app still handles keys while the key is derived
        release.set()
        await settle(pilot)
        assert isinstance(shell.screen, CaseListScreen)


async def test_ctrl_c_in_the_passphrase_field_copies_nothing(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        written: list[str] = []
        real_write = shell._driver.write
        shell._driver.write = lambda data: (written.append(data), real_write(data))[1]
        await pilot.press(*"geheimpje", "ctrl+shift+a")
        assert shell.screen.query_one("#passphrase", Input).selected_text == "geheimpje"
        await pilot.press("ctrl+c", "ctrl+x")
        assert shell.clipboard == ""
        assert not any("\x1b]52" in chunk for chunk in written)
        assert shell.screen.query_one("#passphrase", Input).value == "geheimpje"


async def test_nothing_of_the_app_works_before_unlocking(shell) -> None:
    async with shell.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", "f1", "ctrl+l")
        await pilot.pause()
        assert shell.screen_stack == [shell.screen] and isinstance(shell.screen, UnlockScreen)
        assert list(shell.get_system_commands(shell.screen)) == []
        assert not shell.check_action("command_palette", ())


async def test_keys_typed_right_after_enter_are_not_part_of_the_passphrase(shell) -> None:
    """A fast typist's burst: the passphrase, Enter and `n d` arrive all at once."""
    async with shell.run_test() as pilot:
        await settle(pilot)
        burst(shell, *PASSPHRASE, "enter", "n", " ", "d")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        assert shell.session.is_unlocked and shell.session.failed_attempts == 0
        assert isinstance(shell.screen, CaseListScreen)
